import io
import uuid
from datetime import date, timedelta

import pytest
from PIL import Image
from sqlalchemy import event, func, select

from app.errors import Conflict, ValidationFailed
from app.extensions import db
from app.models import ModerationEvent, Photo, Sighting
from app.models.columns import today
from app.moderation import photos, services
from app.moderation.retention import run_retention
from app.photos.storage import storage
from app.vocabulary import SightingState
from tests.factories import STARI_GRAD, make_moderator, make_sighting


def _pixels(key: str) -> Image.Image:
    return Image.open(io.BytesIO(storage().open(key))).convert("RGB")


def _stored_keys() -> set[str]:
    return set(storage().keys())


def test_blurring_replaces_the_file_and_destroys_the_detail():
    moderator = make_moderator()
    sighting = make_sighting(photos=1)
    photo = sighting.photos[0]
    old_hash = photo.sha256
    # A sharp black/white checkerboard in the right half stands for a face or a number plate.
    board = Image.new("RGB", (64, 48), (255, 255, 255))
    for x in range(32, 64):
        for y in range(48):
            if (x // 2 + y // 2) % 2:
                board.putpixel((x, y), (0, 0, 0))
    out = io.BytesIO()
    board.save(out, "PNG")
    photo.display_key = storage().put(out.getvalue(), ".png")
    db.session.commit()
    old_keys = {photo.display_key, photo.thumb_key}

    photos.blur(photo.id, photos.parse_regions('[{"x":0.5,"y":0,"w":0.5,"h":1}]'), moderator, photo.sha256)

    blurred = _pixels(photo.display_key)
    right = [blurred.getpixel((x, y))[0] for x in range(36, 60) for y in range(4, 44)]
    assert max(right) - min(right) < 80  # the checkerboard's 0/255 contrast is gone
    assert blurred.getpixel((5, 5))[0] > 240  # the rest is untouched
    assert photo.sha256 != old_hash and not (old_keys & _stored_keys())
    event = db.session.scalar(select(ModerationEvent).where(ModerationEvent.action == "photo_blur"))
    assert event.target_id == photo.id and event.details["regions"] == 1


def test_rotating_turns_the_pixels_and_a_stale_hash_is_a_conflict():
    moderator = make_moderator()
    photo = make_sighting(photos=1).photos[0]
    seen = photo.sha256

    photos.rotate(photo.id, 90, moderator, seen)

    assert (photo.width, photo.height) == (48, 64)
    rotated = _pixels(photo.display_key)
    assert rotated.getpixel((24, 5))[1] < 100  # the red half is now on top
    assert rotated.getpixel((24, 58))[1] > 200
    with pytest.raises(Conflict):
        photos.rotate(photo.id, 90, make_moderator("b@example.org"), seen)
    with pytest.raises(ValidationFailed):
        photos.rotate(photo.id, 45, moderator, photo.sha256)


class Statements:
    """The SQL the session sends, to see which rows a service locks."""

    def __init__(self):
        self.sql: list[str] = []

    def __call__(self, _conn, _cursor, statement, *_args):
        self.sql.append(" ".join(statement.split()))

    def locking_photos(self) -> list[str]:
        return [s for s in self.sql if s.startswith("SELECT") and "FROM photos" in s and s.endswith("FOR UPDATE")]


@pytest.fixture
def statements():
    seen = Statements()
    engine = db.session.get_bind()
    event.listen(engine, "before_cursor_execute", seen)
    yield seen
    event.remove(engine, "before_cursor_execute", seen)


def test_every_photo_change_locks_the_photo_row_first(statements):
    """Two blurs at once: the second waits for the first's commit instead of both editing the same file."""
    first, second = make_moderator(), make_moderator("second@example.org")
    photo = make_sighting(photos=1).photos[0]
    photo_id = photo.id
    changes = [
        lambda: photos.blur(photo_id, photos.parse_regions('[{"x":0,"y":0,"w":0.5,"h":0.5}]'), first, photo.sha256),
        lambda: photos.rotate(photo_id, 180, first, photo.sha256),
        lambda: photos.request_deletion(photo_id, first, "a bystander's face"),
        lambda: photos.cancel_deletion(photo_id, first),
        lambda: photos.request_deletion(photo_id, first, "a bystander's face"),
        lambda: photos.confirm_deletion(photo_id, second),
    ]
    for change in changes:
        statements.sql.clear()
        change()
        assert statements.locking_photos(), statements.sql
    assert db.session.get(Photo, photo_id) is None


@pytest.mark.parametrize("seen", [None, "", "0" * 64])
def test_blurring_without_the_hash_seen_or_with_a_stale_one_changes_nothing(seen):
    """The loser of two blurs at once must not overwrite the winner's blur, nor leave files behind."""
    moderator = make_moderator()
    photo = make_sighting(photos=1).photos[0]
    before = (photo.sha256, photo.display_key, photo.thumb_key)
    files_before = _stored_keys()

    with pytest.raises(Conflict, match="izmenio ovu fotografiju"):
        photos.blur(photo.id, photos.parse_regions('[{"x":0,"y":0,"w":0.5,"h":0.5}]'), moderator, seen)
    with pytest.raises(Conflict):
        photos.rotate(photo.id, 90, moderator, seen)

    photo = db.session.get(Photo, photo.id)
    assert (photo.sha256, photo.display_key, photo.thumb_key) == before
    assert _stored_keys() == files_before
    assert db.session.scalar(select(ModerationEvent.id).limit(1)) is None


def test_the_blur_form_requires_the_hash_the_moderator_saw(client):
    from tests.web import post_form, sign_in, where

    moderator = make_moderator()
    sign_in(client, moderator)
    sighting = make_sighting(photos=1)
    photo = sighting.photos[0]
    before = photo.sha256
    files_before = _stored_keys()
    url = f"/moderation/sightings/{sighting.id}"
    regions = '[{"x":0.1,"y":0.1,"w":0.3,"h":0.3}]'

    post_form(client, url, f"/moderation/photos/{photo.id}/blur", {"regions": regions})
    post_form(client, url, f"/moderation/photos/{photo.id}/rotate", {"degrees": "90"})
    stale = post_form(client, url, f"/moderation/photos/{photo.id}/blur", {"regions": regions, "sha256": "0" * 64})

    assert db.session.get(Photo, photo.id).sha256 == before and _stored_keys() == files_before
    page = client.get(where(stale)).get_data(as_text=True)
    assert "izmenio ovu fotografiju" in page


@pytest.mark.parametrize(
    "raw", ["not json", "[]", '[{"x": 0.5}]', '[{"x":1.5,"y":0,"w":0.1,"h":0.1}]', '[{"x":0,"y":0,"w":0,"h":0.1}]']
)
def test_unreadable_or_impossible_blur_regions_are_refused(raw):
    with pytest.raises(ValidationFailed):
        photos.parse_regions(raw)


def test_deleting_a_photo_needs_a_second_moderator():
    first, second = make_moderator(), make_moderator("second@example.org")
    photo = make_sighting(photos=2).photos[0]
    keys = {photo.display_key, photo.thumb_key}
    photo_id = photo.id

    photos.request_deletion(photo_id, first, "shows a bystander's face")
    with pytest.raises(Conflict, match="drugi, različit"):
        photos.confirm_deletion(photo_id, first)
    assert db.session.get(Photo, photo_id) is not None and keys <= _stored_keys()

    photos.confirm_deletion(photo_id, second)

    assert db.session.get(Photo, photo_id) is None and not (keys & _stored_keys())
    logged = db.session.scalars(select(ModerationEvent).order_by(ModerationEvent.id)).all()
    assert [(e.action, e.actor_id) for e in logged] == [
        ("photo_delete_request", first.id),
        ("photo_delete", second.id),
    ]
    assert logged[1].details["requested_by"] == first.id


def test_retention_deletes_old_rejected_sightings_with_their_photos_only():
    moderator = make_moderator()
    old_reject = make_sighting(photos=2)
    new_reject = make_sighting(photos=1)
    approved = make_sighting(photos=1)
    pending = make_sighting(photos=1)
    services.reject(old_reject.id, "spam", moderator)
    services.reject(new_reject.id, "spam", moderator)
    services.approve(approved.id, moderator)
    old_reject.decided_on = today() - timedelta(days=31)
    new_reject.decided_on = today() - timedelta(days=29)
    db.session.commit()
    old_keys = {key for p in old_reject.photos for key in (p.display_key, p.thumb_key)}
    old_id = old_reject.id

    result = run_retention()

    assert (result.photos_purged, result.sightings_purged) == (2, 1)
    db.session.expire_all()
    assert db.session.get(Sighting, old_id) is None
    assert len(new_reject.photos) == 1 and len(approved.photos) == 1
    assert not (old_keys & _stored_keys())
    assert pending.idempotency_key_sha256 is not None and pending.state is SightingState.PENDING
    assert run_retention().photos_purged == 0  # idempotent


def test_retention_command_reports_what_it_did(runner):
    moderator = make_moderator()
    sighting = make_sighting(photos=1)
    services.reject(sighting.id, "spam", moderator)
    sighting.decided_on = date(2020, 1, 1)
    db.session.commit()

    result = runner.invoke(args=["retention", "run"])

    assert result.exit_code == 0, result.output
    assert "deleted 1 sightings rejected more than 30 days ago, with 1 photos" in result.output
    assert "decided more than 7 days ago" in result.output
    help_text = runner.invoke(args=["retention", "run", "--help"]).output
    assert "7 days" in help_text


def test_retention_keeps_idempotency_keys_for_a_week_after_the_decision():
    moderator = make_moderator()
    week_old, recent, pending = make_sighting(), make_sighting(), make_sighting()
    services.approve(week_old.id, moderator)
    services.reject(recent.id, "spam", moderator)
    week_old.decided_on = today() - timedelta(days=8)
    recent.decided_on = today() - timedelta(days=6)
    db.session.commit()

    assert run_retention().keys_dropped == 1

    db.session.expire_all()
    assert week_old.idempotency_key_sha256 is None and week_old.payload_hash is None
    assert recent.idempotency_key_sha256 is not None and recent.payload_hash is not None
    assert pending.idempotency_key_sha256 is not None
    assert run_retention().keys_dropped == 0


def _send(client, key: uuid.UUID):
    return client.post(
        "/api/v1/sightings",
        data={"lat": str(STARI_GRAD[1]), "lon": str(STARI_GRAD[0]), "note": "on the corner"},
        headers={"Idempotency-Key": str(key)},
        content_type="multipart/form-data",
    )


@pytest.mark.parametrize("decide", ["approve", "reject"])
def test_a_phone_retrying_after_the_decision_gets_the_same_receipt(client, decide):
    """The answer to the first send was lost; the offline queue retries after a moderator decided the report."""
    moderator = make_moderator()
    key = uuid.uuid4()
    first = _send(client, key)
    assert first.status_code == 201, first.get_data(as_text=True)
    sighting_id = first.get_json()["id"]
    if decide == "approve":
        services.approve(sighting_id, moderator)
    else:
        services.reject(sighting_id, "spam", moderator)

    retry = _send(client, key)

    assert retry.status_code in (200, 201) and retry.get_json()["id"] == sighting_id
    assert db.session.scalar(select(func.count()).select_from(Sighting)) == 1
    assert db.session.scalar(select(func.count()).where(Sighting.state == SightingState.PENDING)) == 0
