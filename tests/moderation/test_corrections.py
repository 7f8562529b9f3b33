"""Corrections: sent from a camera's public page, accepted by a moderator field by field, or made directly."""

import csv
import io
import json
import re
import subprocess

from sqlalchemy import select

from app.extensions import db
from app.models import Camera, ModerationEvent, Sighting
from app.vocabulary import CameraType, Capability, Evidence, Manufacturer, SightingKind, SightingState
from tests.factories import STARI_GRAD, make_camera, make_moderator
from tests.tiles.test_tiles import tile_of
from tests.web import hidden, new_client, post_form, sign_in, where

NOTE = "Vidim logo Dahua, ja stojim kod trafike."
MOVED = (round(STARI_GRAD[0] + 0.0004, 7), round(STARI_GRAD[1] + 0.0002, 7))


def _tile_manufacturers(client, tmp_path, lon: float, lat: float) -> list[str]:
    x, y = tile_of(lon, lat, 16)
    path = tmp_path / f"{x}-{y}-{len(list(tmp_path.iterdir()))}" / "16" / str(x) / f"{y}.pbf"
    path.parent.mkdir(parents=True)
    path.write_bytes(client.get(f"/tiles/cameras/16/{x}/{y}.pbf").data)
    output = subprocess.run(["ogrinfo", "-ro", "-al", "-q", str(path)], capture_output=True, text=True).stdout
    return re.findall(r"manufacturer \(String\) = (\S+)", output)


def _send_correction(app, camera: Camera) -> Sighting:
    public = new_client(app)
    camera_page = public.get(f"/cameras/{camera.id}?lang=en").get_data(as_text=True)
    link = re.search(r'id="correct-link" href="([^"]+)"', camera_page).group(1).replace("&amp;", "&")
    page = public.get(link).get_data(as_text=True)
    assert f"You are correcting camera #{camera.id}" in page
    response = public.post(
        "/report?lang=en",
        data={
            "csrf_token": hidden(page, "csrf_token"),
            "idempotency_key": hidden(page, "idempotency_key"),
            "confirms_camera": hidden(page, "confirms_camera"),
            "correction_subject": "manufacturer_or_model",
            "lat": str(MOVED[1]),
            "lon": str(MOVED[0]),
            "manufacturer": "Dahua",
            "model": "DH-SD6AL445XA",
            "note": NOTE,
        },
    )
    assert response.status_code == 303, response.get_data(as_text=True)
    return db.session.scalar(select(Sighting).where(Sighting.kind == SightingKind.CORRECTION))


def test_an_accepted_correction_changes_the_camera_csv_geojson_and_tiles_and_logs_camera_data_only(app, tmp_path):
    camera = make_camera(*STARI_GRAD, manufacturer=Manufacturer.HUAWEI, camera_type=CameraType.DOME)
    count = camera.confirmation_count
    reader = new_client(app)
    assert _tile_manufacturers(reader, tmp_path, *STARI_GRAD) == ["Huawei"]

    correction = _send_correction(app, camera)
    assert correction.confirms_camera_id == camera.id and correction.correction_subject.value == "manufacturer_or_model"

    moderator = new_client(app)
    sign_in(moderator, make_moderator())
    url = f"/moderation/sightings/{correction.id}?lang=en"
    item = moderator.get(url).get_data(as_text=True)
    assert f"Correction of camera #{camera.id}" in item and 'id="camera-now"' in item
    assert re.search(r'id="take-manufacturer"[^>]*checked', item)  # what the correction changes is offered
    assert re.search(r'id="take-camera_type"[^>]*checked', item) is None  # what it leaves unknown is not
    response = post_form(
        moderator,
        url,
        f"/moderation/sightings/{correction.id}/merge",
        {"version": correction.version, "camera_id": camera.id, "take": ["manufacturer", "model", "position"]},
    )
    assert response.status_code == 303, response.get_data(as_text=True)

    db.session.expire_all()
    assert (camera.manufacturer, camera.model, camera.camera_type) == (
        Manufacturer.DAHUA,
        "DH-SD6AL445XA",
        CameraType.DOME,
    )
    assert camera.confirmation_count == count  # a correction is not a confirmation
    assert correction.state is SightingState.MERGED and correction.camera_id == camera.id
    rows = list(csv.DictReader(io.StringIO(reader.get("/api/v1/export/cameras.csv").data.decode())))
    assert [(r["manufacturer"], r["model"]) for r in rows] == [("Dahua", "DH-SD6AL445XA")]
    [feature] = json.loads(reader.get("/api/v1/export/cameras.geojson").data)["features"]
    assert feature["geometry"]["coordinates"] == list(MOVED)
    assert _tile_manufacturers(reader, tmp_path, *MOVED) == ["Dahua"]

    [edit] = db.session.scalars(select(ModerationEvent).where(ModerationEvent.action == "camera_edit")).all()
    assert (edit.target_type, edit.target_id) == ("camera", camera.id)
    assert edit.details["before"]["manufacturer"] == "Huawei" and edit.details["after"]["manufacturer"] == "Dahua"
    assert (edit.details["before"]["lon"], edit.details["before"]["lat"]) == STARI_GRAD
    assert (edit.details["after"]["lon"], edit.details["after"]["lat"]) == MOVED
    assert edit.details["changed"] == ["lat", "lon", "manufacturer", "model"]
    log = json.dumps([(e.reason, e.details) for e in db.session.scalars(select(ModerationEvent))], ensure_ascii=False)
    assert NOTE not in log and correction.reference not in log
    public_page = reader.get(f"/cameras/{camera.id}?lang=en").get_data(as_text=True)
    assert "Corrected" in public_page


