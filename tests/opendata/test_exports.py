"""Exports: GeoJSON and CSV that GDAL reads, density per municipality, and no submitter data anywhere."""

import csv
import io
import json
import re
import subprocess
from datetime import date

import pytest

from app.extensions import db
from app.models import Municipality
from app.opendata.exports import CAMERA_FIELDS, MUNICIPALITY_FIELDS
from app.vocabulary import CameraStatus, Capability, Evidence, SightingState
from tests.factories import BECEJ, STARI_GRAD, make_camera, make_sighting

SECRET_NOTE = "my neighbour Marko took this photo at 14:32"


@pytest.fixture
def cameras():
    first = make_camera(
        *STARI_GRAD,
        capabilities={
            Capability.FACIAL_RECOGNITION: Evidence.MODEL_IDENTIFIED,
            Capability.INFRARED: Evidence.SUSPECTED,
        },
        first_confirmed_on=date(2026, 10, 1),
        last_confirmed_on=date(2026, 11, 2),
        confirmation_count=3,
    )
    second = make_camera(*BECEJ, capabilities={}, model="DH-IPC-HFW5442")
    removed = make_camera(20.46, 44.82, status=CameraStatus.REMOVED)
    make_sighting(
        20.4570,
        44.8177,
        state=SightingState.REJECTED,
        note=SECRET_NOTE,
        idempotency_key_sha256=bytes(range(32)),
        decided_on=date(2026, 11, 3),
    )
    make_sighting(20.4571, 44.8178, note=SECRET_NOTE)  # pending: never public
    return first, second, removed


def ogr_feature_count(path, *options) -> int:
    output = subprocess.run(
        ["ogrinfo", "-ro", "-al", "-so", *options, str(path)], capture_output=True, text=True, check=True
    ).stdout
    return sum(int(n) for n in re.findall(r"Feature Count: (\d+)", output))


def test_geojson_export_opens_in_gdal_with_every_verified_camera(client, cameras, tmp_path):
    response = client.get("/api/v1/export/cameras.geojson")
    assert response.status_code == 200
    assert response.is_streamed
    assert response.mimetype == "application/geo+json"
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    path = tmp_path / "cameras.geojson"
    path.write_bytes(response.data)

    assert ogr_feature_count(path) == 3
    features = json.loads(response.data)["features"]
    first = features[0]["properties"]
    assert list(first) == CAMERA_FIELDS
    assert features[0]["geometry"]["coordinates"] == [STARI_GRAD[0], STARI_GRAD[1]]
    assert first["municipality_name"] == "Stari grad"
    assert first["capability_facial_recognition"] == "model_identified"
    assert first["capability_infrared"] == "suspected"
    assert first["capability_audio"] is None
    assert (first["confirmation_count"], first["first_confirmed_on"], first["last_confirmed_on"]) == (
        3,
        "2026-10-01",
        "2026-11-02",
    )
    assert [f["properties"]["status"] for f in features] == ["active", "active", "removed"]


def test_csv_export_opens_in_gdal_as_points_with_a_stable_header(client, cameras, tmp_path):
    response = client.get("/api/v1/export/cameras.csv")
    assert response.status_code == 200
    assert response.is_streamed
    assert response.mimetype == "text/csv"
    path = tmp_path / "cameras.csv"
    path.write_bytes(response.data)

    assert ogr_feature_count(path, "-oo", "X_POSSIBLE_NAMES=longitude", "-oo", "Y_POSSIBLE_NAMES=latitude") == 3
    rows = list(csv.reader(io.StringIO(response.data.decode())))
    assert rows[0] == CAMERA_FIELDS
    assert rows[2][CAMERA_FIELDS.index("model")] == "DH-IPC-HFW5442"
    assert rows[2][CAMERA_FIELDS.index("municipality_name")] == "Bečej"


def test_municipalities_csv_counts_cameras_per_km2_and_per_resident(client, cameras):
    response = client.get("/api/v1/export/municipalities.csv")
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(response.data.decode())))
    assert list(rows[0]) == MUNICIPALITY_FIELDS
    assert len(rows) == 199
    by_name = {row["name"]: row for row in rows}
    stari_grad = by_name["Stari grad"]
    assert stari_grad["cameras"] == "1"  # the removed camera is not counted
    population, area = int(stari_grad["population"]), float(stari_grad["area_km2"])
    assert float(stari_grad["cameras_per_10k"]) == pytest.approx(10000 / population, rel=1e-2)
    assert float(stari_grad["cameras_per_km2"]) == pytest.approx(1 / area, rel=1e-2)
    assert by_name["Bečej"]["cameras"] == "1"
    assert sum(int(row["cameras"]) for row in rows) == 2
    assert {row["population_unreliable"] for row in rows if row["name"] == "Leposavić"} == {"True"}


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/export/cameras.geojson",
        "/api/v1/export/cameras.csv",
        "/api/v1/export/cameras.osm",
        "/api/v1/export/municipalities.csv",
        "/api/v1/cameras/{id}",
    ],
)
def test_no_export_or_api_answer_carries_submitter_data(client, cameras, url):
    body = client.get(url.format(id=cameras[0].id)).get_data(as_text=True)
    assert SECRET_NOTE not in body
    assert "12345678-1234-5678-1234-567812345678" not in body
    for field in (
        "note",
        "idempotency_key_sha256",
        "submitted_on",
        "reference",
        "payload_hash",
        "decided_on",
        "source_ref",
    ):
        assert f'"{field}"' not in body and f",{field}," not in body
    assert not re.search(r"\d{2}:\d{2}:\d{2}", body)  # days only, never times


