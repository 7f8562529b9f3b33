"""Two moderators at once, for real: two connections on committed data race for one item; exactly one wins.

The rest of the suite runs inside one rolled-back transaction, where no two sessions can ever meet. These races
run on a scratch database of their own (migrated like the suite's, dropped at the end), each moderator in a
thread with its own application context, session and connection, released together by a barrier so that both
read the item before either writes. Each race runs ROUNDS times.
"""

import threading
from collections.abc import Callable, Iterator

import flask_migrate
import pytest
from sqlalchemy import func, select

from app.database_roles import apply_roles
from app.errors import Conflict
from app.extensions import db
from app.models import Camera, ModerationEvent, Photo, Sighting, User
from app.moderation import events, photos, services
from app.photos.storage import storage
from app.vocabulary import Role, SightingState
from tests.cluster import postgis, scratch_app
from tests.factories import make_camera, make_moderator, make_photo, make_sighting

SCRATCH = "hiljade_test_races"
ROUNDS = 20
OVERLAPS: list[bool] = []


@pytest.fixture(scope="module")
def race_app(tmp_path_factory) -> Iterator:
    """An app on a migrated scratch database where commits are real, connecting as the site's role as in
    production; dropped at the end whatever happens."""
    postgis("recreatedb", SCRATCH)
    with scratch_app(SCRATCH) as app:
        app.config["PHOTO_STORAGE_DIR"] = str(tmp_path_factory.mktemp("race-photos"))
        flask_migrate.upgrade()
        apply_roles(app)
        moderators = (make_moderator("ana@example.org"), make_moderator("bojan@example.org", Role.ADMIN))
        db.session.commit()
        app.moderator_ids = [m.id for m in moderators]
        db.session.remove()
        yield app


def _race(app, *moves: Callable[[object], object]) -> list[object]:
    """Run each move in its own thread, context and connection, started together: the kind of each result, or
    the error it raised."""
    barrier = threading.Barrier(len(moves))
    results: list[object] = [None] * len(moves)

    def run(index: int, move) -> None:
        with app.test_request_context("/?lang=en"):  # the loser's message, as an English-speaking moderator reads it
            actor = db.session.get(User, app.moderator_ids[index])
            barrier.wait()
            try:
                results[index] = type(move(actor)).__name__  # the winner's result, by kind (its session ends here)
            except Exception as error:  # the loser's error is the result under test
                db.session.rollback()
                results[index] = error
                OVERLAPS.append(error.__cause__ is not None)  # lost at the write (a true overlap), not at the read
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run, args=(index, move)) for index, move in enumerate(moves)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


def _seed(app, with_photo: bool = False) -> dict:
    with app.app_context():
        camera = make_camera()
        sighting = make_sighting(confirms_camera_id=None)
        photo = make_photo(sighting) if with_photo else None
        db.session.commit()
        ids = {"camera": camera.id, "sighting": sighting.id, "version": sighting.version}
        if photo is not None:
            ids.update(photo=photo.id, sha256=photo.sha256)
        db.session.remove()
        return ids


def _one_won(results: list[object], message: str) -> object:
    errors = [result for result in results if isinstance(result, Exception)]
    winners = [result for result in results if not isinstance(result, Exception)]
    assert len(winners) == 1 and len(errors) == 1, results
    assert isinstance(errors[0], Conflict), repr(errors[0])
    assert message in errors[0].message
    return winners[0]


def _log_after(app, sighting_id: int) -> tuple[int, int | None]:
    """How many events name this sighting, and whether the log's chain still holds."""
    with app.app_context():
        count = db.session.scalar(
            select(func.count())
            .select_from(ModerationEvent)
            .where(ModerationEvent.target_type == "sighting", ModerationEvent.target_id == sighting_id)
        )
        broken = events.verify_chain()
        db.session.remove()
        return count, broken


def test_approve_against_merge_one_decides_the_other_is_told(race_app):
    for _round in range(ROUNDS):
        item = _seed(race_app)
        results = _race(
            race_app,
            lambda actor, i=item: services.approve(i["sighting"], actor, None, i["version"]),
            lambda actor, i=item: services.merge(i["sighting"], i["camera"], actor, None, i["version"]),
        )
        _one_won(results, "Another moderator changed this sighting")
        with race_app.app_context():
            sighting = db.session.get(Sighting, item["sighting"])
            assert sighting.state in (SightingState.APPROVED, SightingState.MERGED)
            cameras = db.session.scalar(select(func.count()).select_from(Camera))
            confirmations = db.session.get(Camera, item["camera"]).confirmation_count
            # Approved: a new camera, the other untouched; merged: no new camera, one more confirmation.
            assert (sighting.state is SightingState.MERGED) == (confirmations == 2)
            db.session.remove()
        assert _log_after(race_app, item["sighting"]) == (1, None)
        assert cameras >= 1


def test_approve_against_reject_one_decides_the_other_is_told(race_app):
    for _round in range(ROUNDS):
        item = _seed(race_app)
        results = _race(
            race_app,
            lambda actor, i=item: services.approve(i["sighting"], actor, None, i["version"]),
            lambda actor, i=item: services.reject(i["sighting"], "spam", actor, None, i["version"]),
        )
        winner = _one_won(results, "Another moderator changed this sighting")
        with race_app.app_context():
            sighting = db.session.get(Sighting, item["sighting"])
            expected = SightingState.APPROVED if winner == "Camera" else SightingState.REJECTED
            assert sighting.state is expected
            assert (sighting.camera_id is not None) == (expected is SightingState.APPROVED)
            db.session.remove()
        assert _log_after(race_app, item["sighting"]) == (1, None)


def test_blur_against_blur_one_changes_the_photo_the_other_is_told(race_app):
    regions = photos.parse_regions('[{"x": 0, "y": 0, "w": 0.5, "h": 0.5}]')
    for _round in range(ROUNDS):
        item = _seed(race_app, with_photo=True)
        results = _race(
            race_app,
            lambda actor, i=item: photos.blur(i["photo"], regions, actor, i["sha256"]),
            lambda actor, i=item: photos.blur(i["photo"], regions, actor, i["sha256"]),
        )
        _one_won(results, "Another moderator changed this photo meanwhile")
        with race_app.app_context():
            photo = db.session.get(Photo, item["photo"])
            assert photo.sha256 != item["sha256"]
            # Nothing lost or left over: every file a row names exists, and the loser's new files were removed.
            named = {key for row in db.session.scalars(select(Photo)) for key in (row.display_key, row.thumb_key)}
            assert set(storage().keys()) == named
            blurs = db.session.scalar(
                select(func.count())
                .select_from(ModerationEvent)
                .where(ModerationEvent.target_type == "photo", ModerationEvent.target_id == photo.id)
            )
            assert blurs == 1 and events.verify_chain() is None
            db.session.remove()


def test_the_races_really_overlapped(race_app):
    """Most losers must have read the item before the winner committed and lost at their write; a race that
    always ran one after the other would test nothing the version check does not."""
    assert len(OVERLAPS) == 3 * ROUNDS
    print(f"{sum(OVERLAPS)} of {len(OVERLAPS)} losers lost at the write")
    assert sum(OVERLAPS) >= len(OVERLAPS) // 6
