"""What a map request asks for: a viewport (bounding box and zoom) and filters, parsed from URL parameters.

Shared by the point/cluster query (app/cameras/viewport.py) and the per-municipality counts
(app/cameras/aggregates.py), so a filter is written once.
"""

from dataclasses import dataclass, field
from datetime import date

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, exists, select
from sqlalchemy.sql.elements import ColumnElement

from app.errors import InvalidFilter, InvalidViewport
from app.models import Camera, CameraCapability, Municipality
from app.vocabulary import (
    FILTER_VOCABULARIES,
    CameraStatus,
    CameraType,
    Capability,
    Manufacturer,
    Operator,
    Vocabulary,
    Zone,
)

# Larger than any sensible view of Serbia and Kosovo; the map's script clamps its requests to the region.
MAX_BBOX_WIDTH_DEG = 45.0
MAX_BBOX_HEIGHT_DEG = 30.0

# The labels of the filters (app.vocabulary.FILTER_VOCABULARIES: URL parameters of the map, the camera list and
# GET /api/v1/cameras).
FILTER_LABELS = {
    "capability": _l("Capability"),
    "manufacturer": _l("Manufacturer"),
    "operator": _l("Operator"),
    "camera_type": _l("Camera type"),
    "zone": _l("Zone"),
    "status": _l("Status"),
}


def filter_choices() -> list[tuple[str, str, list[tuple[str, str]]]]:
    """(parameter, label, [(value, label)]) of every filter, in the order the map and the list offer them."""
    return [(name, str(FILTER_LABELS[name]), vocabulary.choices()) for name, vocabulary in FILTER_VOCABULARIES.items()]


@dataclass
class CameraFilters:
    """What the visitor asked to see; every field empty means every mapped camera."""

    capability: list[Capability] = field(default_factory=list)
    manufacturer: list[Manufacturer] = field(default_factory=list)
    operator: list[Operator] = field(default_factory=list)
    camera_type: list[CameraType] = field(default_factory=list)
    zone: list[Zone] = field(default_factory=list)
    status: list[CameraStatus] = field(default_factory=list)
    municipality: str | None = None
    confirmed_since: date | None = None

    def conditions(self) -> list[ColumnElement]:
        conditions = [Camera.status.in_(self.status) if self.status else Camera.on_map]
        for name in FILTER_VOCABULARIES:
            values = getattr(self, name)
            if values and name not in ("status", "capability"):
                conditions.append(getattr(Camera, name).in_(values))
        if self.capability:
            conditions.append(
                exists().where(
                    and_(CameraCapability.camera_id == Camera.id, CameraCapability.capability.in_(self.capability))
                )
            )
        if self.municipality:
            conditions.append(
                Camera.municipality_id
                == select(Municipality.id).where(Municipality.code == self.municipality).scalar_subquery()
            )
        if self.confirmed_since:
            conditions.append(Camera.last_confirmed_on >= self.confirmed_since)
        return conditions


def _values(raw: str | None, vocabulary: type[Vocabulary], name: str) -> list:
    if not raw:
        return []
    result = []
    for value in raw.split(","):
        try:
            result.append(vocabulary(value.strip()))
        except ValueError:
            raise InvalidFilter(
                _("Unknown value %(value)s for the filter %(name)s.", value=value[:40], name=name),
                {"parameter": name, "allowed": vocabulary.values()},
            ) from None
    return result


def parse_filters(args) -> CameraFilters:
    """Filters from URL parameters; unknown values raise InvalidFilter (400), never silently match nothing."""
    filters = CameraFilters()
    for name, vocabulary in FILTER_VOCABULARIES.items():
        setattr(filters, name, _values(args.get(name), vocabulary, name))
    municipality = (args.get("municipality") or "").strip()
    if municipality:
        if len(municipality) > 40:
            raise InvalidFilter(_("Unknown municipality."), {"parameter": "municipality"})
        filters.municipality = municipality
    since = (args.get("confirmed_since") or "").strip()
    if since:
        try:
            filters.confirmed_since = date.fromisoformat(since)
        except ValueError:
            raise InvalidFilter(_("The date must look like 2026-05-31."), {"parameter": "confirmed_since"}) from None
    return filters


@dataclass(frozen=True)
class Viewport:
    min_lon: float
    min_lat: float
    max_lon: float
    max_lat: float
    zoom: int


def parse_viewport(bbox: str | None, zoom: str | None) -> Viewport:
    """A bounding box `minlon,minlat,maxlon,maxlat` in WGS84 and a zoom 0-22; absurd ones raise InvalidViewport."""
    try:
        parts = [float(part) for part in (bbox or "").split(",")]
        level = int(zoom if zoom not in (None, "") else 12)
    except ValueError:
        parts, level = [], -1
    details = {"bbox": (bbox or "")[:100], "zoom": (zoom or "")[:10]}
    if len(parts) != 4 or not all(part == part and abs(part) != float("inf") for part in parts):
        raise InvalidViewport(_("bbox must be four numbers: minlon,minlat,maxlon,maxlat."), details)
    min_lon, min_lat, max_lon, max_lat = parts
    if not (-180 <= min_lon < max_lon <= 180 and -90 <= min_lat < max_lat <= 90):
        message = _("bbox must lie within longitude -180..180 and latitude -90..90, min before max.")
        raise InvalidViewport(message, details)
    if max_lon - min_lon > MAX_BBOX_WIDTH_DEG or max_lat - min_lat > MAX_BBOX_HEIGHT_DEG:
        raise InvalidViewport(_("This area is too large; zoom in."), details)
    if not 0 <= level <= 22:
        raise InvalidViewport(_("zoom must be a whole number from 0 to 22."), details)
    return Viewport(min_lon, min_lat, max_lon, max_lat, level)
