import uuid

import pytest
from flask_babel import refresh
from sqlalchemy import func, select

from app.extensions import db
from app.models import Photo, Sighting
from app.vocabulary import CameraType, Capability, Evidence, SightingState
from tests.factories import BUDAPEST, STARI_GRAD, make_camera
from tests.submissions.conftest import stored_files
from tests.submissions.images import phone_photo, plain_jpeg

HERE = {"lat": str(STARI_GRAD[1]), "lon": str(STARI_GRAD[0])}


def count_sightings() -> int:
    return db.session.scalar(select(func.count()).select_from(Sighting))


def test_a_report_is_stored_pending_with_clean_photos_and_the_day_only(post_sighting, photo_dir):
    fields = {
        **HERE,
        "direction": "270",
        "camera_type": "dome",
        "mount": "pole",
        "capabilities": ["facial_recognition", "number_plate_recognition"],
        "capability_evidence": "model_identified",
        "manufacturer": "Huawei",
        "model": "IPC6625-Z30",
        "operator": "police",
        "zone": "traffic",
        "note": "Na raskrsnici, okrenuta ka školi.",
    }
    response = post_sighting(fields, photos=[("a.jpg", phone_photo()), ("b.jpg", plain_jpeg())])

    assert response.status_code == 201, response.json
    body = response.json
    assert body["status"] == "pending" and body["reference"].startswith("HK-")
    sighting = db.session.get(Sighting, body["id"])
    assert sighting.state == SightingState.PENDING
    assert sighting.camera_id is None  # nothing reaches the public map on its own
    assert sighting.municipality.name == "Stari grad"
    assert sighting.camera_type == CameraType.DOME and sighting.direction == 270
    assert {(c.capability, c.evidence) for c in sighting.capabilities} == {
        (Capability.FACIAL_RECOGNITION, Evidence.MODEL_IDENTIFIED),
        (Capability.NUMBER_PLATE_RECOGNITION, Evidence.MODEL_IDENTIFIED),
    }
    assert [(p.width, p.height) for p in sighting.photos] == [(300, 600), (320, 240)]
    assert len(stored_files(photo_dir)) == 4
    assert str(sighting.submitted_on) and not hasattr(sighting.submitted_on, "hour")


def test_replaying_the_same_key_and_payload_answers_the_same_and_stores_once(post_sighting, photo_dir):
    key = uuid.uuid4()
    photos = [("a.jpg", plain_jpeg())]
    first = post_sighting(HERE, photos=photos, key=key)
    again = post_sighting(HERE, photos=photos, key=key)

    assert first.status_code == again.status_code == 201
    assert first.json == again.json
    assert count_sightings() == 1
    assert len(stored_files(photo_dir)) == 2


def test_the_same_key_with_a_different_payload_is_refused(post_sighting):
    key = uuid.uuid4()
    assert post_sighting(HERE, key=key).status_code == 201
    changed = post_sighting({**HERE, "note": "something else"}, key=key)

    assert changed.status_code == 422
    assert changed.json["error"]["code"] == "idempotency_key_reused"
    assert count_sightings() == 1


def test_errors_speak_the_readers_language(post_sighting):
    english = post_sighting({"lat": "95", "lon": "20"})
    refresh()  # the tests share one app context, where Flask-Babel caches the locale
    serbian = post_sighting({"lat": "95", "lon": "20"}, headers={"Accept-Language": "sr"})

    assert english.status_code == serbian.status_code == 422
    assert "Latitude must be a number between -90 and 90." in english.json["error"]["details"]["fields"]["lat"]
    assert english.json["error"]["message"] != serbian.json["error"]["message"]
    assert "Geografska širina" in " ".join(serbian.json["error"]["details"]["fields"]["lat"])


def test_a_confirmation_names_the_camera_already_on_the_map(post_sighting):
    camera = make_camera()
    response = post_sighting({**HERE, "confirms_camera": str(camera.id)})

    assert response.status_code == 201
    assert db.session.get(Sighting, response.json["id"]).confirms_camera_id == camera.id


def test_nearby_lists_verified_cameras_within_30_metres_and_the_municipality(client):
    near = make_camera(STARI_GRAD[0] + 0.0002, STARI_GRAD[1])  # about 16 m east
    make_camera(STARI_GRAD[0] + 0.0006, STARI_GRAD[1])  # about 47 m east

    result = client.get(f"/api/v1/nearby?lat={STARI_GRAD[1]}&lon={STARI_GRAD[0]}").json

    assert result["municipality"]["name"] == "Stari grad"
    assert [camera["id"] for camera in result["cameras"]] == [near.id]
    assert 10 < result["cameras"][0]["distance_m"] < 20
    outside = client.get(f"/api/v1/nearby?lat={BUDAPEST[1]}&lon={BUDAPEST[0]}").json
    assert outside == {"municipality": None, "cameras": []}


