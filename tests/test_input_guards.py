import json
import uuid

import pytest

from app.auth import tokens
from app.auth.sessions import load_user_from_cookie
from app.extensions import db
from app.models import Sighting
from app.vocabulary import Role, SightingState
from tests.factories import STARI_GRAD, make_camera, make_moderator, make_sighting
from tests.web import csrf_token, sign_in, where

# Strings str.isdigit() says are digits that are not an id: superscript two (int() refuses it), Arabic-Indic
# three (int() reads it as 3), more digits than int() reads (4300), and a number beyond a PostgreSQL integer.
NOT_IDS = ["\u00b2", "\u0663", "1" * 5000, "99999999999"]


@pytest.mark.parametrize(
    "url",
    [
        "/cameras/2147483648",
        "/cameras/1/photos/99999999999/thumb",
        "/api/v1/cameras/99999999999",
        "/moderation/sightings/99999999999",
    ],
)
def test_ids_beyond_a_database_integer_are_not_found(client, url):
    assert client.get(url).status_code in (401, 404)


@pytest.mark.parametrize(
    "url",
    [
        "/municipalities/%00",
        "/municipalities/%00/map",
        "/report/thanks/%00",
        "/api/v1/cameras?bbox=20,44,20.5,44.5&zoom=12&municipality=%00",
        "/api/v1/nearby?lat=44.8%00&lon=20.4",
    ],
)
def test_nul_bytes_are_refused_up_front(client, url):
    response = client.get(url)

    assert response.status_code == 400
    if url.startswith("/api/"):
        assert response.get_json()["error"]["code"] == "bad_request"


def test_ordinary_ids_still_route(client):
    camera = make_camera()

    assert client.get(f"/cameras/{camera.id}").status_code == 200


@pytest.mark.parametrize("raw", NOT_IDS, ids=["superscript", "arabic-indic", "huge", "beyond-int4"])
def test_the_api_refuses_a_camera_number_that_is_not_ascii_digits(client, raw):
    make_camera(id=3)  # what int("\u0663") would have confirmed
    response = client.post(
        "/api/v1/sightings",
        data={"lat": str(STARI_GRAD[1]), "lon": str(STARI_GRAD[0]), "confirms_camera": raw},
        headers={"Idempotency-Key": str(uuid.uuid4()), "Accept-Language": "en"},
        content_type="multipart/form-data",
    )

    assert response.status_code == 422
    error = response.get_json()["error"]
    assert error["code"] == "validation_failed"
    assert error["details"]["fields"]["confirms_camera"] == ["This is not a camera on our map."]


@pytest.mark.parametrize("raw", ["%C2%B2", "%D9%A3", "1" * 5000, "99999999999"])
def test_the_report_page_ignores_a_confirms_link_that_is_not_an_id(client, raw):
    make_camera(id=3)
    assert 'id="confirming-note"' in client.get("/report?confirms=3").get_data(as_text=True)

    response = client.get(f"/report?confirms={raw}")

    assert response.status_code == 200
    assert 'id="confirming-note"' not in response.get_data(as_text=True)


@pytest.fixture
def bearer():
    _row, secret = tokens.create_token(make_moderator(), "tests")
    return {"Authorization": f"Bearer {secret}", "Accept-Language": "en"}


@pytest.mark.parametrize(
    ("action", "body"),
    [
        ("reject", {"reason": "other", "note": "spam\x00"}),
        ("reject", {"reason": "spam", "note": "\x00"}),
        ("approve", {"reason": "seen it\x00"}),
        ("merge", {"camera_id": "CAMERA", "reason": "same\x00camera"}),
    ],
)
def test_the_moderation_api_refuses_nul_in_a_reason_or_note(client, bearer, action, body):
    sighting = make_sighting()
    body = {k: (str(make_camera().id) if v == "CAMERA" else v) for k, v in body.items()}

    as_json = client.post(f"/api/v1/moderation/sightings/{sighting.id}/{action}", headers=bearer, json=body)
    as_form = client.post(f"/api/v1/moderation/sightings/{sighting.id}/{action}", headers=bearer, data=body)

    for response in (as_json, as_form):
        assert response.status_code == 422
        assert response.get_json()["error"]["code"] == "validation_failed"
        assert response.get_json()["error"]["message"] == "This contains characters we cannot store."
    assert db.session.get(Sighting, sighting.id).state is SightingState.PENDING


