"""municipalities.csv read by GDAL: cameras per manufacturer and per capability equal a count made without our code."""

import json
import subprocess
from collections import defaultdict

from sqlalchemy import text

from app.extensions import db
from app.vocabulary import CameraStatus, Capability, Evidence, Manufacturer
from tests.factories import BECEJ, BECEJ_CODE, STARI_GRAD, STARI_GRAD_CODE, make_camera

FACE = {Capability.FACIAL_RECOGNITION: Evidence.MODEL_IDENTIFIED}


def _seed() -> None:
    lon, lat = STARI_GRAD
    make_camera(lon, lat, capabilities={**FACE, Capability.INFRARED: Evidence.SUSPECTED})
    make_camera(lon + 0.001, lat, manufacturer=Manufacturer.DAHUA, capabilities={})
    make_camera(lon - 0.001, lat, manufacturer=None, capabilities={Capability.AUDIO: Evidence.SUSPECTED})
    make_camera(lon, lat + 0.001, manufacturer=Manufacturer.HIKVISION, status=CameraStatus.NEEDS_RESURVEY)
    make_camera(lon, lat - 0.001, manufacturer=Manufacturer.HUAWEI, status=CameraStatus.REMOVED)  # not counted
    make_camera(*BECEJ, manufacturer=Manufacturer.DAHUA, capabilities=FACE)
    make_camera(BECEJ[0] + 0.001, BECEJ[1], manufacturer=Manufacturer.OTHER, model="no-name")
    db.session.commit()


def _independent_counts() -> dict[str, dict[str, int]]:
    """Per municipality code: column -> cameras, from a point-in-polygon join over the real boundaries."""
    counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    by_maker = db.session.execute(
        text(
            "SELECT m.code, lower(coalesce(c.manufacturer, 'unknown')), count(*) FROM cameras c "
            "JOIN municipalities m ON ST_Covers(m.boundary, c.location) "
            "WHERE c.status IN ('active', 'needs_resurvey') GROUP BY 1, 2"
        )
    )
    for code, maker, n in by_maker:
        counts[code][f"manufacturer_{maker}"] = n
    by_capability = db.session.execute(
        text(
            "SELECT m.code, k.capability, count(*) FROM cameras c JOIN camera_capabilities k ON k.camera_id = c.id "
            "JOIN municipalities m ON ST_Covers(m.boundary, c.location) "
            "WHERE c.status IN ('active', 'needs_resurvey') GROUP BY 1, 2"
        )
    )
    for code, capability, n in by_capability:
        counts[code][f"capability_{capability}"] = n
    return counts


def test_gdal_reads_vendor_and_capability_columns_equal_to_an_independent_count(client, tmp_path):
    _seed()
    path = tmp_path / "municipalities.csv"
    path.write_bytes(client.get("/api/v1/export/municipalities.csv").data)
    converted = subprocess.run(
        ["ogr2ogr", "-f", "GeoJSON", "/vsistdout/", str(path), "-oo", "AUTODETECT_TYPE=YES"],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    rows = {f["properties"]["code"]: f["properties"] for f in json.loads(converted)["features"]}
    columns = [f"manufacturer_{m.value.lower()}" for m in Manufacturer] + [f"capability_{c.value}" for c in Capability]
    expected = _independent_counts()

    assert len(rows) == 199
    for code, row in rows.items():
        for column in columns:
            assert isinstance(row[column], int), (code, column)  # GDAL sees numbers, not text
            assert row[column] == expected.get(code, {}).get(column, 0), (code, column)
    assert rows[STARI_GRAD_CODE]["manufacturer_unknown"] == 1 and rows[STARI_GRAD_CODE]["manufacturer_hikvision"] == 1
    assert rows[BECEJ_CODE]["capability_facial_recognition"] == 2 and rows[BECEJ_CODE]["manufacturer_other"] == 1