def test_submitted_photos_are_counted_in_the_photo_table(post_sighting):
    post_sighting(HERE, photos=[("a.jpg", plain_jpeg())])
    assert db.session.scalar(select(func.count()).select_from(Photo)) == 1


GONE_NOTES_IN_EVERY_LANGUAGE = [
    None,
    "This camera is no longer there.",
    "Ove kamere više nema.",
    "Ове камере више нема.",
    "Kjo kamerë nuk është më aty.",
    "Still there, I think.",  # the note says otherwise: the field decides
]


@pytest.mark.parametrize("note", GONE_NOTES_IN_EVERY_LANGUAGE)
@pytest.mark.parametrize("language", ["sr-Latn", "sr-Cyrl", "sq", "en"])
def test_a_report_marked_gone_arrives_flagged_whatever_its_note_says(post_sighting, note, language):
    camera = make_camera()
    fields = {**HERE, "confirms_camera": str(camera.id), "gone": "1", **({"note": note} if note else {})}

    response = post_sighting(fields, headers={"Accept-Language": language})

    assert response.status_code == 201, response.json
    sighting = db.session.get(Sighting, response.json["id"])
    assert sighting.reports_gone is True and sighting.confirms_camera_id == camera.id


@pytest.mark.parametrize("note", GONE_NOTES_IN_EVERY_LANGUAGE)
def test_a_report_not_marked_gone_is_never_flagged_by_its_note(post_sighting, note):
    camera = make_camera()

    response = post_sighting({**HERE, "confirms_camera": str(camera.id), **({"note": note} if note else {})})

    assert response.status_code == 201
    assert db.session.get(Sighting, response.json["id"]).reports_gone is False


@pytest.mark.parametrize("value", ["yes", "2", "gone", "1 OR 1=1"])
def test_a_gone_field_that_is_not_a_yes_or_no_is_refused_and_nothing_is_stored(post_sighting, value):
    camera = make_camera()

    response = post_sighting({**HERE, "confirms_camera": str(camera.id), "gone": value})

    assert response.status_code == 422
    assert response.json["error"]["details"]["fields"]["gone"] == ["Not one of the offered answers."]
    assert count_sightings() == 0


def test_gone_without_a_camera_is_refused_in_the_readers_language(post_sighting):
    response = post_sighting({**HERE, "gone": "true"}, headers={"Accept-Language": "sq"})

    assert response.status_code == 422
    assert "gone" in response.json["error"]["details"]["fields"]
    assert count_sightings() == 0


def test_each_claimed_capability_carries_its_own_evidence(post_sighting):
    response = post_sighting(
        {
            **HERE,
            "capabilities": ["facial_recognition", "number_plate_recognition", "infrared"],
            "evidence_facial_recognition": "model_identified",
            "evidence_number_plate_recognition": "procurement_document",
            "evidence_audio": "official_statement",  # not claimed: ignored
            "capability_evidence": "official_statement",  # for the claim without its own
        }
    )

    assert response.status_code == 201, response.json
    claims = {c.capability: c.evidence for c in db.session.get(Sighting, response.json["id"]).capabilities}
    assert claims == {
        Capability.FACIAL_RECOGNITION: Evidence.MODEL_IDENTIFIED,
        Capability.NUMBER_PLATE_RECOGNITION: Evidence.PROCUREMENT_DOCUMENT,
        Capability.INFRARED: Evidence.OFFICIAL_STATEMENT,
    }


def test_an_unknown_evidence_level_of_one_claim_is_refused_and_nothing_is_stored(post_sighting):
    response = post_sighting({**HERE, "capabilities": ["audio"], "evidence_audio": "rumour"})

    assert response.status_code == 422
    assert response.json["error"]["details"]["fields"]["evidence_audio"] == ["Not one of the offered answers."]
    assert count_sightings() == 0


def test_the_report_form_offers_an_evidence_level_beside_each_capability(client):
    html = client.get("/report?lang=en").get_data(as_text=True)

    for capability in Capability:
        assert f'<select id="evidence_{capability.value}" name="evidence_{capability.value}">' in html
    assert "Evidence for “Facial recognition”" in html
