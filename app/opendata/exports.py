"""Exports of the verified cameras and the municipality density figures, streamed row by row.

Only `cameras` (verified objects) and `municipalities` are read here: nothing from sightings, photos or users,
so no submitter-side field (notes, idempotency keys, submission days) can reach an export.
"""

import csv
import io
import json
from collections.abc import Iterator
from typing import Any

from sqlalchemy import JSON, Numeric, Select, func, select

from app.extensions import db
from app.geo import COORDINATE_DECIMALS
from app.models import Camera, CameraCapability, Municipality
from app.municipalities import density
from app.vocabulary import DESCRIPTION_FIELDS, OSM_KEYS, Capability

CAPABILITY_FIELDS = [f"capability_{capability.value}" for capability in Capability]
# The column order of cameras.csv and of the GeoJSON properties; append new columns at the end, never reorder.
CAMERA_FIELDS = [
    "id",
    "longitude",
    "latitude",
    "municipality_code",
    "municipality_name",
    "status",
    *DESCRIPTION_FIELDS,
    *CAPABILITY_FIELDS,
    "confirmation_count",
    "first_confirmed_on",
    "last_confirmed_on",
]
# municipalities.csv: the density figures under the names and rounding of the API (app.municipalities.density).
MUNICIPALITY_FIELDS = [
    "code",
    "name",
    "country",
    "unit_type",
    "population",
    "population_year",
    "population_unreliable",
    "area_km2",
    "cameras",
    "cameras_per_km2",
    "cameras_per_10k",
    "facial_recognition",
    "declared_cameras",
    "mapped_over_declared",
    *density.BREAKDOWN_COLUMNS,  # cameras per manufacturer, then per capability
    *density.COMPARISON_COLUMNS,  # the current declared lists compared point by point (app/declared/matching.py)
]
BATCH = 1000
# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection): =HYPERLINK(...) in a
# camera's model would be a link in every downloader's Excel. Tab and CR are in OWASP's list because some
# programs strip them and then see the formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

assert set(OSM_KEYS) <= set(DESCRIPTION_FIELDS)


def _camera_select() -> Select:
    capabilities = (
        select(func.json_object_agg(CameraCapability.capability, CameraCapability.evidence, type_=JSON))
        .where(CameraCapability.camera_id == Camera.id)
        .scalar_subquery()
    )
    return (
        select(
            Camera.id,
            func.round(func.ST_X(Camera.location).cast(Numeric), COORDINATE_DECIMALS).label("longitude"),
            func.round(func.ST_Y(Camera.location).cast(Numeric), COORDINATE_DECIMALS).label("latitude"),
            Municipality.code.label("municipality_code"),
            Municipality.name.label("municipality_name"),
            Camera.status,
            *(getattr(Camera, name) for name in DESCRIPTION_FIELDS),
            capabilities.label("capabilities"),
            Camera.confirmation_count,
            Camera.first_confirmed_on,
            Camera.last_confirmed_on,
        )
        .outerjoin(Municipality, Municipality.id == Camera.municipality_id)
        .order_by(Camera.id)
    )


def _plain(value: Any) -> Any:
    if hasattr(value, "value"):  # a vocabulary enum
        return value.value
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def camera_rows() -> Iterator[dict[str, Any]]:
    """Every verified camera as a flat dict in CAMERA_FIELDS order, read with a server-side cursor."""
    result = db.session.execute(_camera_select().execution_options(yield_per=BATCH))
    for row in result:
        data = row._mapping
        capabilities = data["capabilities"] or {}
        record = {}
        for name in CAMERA_FIELDS:
            if name.startswith("capability_"):
                record[name] = capabilities.get(name.removeprefix("capability_"))
            elif name in ("longitude", "latitude"):
                record[name] = float(data[name])
            else:
                record[name] = _plain(data[name])
        yield record


def spreadsheet_safe(value: Any) -> Any:
    """A CSV cell no spreadsheet runs as a formula: text starting with =, +, -, @, tab or CR gets a leading '.

    Only text is touched: numbers (a negative longitude, a density) stay numbers for GIS and spreadsheets.
    """
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _csv_chunks(fields: list[str], rows: Iterator[dict[str, Any]]) -> Iterator[str]:
    """Every CSV the site serves or snapshots is written here, each cell through spreadsheet_safe."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=fields, lineterminator="\r\n")
    writer.writeheader()
    for count, row in enumerate(rows, 1):
        writer.writerow({name: spreadsheet_safe(value) for name, value in row.items()})
        if count % BATCH == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def cameras_csv() -> Iterator[str]:
    """cameras.csv, in chunks."""
    return _csv_chunks(CAMERA_FIELDS, camera_rows())


def cameras_geojson() -> Iterator[str]:
    """cameras.geojson (RFC 7946 FeatureCollection, WGS84), in chunks."""
    yield '{"type":"FeatureCollection","features":['
    separator = ""
    chunk: list[str] = []
    for row in camera_rows():
        feature = {
            "type": "Feature",
            "id": row["id"],
            "geometry": {"type": "Point", "coordinates": [row["longitude"], row["latitude"]]},
            "properties": row,
        }
        chunk.append(separator + json.dumps(feature, ensure_ascii=False, separators=(",", ":")))
        separator = ","
        if len(chunk) >= BATCH:
            yield "".join(chunk)
            chunk = []
    yield "".join(chunk) + "]}\n"


def municipalities_csv() -> Iterator[str]:
    """municipalities.csv with the density figures, in chunks."""
    rows = ({name: row[name] for name in MUNICIPALITY_FIELDS} for row in density.density_rows())
    return _csv_chunks(MUNICIPALITY_FIELDS, rows)
