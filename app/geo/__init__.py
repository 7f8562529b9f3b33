"""The one place that knows GeoJSON files, Shapely, WKB and SRIDs.

Everything spatial that can run in PostGIS does; this module prepares geometries going in and builds
the SQL expressions that make points.
"""

import json
from pathlib import Path
from typing import Any

import shapely
from geoalchemy2 import WKBElement
from geoalchemy2.shape import from_shape
from shapely.geometry import MultiPolygon, Polygon, shape
from shapely.validation import explain_validity
from sqlalchemy import func
from sqlalchemy.sql.elements import ColumnElement

SRID = 4326
# Roughly 400 m: invisible at the zooms the municipality layer is drawn at, and about 20% fewer vertices.
DISPLAY_TOLERANCE_DEG = 0.004


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
