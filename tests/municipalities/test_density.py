"""Camera counts kept by the database triggers, and GET /api/v1/municipalities built from them."""

import gzip
import json

from sqlalchemy import delete, select, update

from app import geo
from app.extensions import db
from app.models import Camera, CameraCapability, MunicipalityCameraCount
from app.vocabulary import CameraStatus, Capability, Evidence, Manufacturer
from tests.factories import BECEJ, BECEJ_CODE, SAVSKI_VENAC, STARI_GRAD_CODE, make_camera, make_official_figure


def counts(code: str) -> dict[str, int]:
    from app.models import Municipality

    rows = db.session.execute(
        select(MunicipalityCameraCount.measure, MunicipalityCameraCount.cameras)
        .join(Municipality, Municipality.id == MunicipalityCameraCount.municipality_id)
        .where(Municipality.code == code, MunicipalityCameraCount.cameras > 0)
    )
    return dict(rows.all())


def test_counts_follow_inserts_capabilities_status_moves_and_deletes():
    camera = make_camera(manufacturer=Manufacturer.DAHUA)
    make_camera(capabilities={})
    assert counts(STARI_GRAD_CODE) == {"total": 2, "manufacturer:Dahua": 1, "manufacturer:Huawei": 1,
                                       "capability:facial_recognition": 1}  # fmt: skip

    db.session.add(CameraCapability(camera_id=camera.id, capability=Capability.AUDIO, evidence=Evidence.SUSPECTED))
    db.session.flush()
    assert counts(STARI_GRAD_CODE)["capability:audio"] == 1

    camera.status = CameraStatus.REMOVED
    db.session.flush()
    assert counts(STARI_GRAD_CODE) == {"total": 1, "manufacturer:Huawei": 1}

    camera.status = CameraStatus.NEEDS_RESURVEY
    db.session.flush()
    assert counts(STARI_GRAD_CODE)["total"] == 2

    # Moving a camera (the location trigger reassigns the municipality) moves its counts.
    db.session.execute(update(Camera).where(Camera.id == camera.id).values(location=geo.point(*SAVSKI_VENAC)))
    assert counts(STARI_GRAD_CODE) == {"total": 1, "manufacturer:Huawei": 1}
    assert counts("70220") == {"total": 1, "manufacturer:Dahua": 1, "capability:facial_recognition": 1,
                               "capability:audio": 1}  # fmt: skip

    # Deleting with the cascade (raw SQL) and through the ORM both subtract everything.
    db.session.execute(delete(Camera).where(Camera.id == camera.id))
    assert counts("70220") == {}
    db.session.expire_all()
    db.session.delete(db.session.scalar(select(Camera)))
    db.session.flush()
    assert counts(STARI_GRAD_CODE) == {}


def test_the_recount_function_agrees_with_the_triggers():
    for _ in range(3):
        make_camera()
    make_camera(*BECEJ, capabilities={Capability.NUMBER_PLATE_RECOGNITION: Evidence.SUSPECTED})
    before = counts(STARI_GRAD_CODE), counts(BECEJ_CODE)
    db.session.execute(select(db.func.recount_municipality_cameras()))
    assert (counts(STARI_GRAD_CODE), counts(BECEJ_CODE)) == before


def features_by_code(response) -> dict:
    body = json.loads(gzip.decompress(response.data)) if response.headers.get("Content-Encoding") else response.json
    return {f["properties"]["code"]: f["properties"] for f in body["features"]}


def test_the_municipalities_endpoint_has_counts_densities_and_declared_figures(client):
    for _ in range(2):
        make_camera()
    make_camera(*BECEJ, manufacturer=Manufacturer.DAHUA, capabilities={})
    make_official_figure(BECEJ_CODE)
    response = client.get("/api/v1/municipalities", headers={"Accept-Encoding": "gzip"})
    assert response.headers["Content-Encoding"] == "gzip"
    by_code = features_by_code(response)
    assert len(by_code) == 199
    stari_grad, becej = by_code[STARI_GRAD_CODE], by_code[BECEJ_CODE]
    assert stari_grad["cameras"] == 2
    assert (
        stari_grad["cameras_per_km2"] == round(2 / stari_grad["area_km2"], 2)
        or abs(stari_grad["cameras_per_km2"] - 2 / stari_grad["area_km2"]) < 0.01
    )
    assert abs(stari_grad["cameras_per_10k"] - 2 * 10000 / stari_grad["population"]) < 0.001
    assert stari_grad["cameras_by_capability"] == {"facial_recognition": 2}
    assert becej["cameras_by_manufacturer"] == {"Dahua": 1}
    assert becej["declared_cameras"] == 130
    assert abs(becej["mapped_over_declared"] - 1 / 130) < 0.001


def test_the_cached_endpoint_sees_every_change_and_answers_304_meanwhile(client):
    first = client.get("/api/v1/municipalities")
    assert client.get("/api/v1/municipalities", headers={"If-None-Match": first.headers["ETag"]}).status_code == 304
    make_camera()
    second = client.get("/api/v1/municipalities", headers={"If-None-Match": first.headers["ETag"]})
    assert second.status_code == 200
    before, after = features_by_code(first), features_by_code(second)
    assert after[STARI_GRAD_CODE]["cameras"] == before[STARI_GRAD_CODE]["cameras"] + 1
