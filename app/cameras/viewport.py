"""The cameras in a map viewport as GeoJSON built by PostGIS: points when few, grid clusters otherwise."""

import json
from dataclasses import dataclass, field
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import JSON, Numeric, and_, cast, exists, func, literal, select
from sqlalchemy.sql.elements import ColumnElement

from app.cameras.aggregates import municipality_clusters
from app.errors import InvalidFilter, InvalidViewport
from app.extensions import db
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
# Cluster cells are a quarter of a 256-pixel tile: about 64 pixels on screen at every zoom.
CELLS_PER_TILE = 4


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


def _envelope(view: Viewport) -> ColumnElement:
    return func.ST_MakeEnvelope(view.min_lon, view.min_lat, view.max_lon, view.max_lat, 4326)


def _points(view: Viewport, filters: CameraFilters, cap: int) -> tuple[int, str]:
    capabilities = (
        select(func.coalesce(func.json_agg(CameraCapability.capability), cast(literal("[]"), JSON)))
        .where(CameraCapability.camera_id == Camera.id)
        .scalar_subquery()
    )
    rows = (
        select(
            Camera.id,
            Camera.location,
            Camera.surveillance_type,
            Camera.camera_type,
            Camera.direction,
            Camera.status,
            capabilities.label("capabilities"),
        )
        .where(func.ST_Intersects(Camera.location, _envelope(view)), *filters.conditions())
        .order_by(Camera.id)
        .limit(cap + 1)
        .subquery()
    )
    feature = func.json_build_object(
        "type", "Feature",
        "id", rows.c.id,
        "geometry", cast(func.ST_AsGeoJSON(rows.c.location, 6), JSON),
        "properties", func.json_build_object(
            "type", rows.c.surveillance_type,
            "camera_type", rows.c.camera_type,
            "direction", rows.c.direction,
            "status", rows.c.status,
            "capabilities", rows.c.capabilities,
        ),
    )  # fmt: skip
    count, features = db.session.execute(
        select(func.count(), func.coalesce(func.json_agg(feature), cast(literal("[]"), JSON)).cast(db.Text))
    ).one()
    return count, features


def _clusters(view: Viewport, filters: CameraFilters) -> tuple[int, str]:
    cell = 360.0 / (2**view.zoom) / CELLS_PER_TILE
    lon, lat = func.ST_X(Camera.location), func.ST_Y(Camera.location)
    centre = func.json_build_array(
        func.round(cast(func.avg(lon), Numeric), 6), func.round(cast(func.avg(lat), Numeric), 6)
    )
    cells = (
        select(func.count().label("n"), centre.label("centre"))
        .where(func.ST_Intersects(Camera.location, _envelope(view)), *filters.conditions())
        .group_by(func.floor(lon / cell), func.floor(lat / cell))
        .subquery()
    )
    feature = func.json_build_object(
        "type", "Feature",
        "geometry", func.json_build_object(
            "type", "Point", "coordinates", cells.c.centre
        ),
        "properties", func.json_build_object("cluster", True, "count", cells.c.n),
    )  # fmt: skip
    total, features = db.session.execute(
        select(
            func.coalesce(func.sum(cells.c.n), 0),
            func.coalesce(func.json_agg(feature), cast(literal("[]"), JSON)).cast(db.Text),
        )
    ).one()
    return int(total), features


def _count_up_to(view: Viewport, filters: CameraFilters, limit: int) -> int:
    """How many cameras match, counting no further than `limit` (cheap: no JSON is built)."""
    matching = (
        select(Camera.id)
        .where(func.ST_Intersects(Camera.location, _envelope(view)), *filters.conditions())
        .limit(limit)
        .subquery()
    )
    return db.session.execute(select(func.count()).select_from(matching)).scalar_one()


def cameras_geojson(
    view: Viewport, filters: CameraFilters, cluster_below_zoom: int, cap: int, municipal_below_zoom: int = 10
) -> str:
    """A FeatureCollection of cameras, or of clusters (`kind`) below the zoom threshold or above the cap.

    Below `municipal_below_zoom` clusters are per municipality (trigger-kept counts when they answer the filters).
    """
    if view.zoom < municipal_below_zoom:
        kind = "municipalities"
        total, features = municipality_clusters(view, filters)
    elif view.zoom >= cluster_below_zoom and _count_up_to(view, filters, cap + 1) <= cap:
        kind = "points"
        total, features = _points(view, filters, cap)
    else:
        kind = "clusters"
        total, features = _clusters(view, filters)
    head = json.dumps({"type": "FeatureCollection", "kind": kind, "total": total, "cap": cap})
    return head[:-1] + ', "features": ' + features + "}"
