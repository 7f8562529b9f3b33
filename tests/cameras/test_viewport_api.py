"""GET /api/v1/cameras: points, clusters, filters, refusals, compression and ETags."""

import gzip
import json

import pytest

from app.vocabulary import CameraStatus, CameraType, Capability, Evidence, Manufacturer
from tests.factories import BECEJ, STARI_GRAD, make_camera

BELGRADE_CENTRE = "20.40,44.79,20.50,44.84"
COUNTRY = "18.8,41.85,23.01,46.19"


def get(client, **params):
    response = client.get("/api/v1/cameras", query_string=params)
    return response, response.get_json(silent=True)


def test_a_city_view_lists_each_camera_with_its_type_and_capabilities(client):
    camera = make_camera(camera_type=CameraType.PANNING, direction=120)
    response, body = get(client, bbox=BELGRADE_CENTRE, zoom=16)
    assert response.status_code == 200
    assert body["kind"] == "points"
    [feature] = body["features"]
    assert feature["id"] == camera.id
    assert feature["geometry"]["coordinates"] == [pytest.approx(STARI_GRAD[0]), pytest.approx(STARI_GRAD[1])]
    assert feature["properties"]["camera_type"] == "panning"
    assert feature["properties"]["direction"] == 120
    assert feature["properties"]["capabilities"] == ["facial_recognition"]


def test_a_country_view_answers_with_clusters_that_add_up(client):
    for offset in range(3):
        make_camera(STARI_GRAD[0] + offset * 0.0005, STARI_GRAD[1])
    make_camera(*BECEJ)
    _, body = get(client, bbox=COUNTRY, zoom=7)
    assert body["kind"] == "municipalities"  # from the trigger-kept counts
    counts = {f["properties"]["municipality"]: f["properties"]["count"] for f in body["features"]}
    assert counts == {"70246": 3, "80110": 1}
    assert body["total"] == 4

    # A filter the kept counts cannot answer is counted from the matching cameras, still per municipality.
    make_camera(*BECEJ, camera_type=CameraType.FIXED)
    _, body = get(client, bbox=COUNTRY, zoom=7, camera_type="dome")
    assert body["kind"] == "municipalities"
    assert {f["properties"]["municipality"]: f["properties"]["count"] for f in body["features"]} == {
        "70246": 3,
        "80110": 1,
    }

    _, body = get(client, bbox=COUNTRY, zoom=7, capability="number_plate_recognition")
    assert body["features"] == [] and body["total"] == 0


def test_more_cameras_than_the_cap_become_clusters_even_zoomed_in(app, client):
    for offset in range(4):
        make_camera(STARI_GRAD[0] + offset * 0.001, STARI_GRAD[1])
    app.config["MAP_POINT_CAP"] = 3
    try:
        _, body = get(client, bbox=BELGRADE_CENTRE, zoom=16)
    finally:
        app.config["MAP_POINT_CAP"] = 2000
    assert body["kind"] == "clusters"
    assert body["total"] == 4


def test_filters_narrow_what_is_shown(client):
    make_camera(manufacturer=Manufacturer.HUAWEI)
    plate = make_camera(
        STARI_GRAD[0] + 0.001,
        STARI_GRAD[1],
        manufacturer=Manufacturer.DAHUA,
        capabilities={Capability.NUMBER_PLATE_RECOGNITION: Evidence.SUSPECTED},
    )
    make_camera(STARI_GRAD[0] + 0.002, STARI_GRAD[1], status=CameraStatus.REMOVED)

    def ids(**filters):
        return [f["id"] for f in get(client, bbox=BELGRADE_CENTRE, zoom=16, **filters)[1]["features"]]

    assert len(ids()) == 2  # removed cameras are not on the map by default
    assert ids(capability="number_plate_recognition") == [plate.id]
    assert ids(manufacturer="Dahua") == [plate.id]
    assert len(ids(manufacturer="Dahua,Huawei")) == 2
    assert ids(municipality="70220") == []  # Savski venac, not Stari grad
    assert len(ids(municipality="70246")) == 2
    assert len(ids(status="removed")) == 1
    assert ids(confirmed_since="2027-01-01") == []


@pytest.mark.parametrize(
    "params",
    [
        {"bbox": "1,2,3", "zoom": 10},
        {"bbox": "a,b,c,d", "zoom": 10},
        {"bbox": "20,44,19,45", "zoom": 10},
        {"bbox": "-170,-80,170,80", "zoom": 3},
        {"bbox": "nan,44,20,45", "zoom": 10},
        {"bbox": BELGRADE_CENTRE, "zoom": 40},
        {"bbox": BELGRADE_CENTRE, "zoom": 12, "zone": "moon"},
        {"bbox": BELGRADE_CENTRE, "zoom": 12, "confirmed_since": "yesterday"},
    ],
)
def test_absurd_requests_are_refused_with_the_error_envelope(client, params):
    response, body = get(client, **params)
    assert response.status_code == 400
    assert set(body["error"]) == {"code", "message", "details"}
    assert body["error"]["message"]


def test_responses_are_gzipped_and_revalidated_by_etag(client):
    for offset in range(30):
        make_camera(STARI_GRAD[0] + offset * 0.0001, STARI_GRAD[1])
    url = f"/api/v1/cameras?bbox={BELGRADE_CENTRE}&zoom=16"
    response = client.get(url, headers={"Accept-Encoding": "gzip"})
    assert response.headers["Content-Encoding"] == "gzip"
    assert len(json.loads(gzip.decompress(response.data))["features"]) == 30
    again = client.get(url, headers={"Accept-Encoding": "gzip", "If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304
    assert again.data == b""
