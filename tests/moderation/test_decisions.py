from datetime import date

import pytest
from sqlalchemy import func, select

from app.errors import Conflict, NotFound, ValidationFailed
from app.extensions import db
from app.models import Camera, ModerationEvent, Sighting
from app.moderation import events, services
from app.moderation.content import coordinates
from app.vocabulary import CameraStatus, CameraType, Capability, Evidence, Manufacturer, SightingState
from tests.factories import make_camera, make_moderator, make_sighting


@pytest.fixture
def moderator():
    return make_moderator()


def _events(action=None):
    query = select(ModerationEvent).order_by(ModerationEvent.id)
    if action:
        query = query.where(ModerationEvent.action == action)
    return list(db.session.scalars(query))


def test_approving_creates_a_camera_from_the_sighting_and_logs_it(moderator):
    sighting = make_sighting(submitted_on=date(2026, 11, 18), direction=120)

    camera = services.approve(sighting.id, moderator, "clear photo", expected_version=sighting.version)

    assert sighting.state is SightingState.APPROVED and sighting.camera_id == camera.id
    assert camera.camera_type is CameraType.DOME and camera.manufacturer is Manufacturer.HUAWEI
    assert camera.direction == 120 and camera.confirmation_count == 1
    assert camera.first_confirmed_on == camera.last_confirmed_on == date(2026, 11, 18)
    assert {c.capability for c in camera.capabilities} == {Capability.FACIAL_RECOGNITION}
    assert coordinates(Camera, camera.id) == coordinates(Sighting, sighting.id)
    assert camera.municipality.name == "Stari grad"
    # A phone may retry after the decision: the key and payload hash stay until `flask retention run` (7 days).
    assert sighting.idempotency_key_sha256 is not None and sighting.payload_hash is not None
    [event] = _events("approve")
    assert (event.actor_id, event.target_id, event.reason) == (moderator.id, sighting.id, "clear photo")
    assert event.details["camera_id"] == camera.id
    assert event.before_hash != event.after_hash and len(event.content_hash) == 64


def test_merging_counts_a_confirmation_and_learns_missing_claims(moderator):
    camera = make_camera(first_confirmed_on=date(2026, 10, 1), last_confirmed_on=date(2026, 10, 1), model=None)
    sighting = make_sighting(
        submitted_on=date(2026, 11, 19),
        model="IPC6625-Z30",
        capabilities={Capability.NUMBER_PLATE_RECOGNITION: Evidence.PROCUREMENT_DOCUMENT},
    )

    merged = services.merge(sighting.id, camera.id, moderator)

    assert merged.id == camera.id and camera.confirmation_count == 2
    assert camera.first_confirmed_on == date(2026, 10, 1) and camera.last_confirmed_on == date(2026, 11, 19)
    assert camera.model == "IPC6625-Z30"
    assert {c.capability for c in camera.capabilities} == {
        Capability.FACIAL_RECOGNITION,
        Capability.NUMBER_PLATE_RECOGNITION,
    }
    assert sighting.state is SightingState.MERGED and sighting.camera_id == camera.id
    assert _events("merge")[0].details["confirmation_count"] == 2


def test_merging_into_a_missing_or_removed_camera_is_refused(moderator):
    sighting = make_sighting()
    removed = make_camera(status=CameraStatus.REMOVED)

    with pytest.raises(NotFound):
        services.merge(sighting.id, 999_999, moderator)
    with pytest.raises(Conflict):
        services.merge(sighting.id, removed.id, moderator)
    assert sighting.state is SightingState.PENDING and _events() == []


def test_rejecting_needs_a_category_and_other_needs_a_note(moderator):
    sighting = make_sighting()

    with pytest.raises(ValidationFailed):
        services.reject(sighting.id, "because", moderator)
    with pytest.raises(ValidationFailed):
        services.reject(sighting.id, "other", moderator, note="  ")
    services.reject(sighting.id, "not_a_camera", moderator, note="a lamp")

    assert sighting.state is SightingState.REJECTED and sighting.camera_id is None
    assert sighting.decision_reason == "not_a_camera: a lamp"
    [event] = _events("reject")
    assert event.reason == "not_a_camera" and event.details == {}  # the note may quote the report: not in the log