# Each way a spreadsheet starts a formula (OWASP's CSV injection list), as a reporter or an OSM mapper could type it.
FORMULAS = ['=HYPERLINK("http://example.org/x","Click")', "+1+1", "-1+1", "@SUM(A1:A9)", "\t=1+1", "\r=1+1"]
LONDON = (-0.1276, 51.5072)  # a negative longitude: a number, never escaped


def ogr_fields(path) -> str:
    """ogrinfo's full listing of a cameras.csv, with GDAL guessing each column's type."""
    options = ["-oo", "X_POSSIBLE_NAMES=longitude", "-oo", "Y_POSSIBLE_NAMES=latitude", "-oo", "AUTODETECT_TYPE=YES"]
    return subprocess.run(
        ["ogrinfo", "-ro", "-al", *options, str(path)], capture_output=True, text=True, check=True
    ).stdout


def test_csv_text_cells_that_would_be_formulas_are_escaped_and_numbers_are_not(client, tmp_path):
    cameras = [make_camera(model=text, operator_name=text, direction=90) for text in FORMULAS]
    make_camera(*LONDON, model="-12", operator_name="plain text", direction=0)

    response = client.get("/api/v1/export/cameras.csv")
    rows = list(csv.DictReader(io.StringIO(response.data.decode(), newline="")))

    assert [(row["model"], row["operator_name"]) for row in rows[: len(FORMULAS)]] == [
        ("'" + text, "'" + text) for text in FORMULAS
    ]
    assert [row["id"] for row in rows[: len(FORMULAS)]] == [str(camera.id) for camera in cameras]
    london = rows[-1]
    assert (london["longitude"], london["latitude"], london["direction"]) == ("-0.1276", "51.5072", "0")
    assert (london["model"], london["operator_name"]) == ("'-12", "plain text")
    assert london["confirmation_count"] == "1" and london["first_confirmed_on"] == "2026-11-01"

    path = tmp_path / "cameras.csv"
    path.write_bytes(response.data)
    listing = ogr_fields(path)
    assert len(re.findall(r"^OGRFeature", listing, re.MULTILINE)) == 7
    assert "POINT (-0.1276 51.5072)" in listing
    assert re.search(r"^longitude: Real", listing, re.MULTILINE)
    assert re.search(r"^direction: Integer", listing, re.MULTILINE)
    assert re.search(r"^model: String", listing, re.MULTILINE)
    assert "model (String) = '=HYPERLINK(" in listing
    assert "model (String) = '@SUM(A1:A9)" in listing


def test_municipalities_csv_escapes_text_and_keeps_its_figures_numbers(client, cameras):
    stari_grad = db.session.scalar(db.select(Municipality).where(Municipality.name == "Stari grad"))
    stari_grad.name = "=1+1"
    db.session.flush()

    response = client.get("/api/v1/export/municipalities.csv")
    rows = {row["code"]: row for row in csv.DictReader(io.StringIO(response.data.decode()))}

    row = rows[stari_grad.code]
    assert row["name"] == "'=1+1"
    assert row["cameras"] == "1"
    assert float(row["cameras_per_km2"]) > 0 and float(row["area_km2"]) > 0
    assert int(row["population"]) == stari_grad.population
    assert not any(value.startswith("'") for other in rows.values() if other is not row for value in other.values())


def test_municipalities_csv_and_the_api_give_the_same_figures_under_the_same_names(client, cameras):
    rows = list(csv.DictReader(io.StringIO(client.get("/api/v1/export/municipalities.csv").data.decode())))
    features = client.get("/api/v1/municipalities").get_json()["features"]
    api = {feature["properties"]["code"]: feature["properties"] for feature in features}

    assert set(MUNICIPALITY_FIELDS) <= set(next(iter(api.values())))
    for row in rows:
        for name in MUNICIPALITY_FIELDS:
            expected = api[row["code"]][name]
            if isinstance(expected, int | float) and not isinstance(expected, bool):
                assert float(row[name]) == expected, (row["code"], name)
            else:
                assert row[name] == ("" if expected is None else str(expected)), (row["code"], name)
