"""OpenStreetMap both ways: an OSM XML file of new nodes for JOSM, and importing Overpass API results.

Nothing is uploaded to OpenStreetMap: a mapper opens the file in JOSM, reviews it and uploads it themselves.
"""

import json
import secrets
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.sax.saxutils import quoteattr

from flask_babel import gettext as _
from sqlalchemy import exists, func, select

from app import geo
from app.errors import ValidationFailed
from app.extensions import db
from app.input_guards import whole_number
from app.models import Camera, Sighting
from app.models.columns import MODEL_MAX, OPERATOR_NAME_MAX
from app.municipalities.services import municipality_at
from app.vocabulary import FIELD_VOCABULARIES, OPERATOR_NAMES, OSM_KEYS, Operator, SightingState, osm_tags

SOURCE = "openstreetmap"
DUPLICATE_DISTANCE_M = 10
GENERATOR = "Hiljade kamera"
BATCH = 500
_CARDINAL = {
    "N": 0,
    "NNE": 22,
    "NE": 45,
    "ENE": 67,
    "E": 90,
    "ESE": 112,
    "SE": 135,
    "SSE": 157,
    "S": 180,
    "SSW": 202,
    "SW": 225,
    "WSW": 247,
    "W": 270,
    "WNW": 292,
    "NW": 315,
    "NNW": 337,
}


def _from_openstreetmap():
    """Cameras that came from an OSM node: they are in OpenStreetMap already."""
    return exists().where(Sighting.camera_id == Camera.id, Sighting.source == SOURCE)


def cameras_osm_xml() -> Iterator[str]:
    """An OSM XML (API 0.6) document of new nodes, negative ids, for review in JOSM; in chunks."""
    yield "<?xml version='1.0' encoding='UTF-8'?>\n"
    yield f'<osm version="0.6" generator={quoteattr(GENERATOR)}>\n'
    result = db.session.execute(
        select(Camera, func.ST_X(Camera.location), func.ST_Y(Camera.location))
        .where(Camera.on_map, ~_from_openstreetmap())
        .order_by(Camera.id)
        .execution_options(yield_per=BATCH)
    )
    chunk: list[str] = []
    for camera, lon, lat in result:
        chunk.append(f'  <node id="-{camera.id}" visible="true" lat="{lat:.7f}" lon="{lon:.7f}">\n')
        for key, value in osm_tags(camera, check_date=camera.last_confirmed_on).items():
            chunk.append(f"    <tag k={quoteattr(key)} v={quoteattr(value)}/>\n")
        chunk.append("  </node>\n")
        if len(chunk) >= BATCH:
            yield "".join(chunk)
            chunk = []
    yield "".join(chunk) + "</osm>\n"


@dataclass
class ImportReport:
    created: int = 0
    already_imported: int = 0
    outside_area: int = 0
    not_cameras: int = 0
    flagged: list[int] = field(default_factory=list)  # node ids within 10 m of a camera on the map


def _fields_from_tags(tags: dict[str, str]) -> dict[str, Any]:
    """Our descriptive fields from OSM tags; values outside our vocabulary are left out."""
    fields: dict[str, Any] = {}
    for attribute, enum_cls in FIELD_VOCABULARIES.items():
        if attribute == "operator":  # OSM's operator tag holds a name; read below
            continue
        value = tags.get(OSM_KEYS[attribute])
        if value in enum_cls.values():
            fields[attribute] = enum_cls(value)
    direction = (tags.get("camera:direction") or tags.get("direction") or "").strip().upper()
    if (degrees := whole_number(direction, high=359)) is not None:
        fields["direction"] = degrees
    elif direction in _CARDINAL:
        fields["direction"] = _CARDINAL[direction]
    operator = (tags.get("operator") or "").strip()
    if operator in Operator.values():
        fields["operator"] = Operator(operator)
    elif operator:
        known = {name: kind for kind, name in OPERATOR_NAMES.items()}
        if operator in known:
            fields["operator"] = Operator(known[operator])
        fields["operator_name"] = operator[:OPERATOR_NAME_MAX]
    if model := (tags.get("model") or "").strip():
        fields["model"] = model[:MODEL_MAX]
    return fields


def _nodes(document: Any) -> list[dict[str, Any]]:
    if not isinstance(document, dict) or not isinstance(document.get("elements"), list):
        raise ValidationFailed(_("This is not an Overpass API JSON result (no list of elements)."))
    nodes = []
    for element in document["elements"]:
        if not isinstance(element, dict) or element.get("type") != "node":
            continue
        node_id, lat, lon = element.get("id"), element.get("lat"), element.get("lon")
        valid_numbers = all(isinstance(n, int | float) and not isinstance(n, bool) for n in (lat, lon))
        if not isinstance(node_id, int) or node_id <= 0 or not valid_numbers:
            raise ValidationFailed(_("An element of the file is not a valid node."), {"element": str(element)[:200]})
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise ValidationFailed(_("An element of the file is not a valid node."), {"node": node_id})
        tags = element.get("tags") if isinstance(element.get("tags"), dict) else {}
        nodes.append({"id": node_id, "lat": lat, "lon": lon, "tags": {str(k): str(v) for k, v in tags.items()}})
    return nodes


def _reference() -> str:
    return "OSM" + secrets.token_hex(5).upper()


def _nearest_camera(location) -> int | None:
    """The camera within DUPLICATE_DISTANCE_M metres of a location, if any (on the ellipsoid)."""
    return db.session.scalar(
        select(Camera.id)
        .where(geo.within_metres(Camera.location, location, DUPLICATE_DISTANCE_M))
        .order_by(geo.distance_metres(Camera.location, location))
        .limit(1)
    )


def import_overpass(path: str | Path) -> ImportReport:
    """Create pending sightings from an Overpass JSON file of man_made=surveillance nodes; all or nothing."""
    try:
        document = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ValidationFailed(_("The file cannot be read as JSON."), {"reason": str(error)[:200]}) from error
    report = ImportReport()
    nodes = _nodes(document)
    known = set(
        db.session.scalars(
            select(Sighting.source_ref).where(
                Sighting.source == SOURCE, Sighting.source_ref.in_([str(n["id"]) for n in nodes])
            )
        )
    )
    try:
        for node in nodes:
            if node["tags"].get("man_made") != "surveillance":
                report.not_cameras += 1
                continue
            if str(node["id"]) in known:
                report.already_imported += 1
                continue
            known.add(str(node["id"]))
            if municipality_at(node["lon"], node["lat"]) is None:
                report.outside_area += 1
                continue
            nearby = _nearest_camera(geo.point(node["lon"], node["lat"]))
            note = f"Imported from OpenStreetMap node {node['id']}."
            if nearby is not None:
                note += f" Possible duplicate: within {DUPLICATE_DISTANCE_M} m of camera #{nearby}."
                report.flagged.append(node["id"])
            db.session.add(
                Sighting(
                    reference=_reference(),
                    location=geo.point(node["lon"], node["lat"]),
                    source=SOURCE,
                    source_ref=str(node["id"]),
                    state=SightingState.PENDING,
                    note=note,
                    **_fields_from_tags(node["tags"]),
                )
            )
            report.created += 1
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return report
