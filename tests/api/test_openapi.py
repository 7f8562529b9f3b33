"""The OpenAPI contract: schemathesis drives every documented operation through WSGI (no network)."""

import io
import json
import math
import re
import uuid
from datetime import date

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import ignored_auth, negative_data_rejection, positive_data_acceptance
from werkzeug.datastructures import Headers
from werkzeug.test import TestResponse

from app.api.openapi import openapi_document
from app.vocabulary import CameraStatus, Capability, Evidence, Operator
from tests.factories import BECEJ, BECEJ_CODE, STARI_GRAD, jpeg_bytes, make_camera, make_official_figure


@pytest.fixture
def cameras():
    return [
        make_camera(*STARI_GRAD, operator=Operator.POLICE, direction=90, model="IPC6625-Z30"),
        make_camera(*BECEJ, capabilities={Capability.NUMBER_PLATE_RECOGNITION: Evidence.PROCUREMENT_DOCUMENT}),
        make_camera(20.47, 44.81, status=CameraStatus.REMOVED, capabilities={}),
    ]


@pytest.fixture
def moderator_token():
    """A moderator's API token, with pending sightings for the moderation operations to find."""
    from app.auth import tokens
    from tests.factories import make_moderator, make_sighting

    for day in (1, 2, 3):
        make_sighting(20.4569 + day / 10_000, 44.8176, submitted_on=date(2026, 11, day), photos=1)
    _token, secret = tokens.create_token(make_moderator(), "contract test")
    return secret


@pytest.fixture
def api_schema(app):
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)


# The document the app serves (checked below to be the same); the lazy fixture loader does not run on pytest 9.
contract = schemathesis.openapi.from_dict(openapi_document())


# Rules JSON Schema cannot state: a schema-valid request may still be refused, but only for these reasons.
SEMANTIC_REFUSALS = {
    # min before max, at most 45 x 30 degrees
    "GET /api/v1/cameras": {(400, "invalid_viewport")},
    "GET /api/v1/declared/layers/{layer}": {(400, "invalid_viewport")},
    "POST /api/v1/sightings": {
        # the point is outside Serbia and Kosovo, or confirms_camera is not a camera on the map
        (422, "validation_failed"),
        # random bytes are not a photo
        (422, "photo_unsupported"),
        # the examples share one transaction and Hypothesis repeats values, keys included
        (422, "idempotency_key_reused"),
    },
}
# The moderation API: a generated sighting or camera id rarely exists, and a generated decision may meet one
# already decided, a version the moderator did not see, or a reason "other" without its note.
MODERATION_REFUSALS = {(404, "not_found"), (409, "conflict"), (422, "validation_failed")}
for _decision in ("approve", "merge", "reject"):
    SEMANTIC_REFUSALS[f"POST /api/v1/moderation/sightings/{{sighting_id}}/{_decision}"] = MODERATION_REFUSALS
# gone and correction_subject name the camera confirms_camera, which must be given with them (and not both).
SEMANTIC_FIELDS = {"lat", "confirms_camera", "gone", "correction_subject"}


def refused_only_for_semantic_rules(ctx, response, case):
    """positive_data_acceptance, narrowed: a refusal of schema-valid data must be one of SEMANTIC_REFUSALS."""
    if case.meta is None or not case.meta.generation.mode.is_positive or response.status_code < 400:
        return None
    error = json.loads(response.content)["error"]
    assert (response.status_code, error["code"]) in SEMANTIC_REFUSALS[case.operation.label], error
    if error["code"] == "validation_failed" and "fields" in error["details"]:
        assert set(error["details"]["fields"]) <= SEMANTIC_FIELDS, error
    return None


