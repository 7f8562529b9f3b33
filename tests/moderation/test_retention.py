"""Retention with a frozen clock: after the period nothing of a rejected report is left, in any table, file or event."""

import hashlib
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import ModerationEvent, Sighting
from app.moderation import services
from app.moderation.content import canonical_json, sighting_content
from app.moderation.retention import run_retention
from tests.dump import database_text
from tests.factories import make_moderator
from tests.submissions.conftest import stored_files
from tests.submissions.images import phone_photo, plain_jpeg

REPORTED_ON = date(2026, 3, 2)
NOTE = "Iza kioska Trafika 24, pored ulaza u školu."
REPORT = {
    "lat": "44.8183217",
    "lon": "20.4589321",
    "direction": "135",
    "camera_type": "dome",
    "capabilities": ["facial_recognition"],
    "manufacturer": "Dahua",
    "model": "DH-SD6AL445XA",
    "note": NOTE,
}


@pytest.fixture
def clock(monkeypatch):
    """The day every service sees (app.models.columns.today), moved by the test."""
    now = {"day": REPORTED_ON}

    def utcnow():
        return datetime.combine(now["day"], datetime.min.time(), UTC) + timedelta(hours=12)

    monkeypatch.setattr("app.models.columns.utcnow", utcnow)
    return now


def _traces(receipt: dict) -> list[str]:
    return [
        NOTE,
        "Trafika",
        REPORT["lat"],
        REPORT["lon"],
        "44.818321",
        "20.458932",
        REPORT["model"],
        receipt["reference"],
    ]


def test_after_the_period_nothing_of_a_rejected_report_is_left(post_sighting, photo_dir, clock):
    moderator = make_moderator()
    receipt = post_sighting(REPORT, photos=[("a.jpg", phone_photo()), ("b.jpg", plain_jpeg())]).json
    sighting = db.session.get(Sighting, receipt["id"])
    assert sighting.submitted_on == REPORTED_ON
    services.edit(sighting.id, {"lon": "20.4589999"}, None, moderator, reason="pin on the pole")
    plain_hash = hashlib.sha256(canonical_json(sighting_content(sighting)).encode()).hexdigest()
    clock["day"] = REPORTED_ON + timedelta(days=1)
    services.reject(sighting.id, "other", moderator, note=f"Not a camera: {NOTE}")
    assert len(stored_files(photo_dir)) == 4

    clock["day"] = REPORTED_ON + timedelta(days=31)  # 30 days after the rejection: kept
    assert run_retention().sightings_purged == 0
    assert db.session.get(Sighting, receipt["id"]) is not None

    clock["day"] = REPORTED_ON + timedelta(days=32)
    result = run_retention()

    assert (result.sightings_purged, result.photos_purged) == (1, 2)
    db.session.expire_all()
    assert stored_files(photo_dir) == []
    dump = database_text()
    for trace in _traces(receipt):
        assert trace not in dump, trace
    assert plain_hash not in dump  # no unkeyed hash of its content (and so of its position) in the log
    events = db.session.scalars(
        select(ModerationEvent).where(
            ModerationEvent.target_type == "sighting", ModerationEvent.target_id == receipt["id"]
        )
    ).all()
    assert [event.action for event in events] == ["edit", "reject", "retention_purge"]
    purge = events[-1]
    assert purge.actor_id is None and purge.reason is None and purge.details == {}
    assert purge.before_hash is None and purge.after_hash is None
    assert all(NOTE not in str(event.details) and NOTE not in (event.reason or "") for event in events)
    assert run_retention().sightings_purged == 0  # idempotent


def test_the_period_is_configurable(app, post_sighting, clock, monkeypatch):
    monkeypatch.setitem(app.config, "REJECTED_RETENTION_DAYS", 3)
    receipt = post_sighting(REPORT).json
    services.reject(receipt["id"], "spam", make_moderator())

    clock["day"] = REPORTED_ON + timedelta(days=3)
    assert run_retention().sightings_purged == 0
    clock["day"] = REPORTED_ON + timedelta(days=4)
    assert run_retention().sightings_purged == 1


def test_pending_approved_and_merged_reports_are_kept(post_sighting, clock):
    moderator = make_moderator()
    pending = post_sighting(REPORT).json
    approved = post_sighting({**REPORT, "note": "another"}).json
    camera = services.approve(approved["id"], moderator)
    merged = post_sighting({**REPORT, "note": "seen again"}).json
    services.merge(merged["id"], camera.id, moderator)

    clock["day"] = REPORTED_ON + timedelta(days=400)
    assert run_retention().sightings_purged == 0
    for receipt in (pending, approved, merged):
        assert db.session.get(Sighting, receipt["id"]) is not None
