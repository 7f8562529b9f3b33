"""GET /api/v1/cameras/<id>"""

from datetime import date

from app.vocabulary import CameraMount, Capability, Evidence, Operator
from tests.factories import STARI_GRAD, make_camera


def test_a_camera_comes_with_capabilities_municipality_and_osm_tags(client):
    camera = make_camera(
        *STARI_GRAD,
        mount=CameraMount.POLE,
        direction=270,
        operator=Operator.POLICE,
        model="IPC6625-Z30",
        capabilities={Capability.FACIAL_RECOGNITION: Evidence.PROCUREMENT_DOCUMENT},
        last_confirmed_on=date(2026, 11, 20),
        confirmation_count=2,
    )

    response = client.get(f"/api/v1/cameras/{camera.id}")

    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    body = response.get_json()
    assert body["location"] == {"longitude": STARI_GRAD[0], "latitude": STARI_GRAD[1]}
    assert body["municipality"]["name"] == "Stari grad"
    assert body["capabilities"] == [{"capability": "facial_recognition", "evidence": "procurement_document"}]
    assert body["confirmation_count"] == 2
    assert body["osm_tags"] == {
        "man_made": "surveillance",
        "surveillance:type": "camera",
        "camera:type": "dome",
        "camera:mount": "pole",
        "camera:direction": "270",
        "operator": "Ministarstvo unutrašnjih poslova",
        "manufacturer": "Huawei",
        "model": "IPC6625-Z30",
        "check_date": "2026-11-20",
    }


def test_an_unknown_camera_is_a_translated_404_envelope(client):
    response = client.get("/api/v1/cameras/2147483647", headers={"Accept-Language": "sr"})
    assert response.status_code == 404
    error = response.get_json()["error"]
    assert error["code"] == "not_found"
    assert error["message"] == "Ne postoji kamera s ovim brojem."
    assert client.get("/api/v1/cameras/99999999999999").status_code == 404