@contract.parametrize()
@settings(
    max_examples=30,
    derandomize=True,  # a fixed seed: the same examples on every run
    database=None,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
def test_every_operation_keeps_the_contract(case, app, cameras, moderator_token):
    semantic = case.operation.label in SEMANTIC_REFUSALS
    excluded = [positive_data_acceptance] if semantic else []
    headers = {"Accept-Encoding": "identity"}  # the WSGI transport does not undo Content-Encoding
    if "/moderation/" in case.operation.path:
        headers["Authorization"] = f"Bearer {moderator_token}"
        # ignored_auth resends without a token through a transport this WSGI-loaded document lacks; the 401
        # without a token is tested in tests/api/test_moderation_api.py and tests/test_errors.py.
        # Negative cases there are a missing token (replaced by ours) or unknown query parameters, which every
        # endpoint ignores.
        excluded = [*excluded, ignored_auth, negative_data_rejection]
    case.call_and_validate(
        app=app,
        headers=headers,
        excluded_checks=excluded,
        additional_checks=[refused_only_for_semantic_rules] if semantic else None,
    )


def test_a_photo_sent_without_a_file_name_is_not_dropped(client, photo_dir):
    boundary = "b0undary"
    parts = [("lat", b"44.8176"), ("lon", b"20.4569")]
    body = b"".join(
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode() + value + b"\r\n"
        for name, value in parts
    )
    body += (
        f'--{boundary}\r\nContent-Disposition: form-data; name="photos"\r\nContent-Type: image/jpeg\r\n\r\n'.encode()
        + jpeg_bytes()
        + f"\r\n--{boundary}--\r\n".encode()
    )
    response = client.post(
        "/api/v1/sightings",
        data=body,
        headers={"Idempotency-Key": str(uuid.uuid4()), "Accept-Language": "en"},
        content_type=f"multipart/form-data; boundary={boundary}",
    )
    # Refused, not stored without its photo.
    assert response.status_code == 422
    assert response.get_json()["error"]["details"]["fields"] == {"photos": ["Photos must be sent as files."]}
    assert not any(photo_dir.rglob("*"))


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


def test_municipality_figures_conform(client, api_schema, cameras):
    make_official_figure(BECEJ_CODE, cameras=130)
    response = client.get("/api/v1/municipalities", headers={"Accept-Encoding": "identity"})
    assert response.status_code == 200
    api_schema["/api/v1/municipalities"]["GET"].validate_response(response)
    becej = next(f["properties"] for f in response.get_json()["features"] if f["properties"]["code"] == BECEJ_CODE)
    assert becej["cameras"] == 1
    assert becej["cameras_by_capability"] == {"number_plate_recognition": 1}
    assert becej["declared_cameras"] == 130
    assert becej["mapped_over_declared"] == round(1 / 130, 3)
    again = client.get("/api/v1/municipalities", headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304
    api_schema["/api/v1/municipalities"]["GET"].validate_response(again)


def test_cameras_in_view_as_points_clusters_and_municipalities_conform(client, api_schema, cameras):
    operation = api_schema["/api/v1/cameras"]["GET"]
    belgrade, region = "20.40,44.78,20.52,44.84", "18.8,41.8,23.1,46.2"
    kinds = {}
    for query in (
        f"bbox={belgrade}&zoom=16",
        f"bbox={belgrade}&zoom=16&status=removed,active&capability=facial_recognition,number_plate_recognition",
        f"bbox={region}&zoom=11",
        f"bbox={region}&zoom=7",
        f"bbox={region}&zoom=7&operator=police&confirmed_since=2020-01-01",
    ):
        response = client.get(f"/api/v1/cameras?{query}", headers={"Accept-Encoding": "identity"})
        assert response.status_code == 200, query
        assert response.mimetype == "application/geo+json"
        operation.validate_response(response)
        body = response.get_json()
        kinds[query] = (body["kind"], body["total"])
    assert [kind for kind, _total in kinds.values()] == [
        "points",
        "points",
        "clusters",
        "municipalities",
        "municipalities",
    ]
    assert [total for _kind, total in kinds.values()] == [1, 1, 2, 2, 1]
    again = client.get(f"/api/v1/cameras?bbox={belgrade}", headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 200  # another view: another ETag
    same = client.get(f"/api/v1/cameras?{query}", headers={"If-None-Match": response.headers["ETag"]})
    assert same.status_code == 304
    operation.validate_response(same)
    for query, code in (("zoom=12", "invalid_viewport"), (f"bbox={belgrade}&zone=moon", "invalid_filter")):
        refused = client.get(f"/api/v1/cameras?{query}")
        assert refused.status_code == 400
        assert refused.get_json()["error"]["code"] == code
        operation.validate_response(refused)


def test_nearby_conforms(client, api_schema, cameras):
    response = client.get(f"/api/v1/nearby?lat={STARI_GRAD[1]}&lon={STARI_GRAD[0]}&lang=en")
    assert response.status_code == 200
    api_schema["/api/v1/nearby"]["GET"].validate_response(response)
    body = response.get_json()
    assert body["municipality"]["name"] == "Stari grad"
    assert [camera["id"] for camera in body["cameras"]] == [cameras[0].id]
    refused = client.get("/api/v1/nearby?lat=91&lon=20")
    assert refused.status_code == 422
    api_schema["/api/v1/nearby"]["GET"].validate_response(refused)


def test_sighting_receipts_and_refusals_conform(app, client, api_schema, monkeypatch):
    operation = api_schema["/api/v1/sightings"]["POST"]
    key = str(uuid.uuid4())
    fields = {"lat": "44.8176", "lon": "20.4569", "camera_type": "dome", "capabilities": ["audio", "infrared"]}

    def post(key=key, photo=None, **changes):
        data = {**fields, **changes, "photos": [(io.BytesIO(photo or jpeg_bytes()), "camera.jpg")]}
        headers = {"Accept-Language": "en"} | ({"Idempotency-Key": key} if key else {})
        return client.post("/api/v1/sightings", data=data, headers=headers, content_type="multipart/form-data")

    stored = post()
    assert stored.status_code == 201
    operation.validate_response(stored)
    replayed = post()
    assert (replayed.status_code, replayed.get_json()) == (201, stored.get_json())
    expected = [
        (post(key=None), 400, "refused"),
        (post(key=key, lat="47.5"), 422, "idempotency_key_reused"),
        (post(key=str(uuid.uuid4()), lat="47.5"), 422, "validation_failed"),
        (post(key=str(uuid.uuid4()), photo=b"not a photo"), 422, "photo_unsupported"),
    ]
    monkeypatch.setitem(app.config, "PHOTO_MAX_BYTES", 100)
    expected.append((post(key=str(uuid.uuid4())), 413, "photo_too_large"))
    for response, status, code in expected:
        assert (response.status_code, response.get_json()["error"]["code"]) == (status, code)
        operation.validate_response(response)


def test_the_schemas_reject_fields_outside_the_allowlist(client, api_schema, cameras):
    response = client.get(f"/api/v1/cameras/{cameras[0].id}")
    body = response.get_json()
    body["note"] = "a submitter's note"
    leaky = TestResponse(
        [json.dumps(body).encode()], "200 OK", Headers({"Content-Type": "application/json"}), request=response.request
    )
    assert not api_schema["/api/v1/cameras/{id}"]["GET"].is_valid_response(leaky)


def test_the_document_and_the_human_page_list_every_endpoint(app, client):
    document = client.get("/api/v1/openapi.json")
    assert document.headers["Access-Control-Allow-Origin"] == "*"
    paths = set(document.get_json()["paths"])
    assert paths == set(openapi_document()["paths"])

    def template(path: str) -> str:
        return re.sub(r"<(?:\w+:)?\w+>|\{\w+\}", "{}", path)

    # Every JSON route is documented, the moderation API (Bearer tokens of moderators) with its security scheme.
    routes = {template(rule.rule) for rule in app.url_map.iter_rules() if rule.rule.startswith(("/api/v1/", "/tiles/"))}
    assert routes <= {template(path) for path in paths}
    moderation = {path: item for path, item in document.get_json()["paths"].items() if "/moderation/" in path}
    assert len(moderation) == 4
    for item in moderation.values():
        assert all(operation["security"] == [{"moderatorToken": []}] for operation in item.values())
    assert {"/api/v1/cameras", "/api/v1/nearby", "/api/v1/sightings", "/healthz"} <= paths
    page = client.get("/api?lang=en")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    for path in paths:
        assert path in text
    assert 'href="#schema-SightingForm"' in text  # the multipart fields of a report
    assert "facial_recognition, number_plate_recognition" in text  # a filter's values
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


def test_real_moderation_answers_conform_to_the_documented_schemas(client, api_schema, cameras, moderator_token):
    from sqlalchemy import select

    from app.extensions import db
    from app.models import Sighting

    auth = {"Authorization": f"Bearer {moderator_token}", "Accept-Encoding": "identity"}
    listed = client.get("/api/v1/moderation/sightings", headers=auth)
    api_schema["/api/v1/moderation/sightings"]["GET"].validate_response(listed)
    first, second, third = (s.id for s in db.session.scalars(select(Sighting).order_by(Sighting.id)))
    answers = {
        "approve": client.post(f"/api/v1/moderation/sightings/{first}/approve", json={"version": 1}, headers=auth),
        "merge": client.post(
            f"/api/v1/moderation/sightings/{second}/merge", json={"camera_id": cameras[0].id}, headers=auth
        ),
        "reject": client.post(f"/api/v1/moderation/sightings/{third}/reject", json={"reason": "spam"}, headers=auth),
    }
    for decision, answer in answers.items():
        assert answer.status_code == 200, (decision, answer.get_json())
        api_schema[f"/api/v1/moderation/sightings/{{sighting_id}}/{decision}"]["POST"].validate_response(answer)
    again = client.post(f"/api/v1/moderation/sightings/{first}/approve", json={}, headers=auth)
    assert again.status_code == 409
    api_schema["/api/v1/moderation/sightings/{sighting_id}/approve"]["POST"].validate_response(again)
