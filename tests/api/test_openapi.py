"""The OpenAPI contract: schemathesis drives every documented operation through WSGI (no network)."""

import json
import math

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from werkzeug.datastructures import Headers
from werkzeug.test import TestResponse

from app.api.openapi import openapi_document
from app.vocabulary import CameraStatus, Capability, Evidence, Operator
from tests.factories import BECEJ, STARI_GRAD, make_camera


@pytest.fixture
def cameras():
    return [
        make_camera(*STARI_GRAD, operator=Operator.POLICE, direction=90, model="IPC6625-Z30"),
        make_camera(*BECEJ, capabilities={Capability.NUMBER_PLATE_RECOGNITION: Evidence.PROCUREMENT_DOCUMENT}),
        make_camera(20.47, 44.81, status=CameraStatus.REMOVED, capabilities={}),
    ]


@pytest.fixture
def api_schema(app):
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)


# The document the app serves (checked below to be the same); the lazy fixture loader does not run on pytest 9.
contract = schemathesis.openapi.from_dict(openapi_document())


@contract.parametrize()
@settings(
    max_examples=30,
    derandomize=True,  # a fixed seed: the same examples on every run
    database=None,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
def test_every_operation_keeps_the_contract(case, app, cameras):
    # The WSGI transport does not undo Content-Encoding; ask for plain bodies.
    case.call_and_validate(app=app, headers={"Accept-Encoding": "identity"})


def tile_of(lon: float, lat: float, z: int) -> tuple[int, int]:
    n = 2**z
    return int((lon + 180) / 360 * n), int((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n)


def test_answers_with_real_cameras_conform_to_the_strict_schemas(client, api_schema, cameras):
    x, y = tile_of(*STARI_GRAD, 16)
    urls = {
        "/api/v1/cameras/{id}": f"/api/v1/cameras/{cameras[0].id}",
        "/api/v1/export/cameras.geojson": "/api/v1/export/cameras.geojson",
        "/api/v1/export/cameras.csv": "/api/v1/export/cameras.csv",
        "/api/v1/export/municipalities.csv": "/api/v1/export/municipalities.csv",
        "/api/v1/export/cameras.osm": "/api/v1/export/cameras.osm",
        "/tiles/cameras/{z}/{x}/{y}.pbf": f"/tiles/cameras/16/{x}/{y}.pbf",
        "/healthz": "/healthz",
    }
    for template, url in urls.items():
        response = client.get(url)
        assert response.status_code == 200, url
        api_schema[template]["GET"].validate_response(response)


def test_the_schemas_reject_fields_outside_the_allowlist(client, api_schema, cameras):
    response = client.get(f"/api/v1/cameras/{cameras[0].id}")
    body = response.get_json()
    body["note"] = "a submitter's note"
    leaky = TestResponse(
        [json.dumps(body).encode()], "200 OK", Headers({"Content-Type": "application/json"}), request=response.request
    )
    assert not api_schema["/api/v1/cameras/{id}"]["GET"].is_valid_response(leaky)


def test_the_document_and_the_human_page_list_every_public_endpoint(client):
    document = client.get("/api/v1/openapi.json")
    assert document.headers["Access-Control-Allow-Origin"] == "*"
    paths = set(document.get_json()["paths"])
    assert paths == set(openapi_document()["paths"])
    assert {"/healthz", "/api/v1/municipalities", "/api/v1/cameras/{id}", "/tiles/cameras/{z}/{x}/{y}.pbf"} <= paths
    page = client.get("/api?lang=en")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    for path in paths:
        assert path in text
    assert "<script" not in text


def test_the_documented_vocabularies_are_the_ones_we_store():
    from app import vocabulary

    properties = openapi_document()["components"]["schemas"]["CameraProperties"]["properties"]
    for field, enum_cls in {
        "surveillance_type": vocabulary.SurveillanceType,
        "camera_type": vocabulary.CameraType,
        "mount": vocabulary.CameraMount,
        "setting": vocabulary.Setting,
        "zone": vocabulary.Zone,
        "operator": vocabulary.Operator,
        "manufacturer": vocabulary.Manufacturer,
        "status": vocabulary.CameraStatus,
    }.items():
        assert {v for v in properties[field]["enum"] if v is not None} == set(enum_cls.values()), field
    for capability in vocabulary.Capability:
        documented = properties[f"capability_{capability.value}"]["enum"]
        assert {v for v in documented if v is not None} == set(vocabulary.Evidence.values())
