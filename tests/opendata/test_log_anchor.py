"""The moderation log anchored in the snapshots: a history rewritten after a snapshot was published is detected."""

import base64
import json

import pytest
from sqlalchemy import select, text

from app.extensions import db
from app.models import ModerationEvent
from app.moderation import events, services
from app.moderation.content import sha256
from app.opendata import snapshots
from tests.factories import make_camera, make_moderator, make_sighting


@pytest.fixture
def moderator():
    return make_moderator(email="mod@example.org")


def decide(moderator, count: int) -> list[ModerationEvent]:
    """`count` moderation events, one with a reason that names a person."""
    for _ in range(count - 1):
        services.approve(make_sighting().id, moderator)
    services.set_camera_status(make_camera().id, "needs_resurvey", moderator, "Marko from the town hall says so")
    return list(db.session.scalars(select(ModerationEvent).order_by(ModerationEvent.id)))[-count:]


def rewrite(event_id: int, reason: str) -> None:
    """What the owner of the database can do (the site's role cannot): turn off the trigger that keeps the log
    append-only, change an event, recompute every later hash so that `verify_chain` passes again, and turn the
    trigger back on. Run inside `as_database_owner()`."""
    db.session.execute(text("ALTER TABLE moderation_events DISABLE TRIGGER moderation_events_append_only"))
    db.session.execute(
        text("UPDATE moderation_events SET reason = :reason WHERE id = :id"), {"reason": reason, "id": event_id}
    )
    db.session.expire_all()
    previous = events.head_hash(up_to=event_id - 1)
    later = select(ModerationEvent).where(ModerationEvent.id >= event_id).order_by(ModerationEvent.id)
    for event in db.session.scalars(later):
        event.content_hash = sha256(events._event_fields(event, previous))
        previous = event.content_hash
    db.session.flush()
    db.session.execute(text("ALTER TABLE moderation_events ENABLE TRIGGER moderation_events_append_only"))


def verify(runner, directory, *options):
    return runner.invoke(args=["data", "verify", str(directory), *options])


def test_an_event_rewritten_after_a_snapshot_breaks_the_next_snapshot(
    runner, take_snapshot, snapshot_dir, moderator, as_database_owner
):
    covered = decide(moderator, 3)
    first = take_snapshot()
    decide(moderator, 2)

    with as_database_owner():
        rewrite(covered[1].id, "nothing to see")
    assert events.verify_chain() is None  # the database alone no longer shows the edit
    take_snapshot()

    mirror = verify(runner, snapshot_dir)
    assert mirror.exit_code == 1
    assert f"does not continue {first.name}" in mirror.output
    assert f"ended at event {covered[-1].id}" in mirror.output
    against_database = verify(runner, snapshot_dir, "--database")
    assert against_database.exit_code == 1
    assert f"{first.name}: event {covered[1].id} has another hash in the database" in against_database.output
    assert "so do 1 later events" in against_database.output  # covered[2]: its hash was recomputed as well


def test_an_edit_without_recomputing_the_chain_is_found_next_to_the_database(
    runner, take_snapshot, snapshot_dir, moderator, owner_statement
):
    covered = decide(moderator, 2)
    take_snapshot()
    owner_statement("ALTER TABLE moderation_events DISABLE TRIGGER moderation_events_append_only")
    owner_statement("UPDATE moderation_events SET reason = 'nothing' WHERE id = :id", id=covered[0].id)
    db.session.expire_all()
    take_snapshot()

    # The published hashes still continue each other: only the contents, which a mirror never sees, changed.
    assert verify(runner, snapshot_dir).exit_code == 0
    result = verify(runner, snapshot_dir, "--database")
    assert result.exit_code == 1
    assert f"database: event {covered[0].id}'s hash does not match its contents" in result.output


def test_without_a_rewrite_consecutive_snapshots_continue_each_other(runner, take_snapshot, snapshot_dir, moderator):
    covered = decide(moderator, 3)
    first = take_snapshot()
    take_snapshot()  # nothing happened in between
    later = decide(moderator, 2)
    third = take_snapshot()

    assert verify(runner, snapshot_dir).exit_code == 0, verify(runner, snapshot_dir).output
    assert verify(runner, snapshot_dir, "--database").exit_code == 0
    logs = [json.loads((d / "moderation_log.json").read_text()) for d in sorted(snapshot_dir.iterdir())]
    assert logs[0]["previous_head"] == events.GENESIS
    assert logs[0]["events"] == [[e.id, e.content_hash] for e in covered]
    assert logs[1]["events"] == [] and logs[1]["head"] == logs[0]["head"] and logs[1]["last_id"] == covered[-1].id
    assert logs[2]["previous_head"] == logs[0]["head"]
    assert logs[2]["events"] == [[e.id, e.content_hash] for e in later]
    assert logs[2]["head"] == events.latest_event().content_hash
    assert first.name < third.name


def test_the_published_log_holds_only_ids_and_hashes(take_snapshot, moderator):
    decide(moderator, 2)
    published = (take_snapshot() / "moderation_log.json").read_text()

    assert set(json.loads(published)) == {"first_id", "last_id", "previous_head", "head", "events"}
    for secret in ("mod@example.org", "Marko", "needs_resurvey", "actor"):
        assert secret not in published


def test_a_snapshot_without_the_log_after_one_with_it_fails(runner, take_snapshot, snapshot_dir, moderator):
    decide(moderator, 1)
    take_snapshot()
    second = take_snapshot()
    (second / "moderation_log.json").unlink()
    # Re-signed with the site's key, as an owner who wanted the log out of sight could do.
    manifest = b"".join(
        line for line in (second / "SHA256SUMS").read_bytes().splitlines(True) if b"moderation_log" not in line
    )
    (second / "SHA256SUMS").write_bytes(manifest)
    signature = base64.b64encode(snapshots.signing_key().sign(manifest).signature).decode()
    (second / "SHA256SUMS.sig").write_text(signature + "\n")

    result = verify(runner, snapshot_dir)

    assert result.exit_code == 1
    assert result.output.count("FAILED") == 1
    assert f"{second.name}: no moderation_log.json" in result.output


def test_the_data_page_shows_the_current_head_and_the_published_one(client, take_snapshot, moderator):
    decide(moderator, 1)
    snapshot = take_snapshot()
    newest = decide(moderator, 1)[0]
    published = json.loads((snapshot / "moderation_log.json").read_text())

    page = client.get("/data?lang=en").get_data(as_text=True)

    assert f"Current head: event {newest.id} of" in page and newest.content_hash in page
    assert f"Head in the latest snapshot ({snapshot.name}): event {published['last_id']}" in page
    assert published["head"] in page
    assert "flask data verify DIR --public-key KEY" in page