def test_a_correction_taking_nothing_is_refused_and_changes_nothing(app):
    camera = make_camera()
    correction = _send_correction(app, camera)
    moderator = new_client(app)
    sign_in(moderator, make_moderator())
    url = f"/moderation/sightings/{correction.id}?lang=en"

    response = post_form(
        moderator,
        url,
        f"/moderation/sightings/{correction.id}/merge?lang=en",
        {"version": correction.version, "camera_id": camera.id},
    )

    assert response.status_code == 422
    assert "Choose what to take from the correction" in response.get_data(as_text=True)
    db.session.expire_all()
    assert correction.state is SightingState.PENDING and camera.manufacturer is Manufacturer.HUAWEI


def test_a_correction_needs_a_camera_and_is_not_also_gone(post_sighting):
    camera = make_camera()
    base = {"lat": str(STARI_GRAD[1]), "lon": str(STARI_GRAD[0]), "correction_subject": "position"}

    for fields in (base, {**base, "confirms_camera": str(camera.id), "gone": "1"}, {**base, "correction_subject": "x"}):
        response = post_sighting(fields)
        assert response.status_code == 422, fields
        assert "correction_subject" in response.json["error"]["details"]["fields"]
    assert db.session.scalar(select(Sighting)) is None


def test_a_moderator_corrects_a_verified_camera_directly(app):
    camera = make_camera(*STARI_GRAD)
    moderator = new_client(app)
    sign_in(moderator, make_moderator())
    url = f"/moderation/cameras/{camera.id}?lang=en"
    page = moderator.get(url).get_data(as_text=True)
    assert 'id="edit-form"' in page

    data = {
        "version": camera.version,
        "lat": str(MOVED[1]),
        "lon": str(MOVED[0]),
        "surveillance_type": "camera",
        **{name: "" for name in ("mount", "setting", "zone", "operator", "direction", "operator_name")},
        "camera_type": "panning",
        "manufacturer": "Huawei",
        "model": "IPC6625-Z30",
        "cap_facial_recognition": "procurement_document",
        "reason": "Datasheet checked",
    }
    response = post_form(moderator, url, f"/moderation/cameras/{camera.id}/edit?lang=en", data)

    assert response.status_code == 303 and where(response).startswith(f"/moderation/cameras/{camera.id}")
    db.session.expire_all()
    assert camera.camera_type is CameraType.PANNING and camera.model == "IPC6625-Z30"
    assert {c.capability: c.evidence for c in camera.capabilities} == {
        Capability.FACIAL_RECOGNITION: Evidence.PROCUREMENT_DOCUMENT
    }
    event = db.session.scalar(select(ModerationEvent).where(ModerationEvent.action == "camera_edit"))
    assert event.details["before"]["camera_type"] == "dome" and event.details["after"]["camera_type"] == "panning"
    assert event.details["after"]["capabilities"] == {"facial_recognition": "procurement_document"}
    again = post_form(
        moderator, url, f"/moderation/cameras/{camera.id}/edit?lang=en", {**data, "version": camera.version}
    )
    shown = moderator.get(where(again) + "?lang=en").get_data(as_text=True)
    assert "Nothing was changed." in shown, re.findall(r"flash[^>]*>([^<]*)", shown)


def test_a_merge_takes_the_chosen_fields_from_a_sighting(app):
    from app.moderation import services
    from tests.factories import make_sighting

    camera = make_camera(manufacturer=Manufacturer.HUAWEI, camera_type=CameraType.DOME)
    sighting = make_sighting(
        camera_type=CameraType.PANNING, manufacturer=Manufacturer.DAHUA, confirms_camera_id=camera.id
    )

    services.merge(sighting.id, camera.id, make_moderator(), take={"camera_type"})

    db.session.expire_all()
    assert camera.camera_type is CameraType.PANNING and camera.manufacturer is Manufacturer.HUAWEI
    assert camera.confirmation_count == 2