def test_a_second_moderator_acting_on_a_stale_page_gets_a_conflict_and_changes_nothing(moderator):
    other = make_moderator("other@example.org")
    sighting = make_sighting()
    seen_version = sighting.version

    services.reject(sighting.id, "spam", moderator, expected_version=seen_version)
    with pytest.raises(Conflict, match="Drugi moderator"):
        services.approve(sighting.id, other, expected_version=seen_version)
    with pytest.raises(Conflict, match="već odlučeno"):
        services.approve(sighting.id, other)

    assert sighting.state is SightingState.REJECTED
    assert db.session.scalar(select(func.count()).select_from(Camera)) == 0
    assert [e.actor_id for e in _events()] == [moderator.id]


def test_editing_keeps_the_original_and_moves_the_pin(moderator):
    sighting = make_sighting(note="on the pole by the bakery")
    original_lon, original_lat = coordinates(Sighting, sighting.id)

    services.edit(
        sighting.id,
        {"camera_type": CameraType.PANNING, "lon": 20.4580, "lat": 44.8180},
        {Capability.PTZ_ZOOM: Evidence.MODEL_IDENTIFIED},
        moderator,
        reason="photo shows a PTZ",
        expected_version=sighting.version,
    )
    services.edit(sighting.id, {"model": "IPC6625-Z30"}, None, moderator)

    assert sighting.camera_type is CameraType.PANNING and sighting.model == "IPC6625-Z30"
    assert coordinates(Sighting, sighting.id) == (20.458, 44.818)
    assert sighting.original_submission["camera_type"] == "dome"
    assert (sighting.original_submission["lon"], sighting.original_submission["lat"]) == (original_lon, original_lat)
    assert sighting.original_submission["capabilities"] == {"facial_recognition": "suspected"}
    assert [e.action for e in _events()] == ["edit", "edit"]
    camera = services.approve(sighting.id, moderator)
    assert camera.camera_type is CameraType.PANNING
    assert {c.capability for c in camera.capabilities} == {Capability.PTZ_ZOOM}


def test_moving_the_pin_outside_every_municipality_is_refused(moderator):
    sighting = make_sighting()

    with pytest.raises(ValidationFailed):
        services.edit(sighting.id, {"lon": 19.0402, "lat": 47.4979}, None, moderator)

    assert coordinates(Sighting, sighting.id) == (20.4569, 44.8176)
    assert _events() == []


def test_bulk_reject_is_all_or_nothing(moderator):
    spam = [make_sighting() for _ in range(3)]
    decided = make_sighting()
    services.approve(decided.id, moderator)

    with pytest.raises(Conflict):
        services.bulk_reject([s.id for s in spam] + [decided.id], "spam", moderator)
    assert all(db.session.get(Sighting, s.id).state is SightingState.PENDING for s in spam)

    assert services.bulk_reject([s.id for s in spam], "spam", moderator) == 3
    assert all(s.state is SightingState.REJECTED for s in spam)
    assert len(_events("reject")) == 3


def test_camera_status_changes_need_a_reason_and_are_public_history(moderator):
    sighting = make_sighting()
    camera = services.approve(sighting.id, moderator, reason="moderator-only note naming someone")

    with pytest.raises(ValidationFailed):
        services.set_camera_status(camera.id, "removed", moderator, "")
    services.set_camera_status(camera.id, "needs_resurvey", moderator, "pole replaced")
    services.merge(make_sighting().id, camera.id, moderator)

    assert camera.status is CameraStatus.ACTIVE  # a new confirmation settles the re-survey
    history = services.public_history(camera.id)
    assert [entry["action"] for entry in history] == ["approve", "camera_status", "merge"]
    assert history[1]["details"] == {"status": "needs_resurvey"}
    assert history[2]["details"] == {"confirmation_count": 2}
    flat = repr(history)
    assert "mod@example.org" not in flat and "naming someone" not in flat and "actor" not in flat


def test_the_log_is_a_hash_chain_that_shows_tampering(moderator, owner_statement):
    for _ in range(3):
        services.approve(make_sighting().id, moderator)

    assert events.verify_chain() is None
    first, second, _third = _events()
    assert first.content_hash != second.content_hash
    # The site's role cannot edit the log (tests/test_database_roles.py); the owner or a superuser could, after
    # disabling the trigger. Simulate that edit.
    owner_statement("ALTER TABLE moderation_events DISABLE TRIGGER moderation_events_append_only")
    owner_statement("UPDATE moderation_events SET reason = 'rewritten' WHERE id = :id", id=second.id)
    db.session.expire_all()
    assert events.verify_chain() == second.id
