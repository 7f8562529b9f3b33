"""Public reads on a real streaming replica (scripts/postgis.sh replica-start: pg_basebackup, hot standby): a camera
approved on the primary appears in public reads once replicated; while the replica lags, public reads show the
replica's view and the reporter's receipt the primary's; past REPLICA_MAX_LAG_S, or with the replica stopped,
the primary answers."""

import time

import flask_migrate
import pytest
from sqlalchemy import text

from app.database_roles import apply_roles
from app.extensions import db
from app.models import User
from app.moderation.services import approve
from tests.cluster import postgis, scratch_app
from tests.factories import make_moderator, make_sighting
from tests.web import new_client

SCRATCH = "hiljade_test_replica"
VIEW = "/api/v1/cameras?bbox=20.40,44.78,20.52,44.84&zoom=17"


@pytest.fixture(scope="module")
def replica_app():
    postgis("recreatedb", SCRATCH)
    postgis("replica-start")
    with scratch_app(SCRATCH) as app:
        flask_migrate.upgrade()
        apply_roles(app)
        app.config["REPLICA_DATABASE_URL"] = postgis("replica-url", SCRATCH)
        app.moderator_id = make_moderator().id
        db.session.commit()
        db.session.remove()
        yield app


def _replica(sql: str):
    return postgis("replica-psql", SCRATCH, "-tAc", sql)


def _wait_for_replica(condition_sql: str) -> None:
    deadline = time.monotonic() + 20
    while _replica(condition_sql) != "t":
        assert time.monotonic() < deadline, f"the replica never saw: {condition_sql}"
        time.sleep(0.2)


def _cameras_in_view(client) -> int:
    response = client.get(VIEW)
    assert response.status_code == 200
    return len(response.get_json()["features"])


def _approved_camera(app, lon: float) -> int:
    """Approved and committed on the primary, in the scratch app's own context (not the suite's)."""
    with app.app_context():
        camera = approve(make_sighting(lon, 44.81).id, db.session.get(User, app.moderator_id))
        db.session.commit()
        camera_id = camera.id
        db.session.remove()
    return camera_id


def test_public_reads_follow_the_replica_and_fall_back_to_the_primary(replica_app, monkeypatch):
    client = new_client(replica_app)
    first = _approved_camera(replica_app, 20.45)
    _wait_for_replica(f"SELECT EXISTS (SELECT 1 FROM cameras WHERE id = {int(first)})")  # noqa: S608
    time.sleep(1.1)  # the health check runs at most once a second
    assert _cameras_in_view(client) == 1

    _replica("SELECT pg_wal_replay_pause()")
    try:
        second = _approved_camera(replica_app, 20.46)  # committed on the primary, not yet replayed
        with replica_app.app_context():
            assert db.session.scalar(text("SELECT count(*) FROM cameras")) == 2
            db.session.remove()
        assert _cameras_in_view(client) == 1  # the public read came from the replica
        camera_page = client.get(f"/cameras/{second}")
        assert camera_page.status_code == 404  # a public page too reads the replica's view

        monkeypatch.setitem(replica_app.config, "REPLICA_MAX_LAG_S", 0.0)
        time.sleep(1.1)
        assert _cameras_in_view(client) == 2  # lagging beyond the limit: the primary answers
    finally:
        _replica("SELECT pg_wal_replay_resume()")


def test_with_the_replica_stopped_public_reads_still_answer(replica_app):
    client = new_client(replica_app)
    before = _cameras_in_view(client)
    postgis("replica-stop")
    try:
        _approved_camera(replica_app, 20.47)
        time.sleep(1.1)
        started = time.monotonic()
        assert _cameras_in_view(client) == before + 1  # from the primary
        assert time.monotonic() - started < 5  # a reader does not wait for the dead replica
    finally:
        postgis("replica-start")


def test_a_replica_that_can_no_longer_catch_up_is_made_again(replica_app):
    """Stopped while the primary wrote and recycled its WAL (a benchmark's load), a replica waits forever for WAL that
    is gone; replica-start sees that and makes it again from a new base backup."""
    postgis("replica-stop")
    for _ in range(4):  # new WAL, a new segment, and a checkpoint that removes the old ones
        postgis("psql", "postgres", "-tAc", "SELECT pg_logical_emit_message(false, 'test', 'x'), pg_switch_wal()")
        postgis("psql", "postgres", "-tAc", "CHECKPOINT")
    started = postgis("replica-start", log=True)
    assert "making it again" in started
    first = _approved_camera(replica_app, 20.47)
    _wait_for_replica(f"SELECT EXISTS (SELECT 1 FROM cameras WHERE id = {int(first)})")  # noqa: S608
    assert _replica("SELECT status FROM pg_stat_wal_receiver") == "streaming"
    assert "making it again" not in postgis("replica-start", log=True)  # a replica that streams is kept
