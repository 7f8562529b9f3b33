"""The one place that knows GeoJSON files, Shapely, WKB and SRIDs.

Everything spatial that can run in PostGIS does; this module prepares geometries going in and builds
the SQL expressions that make points and find what lies within a distance of one.
"""

import json
from pathlib import Path
from typing import Any

import shapely
from geoalchemy2 import Geography, WKBElement
from geoalchemy2.shape import from_shape
from shapely.geometry import MultiPolygon, Polygon, shape
from shapely.validation import explain_validity
from sqlalchemy import and_, cast, func, literal
from sqlalchemy.sql.elements import ColumnElement

SRID = 4326
# Decimals of a published coordinate: about 0.1 m, more than a phone's GPS can tell.
COORDINATE_DECIMALS = 6
# Roughly 400 m: invisible at the zooms the municipality layer is drawn at, and about 20% fewer vertices.
DISPLAY_TOLERANCE_DEG = 0.004
# The shortest degree of latitude (at the equator, WGS84), in metres. A degree of longitude is at least this
# times cos(latitude), so metres / (this * cos(latitude)) degrees always reach at least `metres` in any direction.
SHORTEST_DEGREE_M = 110_574
# Head-room on the degree bound for the ellipsoid's local curvature and rounding: the box is a few per cent
# larger than needed, which costs nothing measurable, and never smaller.
DEGREE_MARGIN = 1.05


class GeometryError(ValueError):
    """A geometry that cannot be used, with the reason."""


def read_features(path: Path) -> list[dict[str, Any]]:
    """The features of a GeoJSON FeatureCollection file."""
    with path.open(encoding="utf-8") as handle:
        data = json.load(handle)
    if data.get("type") != "FeatureCollection" or not isinstance(data.get("features"), list):
        raise GeometryError(f"{path.name}: not a GeoJSON FeatureCollection")
    return data["features"]


def multipolygon(geometry: dict[str, Any] | None) -> MultiPolygon:
    """A valid MultiPolygon from a GeoJSON geometry (a Polygon is promoted); raises GeometryError."""
    if not geometry:
        raise GeometryError("missing geometry")
    try:
        geom = shape(geometry)
    except (ValueError, TypeError, AttributeError, KeyError) as error:
        raise GeometryError(f"unreadable geometry: {error}") from error
    if isinstance(geom, Polygon):
        geom = MultiPolygon([geom])
    if not isinstance(geom, MultiPolygon):
        raise GeometryError(f"expected a (Multi)Polygon, got {geom.geom_type}")
    if geom.is_empty:
        raise GeometryError("empty geometry")
    if not geom.is_valid:
        raise GeometryError(f"invalid geometry: {explain_validity(geom)}")
    minx, miny, maxx, maxy = geom.bounds
    if not (-180 <= minx <= maxx <= 180 and -90 <= miny <= maxy <= 90):
        raise GeometryError("coordinates are not WGS84 longitude/latitude")
    return geom


def simplify_coverage(geoms: list[MultiPolygon], tolerance: float = DISPLAY_TOLERANCE_DEG) -> list[MultiPolygon]:
    """Simplify neighbouring polygons together so that shared borders stay shared."""
    simplified = shapely.coverage_simplify(geoms, tolerance)
    result = []
    for original, geom in zip(geoms, simplified, strict=True):
        geom = shapely.make_valid(geom)
        polygons = [g for g in getattr(geom, "geoms", [geom]) if isinstance(g, Polygon) and not g.is_empty]
        result.append(MultiPolygon(polygons) if polygons else original)
    return result


def to_db(geom: MultiPolygon) -> WKBElement:
    return from_shape(geom, srid=SRID)


def point(lon: float, lat: float) -> ColumnElement:
    """SQL expression for a WGS84 point."""
    return func.ST_SetSRID(func.ST_MakePoint(lon, lat), SRID)


def _degrees_reaching(point: ColumnElement, metres: float) -> ColumnElement:
    """Planar degrees that cover `metres` around `point` in every direction (longitude shrinks with latitude).

    The latitude used is the one farthest from the equator within the radius; at a pole the bound becomes
    larger than the world, so nothing is missed there either. SQL, so `point` may be a column or a subquery.
    """
    reach = metres / SHORTEST_DEGREE_M
    farthest_latitude = func.least(func.abs(func.ST_Y(point)) + literal(reach), literal(90.0))
    shrink = func.greatest(func.cos(func.radians(farthest_latitude)), literal(1e-6))
    return literal(reach * DEGREE_MARGIN) / shrink


def within_metres(column, point: ColumnElement, metres: float) -> ColumnElement[bool]:
    """True where the point `column` lies within `metres` of `point` on the ellipsoid.

    The first test, on the geometry in degrees, is what the GiST index on `column` answers; the second is the
    exact one on the geography, for the few rows the index lets through. (Points across the antimeridian are
    not found: the site covers Serbia and Kosovo.)
    """
    return and_(
        func.ST_DWithin(column, point, _degrees_reaching(point, metres)),
        func.ST_DWithin(cast(column, Geography), cast(point, Geography), metres),
    )


def distance_metres(column, point: ColumnElement) -> ColumnElement[float]:
    """The distance in metres on the ellipsoid between the point `column` and `point` (for ordering and display)."""
    return func.ST_Distance(cast(column, Geography), cast(point, Geography))
