import pytest
from sqlalchemy import func, select

from app.auth import tokens
from app.extensions import db
from app.models import ModerationEvent
from app.vocabulary import SightingState
from tests.factories import make_camera, make_moderator, make_sighting


@pytest.fixture
def moderator():
    return make_moderator()


@pytest.fixture
def bearer(moderator):
    _row, secret = tokens.create_token(moderator, "tests")
    return {"Authorization": f"Bearer {secret}"}


def test_lists_pending_sightings_oldest_first(client, bearer):
    from datetime import date

    newer = make_sighting(submitted_on=date(2026, 11, 21))
    older = make_sighting(submitted_on=date(2026, 11, 2))

    response = client.get("/api/v1/moderation/sightings?state=pending", headers=bearer)

    assert response.status_code == 200
    listed = response.get_json()["sightings"]
    assert [s["id"] for s in listed] == [older.id, newer.id]
    assert listed[0]["municipality"] == "Stari grad" and listed[0]["capabilities"] == {
        "facial_recognition": "suspected"
    }
    assert "idempotency_key" not in listed[0]


def test_approve_merge_and_reject_write_the_same_events_as_the_web(client, bearer, moderator):
    first, second, third = make_sighting(), make_sighting(), make_sighting()

    approved = client.post(f"/api/v1/moderation/sightings/{first.id}/approve", headers=bearer, json={})
    camera_id = approved.get_json()["camera_id"]
    merged = client.post(
        f"/api/v1/moderation/sightings/{second.id}/merge", headers=bearer, json={"camera_id": camera_id}
    )
    rejected = client.post(f"/api/v1/moderation/sightings/{third.id}/reject", headers=bearer, json={"reason": "spam"})

    assert (approved.status_code, merged.status_code, rejected.status_code) == (200, 200, 200)
    assert merged.get_json()["confirmation_count"] == 2
    actions = db.session.execute(
        select(ModerationEvent.action, ModerationEvent.actor_id).order_by(ModerationEvent.id)
    ).all()
    assert actions == [("approve", moderator.id), ("merge", moderator.id), ("reject", moderator.id)]


def test_errors_use_the_envelope(client, bearer):
    sighting = make_sighting()
    camera = make_camera()

    no_reason = client.post(f"/api/v1/moderation/sightings/{sighting.id}/reject", headers=bearer, json={})
    bad_reason = client.post(
        f"/api/v1/moderation/sightings/{sighting.id}/reject", headers=bearer, json={"reason": "meh"}
    )
    missing = client.post("/api/v1/moderation/sightings/999999/approve", headers=bearer, json={})
    client.post(f"/api/v1/moderation/sightings/{sighting.id}/merge", headers=bearer, json={"camera_id": camera.id})
    again = client.post(
        f"/api/v1/moderation/sightings/{sighting.id}/approve", headers={**bearer, "Accept-Language": "en"}, json={}
    )
    stale = client.post(
        f"/api/v1/moderation/sightings/{make_sighting().id}/approve", headers=bearer, json={"version": 99}
    )

    assert no_reason.status_code == bad_reason.status_code == 422
    assert missing.status_code == 404 and missing.get_json()["error"]["code"] == "not_found"
    assert again.status_code == 409 and "already decided" in again.get_json()["error"]["message"]
    assert stale.status_code == 409


def test_anonymous_revoked_and_disabled_callers_get_401(client, moderator, bearer):
    sighting = make_sighting()
    url = f"/api/v1/moderation/sightings/{sighting.id}/approve"

    assert client.get("/api/v1/moderation/sightings").status_code == 401
    assert client.post(url, json={}).status_code == 401
    assert client.post(url, json={}, headers={"Authorization": "Bearer hk_guess"}).status_code == 401
    assert client.post(url, json={}, headers={"Authorization": "Basic abc"}).status_code == 401

    moderator.active = False
    db.session.commit()
    refused = client.post(url, json={}, headers=bearer)
    assert refused.status_code == 401 and refused.get_json()["error"]["code"] == "unauthorized"

    moderator.active = True
    db.session.commit()
    [token] = tokens.tokens_of(moderator)
    tokens.revoke_token(token.id)
    assert client.post(url, json={}, headers=bearer).status_code == 401
    assert db.session.get(type(sighting), sighting.id).state is SightingState.PENDING
    assert db.session.scalar(select(func.count()).select_from(ModerationEvent)) == 0


def test_a_signed_in_browser_session_is_not_enough_for_the_api(client, moderator):
    from tests.web import sign_in

    sign_in(client, moderator)

    assert client.get("/api/v1/moderation/sightings").status_code == 401


NEAR_MISSES = ["id+0.9", "id.0", True, False, 1e12, 2**31, -1, 0, "1e3", " 1", "١", [1], {"id": 1}, None]


@pytest.mark.parametrize("camera_id", NEAR_MISSES)
def test_merge_refuses_a_camera_id_that_is_not_a_plain_camera_number(client, bearer, camera_id):
    """1.9 or true once merged into camera 1 (the wrong camera); 1e12 was a 500."""
    camera = make_camera()
    before = camera.confirmation_count
    sighting = make_sighting()
    if camera_id == "id+0.9":
        camera_id = camera.id + 0.9  # int() made this camera.id
    elif camera_id == "id.0":
        camera_id = f"{camera.id}.0"

    response = client.post(
        f"/api/v1/moderation/sightings/{sighting.id}/merge",
        headers={**bearer, "Accept-Language": "en"},
        json={"camera_id": camera_id},
    )

    assert response.status_code == 422, response.get_data(as_text=True)
    error = response.get_json()["error"]
    assert error["code"] == "validation_failed" and "camera_id" in error["message"]
    assert sighting.state is SightingState.PENDING and camera.confirmation_count == before
    assert db.session.scalar(select(func.count()).select_from(ModerationEvent)) == 0


def test_merge_takes_a_camera_number_as_an_int_or_a_string_of_digits(client, bearer):
    camera = make_camera()
    first, second = make_sighting(), make_sighting()

    as_int = client.post(
        f"/api/v1/moderation/sightings/{first.id}/merge", headers=bearer, json={"camera_id": camera.id}
    )
    as_text = client.post(
        f"/api/v1/moderation/sightings/{second.id}/merge", headers=bearer, data={"camera_id": str(camera.id)}
    )

    assert (as_int.status_code, as_text.status_code) == (200, 200)
    assert as_int.get_json()["camera_id"] == as_text.get_json()["camera_id"] == camera.id
    assert first.state is second.state is SightingState.MERGED


@pytest.mark.parametrize(
    ("action", "body"),
    [
        ("approve", {"reason": 5}),
        ("approve", {"reason": ["x"]}),
        ("merge", {"reason": {"a": 1}}),
        ("reject", {"reason": "other", "note": 42}),
        ("reject", {"reason": "spam", "note": True}),
        ("approve", {"version": True}),
        ("approve", {"version": 1.9}),
    ],
)
def test_non_text_reasons_and_notes_are_refused_not_a_500(client, bearer, action, body):
    sighting = make_sighting()
    if action == "merge":
        body = {**body, "camera_id": make_camera().id}

    response = client.post(f"/api/v1/moderation/sightings/{sighting.id}/{action}", headers=bearer, json=body)

    assert response.status_code == 422, response.get_data(as_text=True)
    assert response.get_json()["error"]["code"] == "validation_failed"
    assert sighting.state is SightingState.PENDING