@pytest.mark.parametrize("raw", NOT_IDS, ids=["superscript", "arabic-indic", "huge", "beyond-int4"])
def test_the_moderation_api_reads_digit_parameters_as_ascii_only(client, bearer, raw):
    sighting = make_sighting()

    listed = client.get(f"/api/v1/moderation/sightings?municipality={raw}", headers=bearer)
    versioned = client.post(
        f"/api/v1/moderation/sightings/{sighting.id}/reject", headers=bearer, json={"reason": "spam", "version": raw}
    )
    merged = client.post(f"/api/v1/moderation/sightings/{sighting.id}/merge", headers=bearer, json={"camera_id": raw})

    assert listed.status_code == 200
    assert versioned.status_code == merged.status_code == 422
    assert versioned.get_json()["error"]["code"] == merged.get_json()["error"]["code"] == "validation_failed"


@pytest.mark.parametrize("raw", NOT_IDS, ids=["superscript", "arabic-indic", "huge", "beyond-int4"])
def test_the_moderation_pages_read_digit_parameters_as_ascii_only(client, raw):
    admin = make_moderator(email="admin@example.org", role=Role.ADMIN)
    sign_in(client, admin)
    sighting, camera = make_sighting(), make_camera()

    queue = client.get(f"/moderation?municipality={raw}")
    audit = client.get(f"/admin/audit?moderator={raw}&camera={raw}&before={raw}")
    page = client.get(f"/moderation/sightings/{sighting.id}").get_data(as_text=True)
    token = csrf_token(page)
    bulk = client.post("/moderation/bulk-reject", data={"csrf_token": token, "sighting_ids": [raw], "category": "spam"})
    approve = client.post(f"/moderation/sightings/{sighting.id}/approve", data={"csrf_token": token, "version": raw})
    status = client.post(
        f"/moderation/cameras/{camera.id}/status",
        data={"csrf_token": token, "status": "removed", "reason": "gone", "version": raw, "sighting": raw},
    )

    assert (queue.status_code, audit.status_code) == (200, 200)
    assert (bulk.status_code, approve.status_code, status.status_code) == (303, 303, 303)
    assert where(status).endswith(f"/moderation/cameras/{camera.id}")


def test_the_moderation_pages_refuse_nul_in_a_reason(client):
    sign_in(client, make_moderator())
    sighting = make_sighting()
    token = csrf_token(client.get(f"/moderation/sightings/{sighting.id}").get_data(as_text=True))

    response = client.post(
        f"/moderation/sightings/{sighting.id}/reject",
        data={"csrf_token": token, "version": str(sighting.version), "category": "other", "note": "a\x00b"},
        headers={"Accept-Language": "en"},
    )

    assert response.status_code < 500
    assert db.session.get(Sighting, sighting.id).state is SightingState.PENDING


@pytest.mark.parametrize("raw", NOT_IDS, ids=["superscript", "arabic-indic", "huge", "beyond-int4"])
def test_a_session_naming_a_user_id_that_is_not_ascii_digits_signs_nobody_in(raw):
    # Not through the client: the session is signed, so only someone holding SECRET_KEY could send this.
    assert load_user_from_cookie(f"{raw}:token") is None


def test_the_osm_import_ignores_a_direction_that_is_not_ascii_digits(runner, tmp_path):
    node = {"type": "node", "id": 9300000001, "lat": STARI_GRAD[1], "lon": STARI_GRAD[0]}
    node["tags"] = {"man_made": "surveillance", "camera:direction": "\u00b2"}
    path = tmp_path / "overpass.json"
    path.write_text(json.dumps({"elements": [node]}))

    result = runner.invoke(args=["osm", "import", str(path)])

    assert result.exit_code == 0, result.output
    assert db.session.scalar(db.select(Sighting.direction).where(Sighting.source_ref == "9300000001")) is None
