"""The map layers of the comparison, as GeoJSON built by PostGIS: the declared locations, those not found yet, and
the mapped cameras on no declared list. Declared points and cameras are never in the same layer."""

import json

from sqlalchemy import JSON, Integer, cast, func, literal, select
from sqlalchemy.dialects.postgresql import ARRAY

from app.cameras.filters import Viewport
from app.declared import matching
from app.extensions import db
from app.models import Camera, DeclaredList, DeclaredLocation
from app.municipalities.density import data_version

LAYERS = ("declared", "declared_not_found", "mapped_not_declared")


def _envelope(view: Viewport):
    return func.ST_MakeEnvelope(view.min_lon, view.min_lat, view.max_lon, view.max_lat, 4326)


def _not_among(column, ids: frozenset[int]):
    """`column` is none of `ids`: one array parameter, a hashed set in the plan (no parameter per id)."""
    return column.not_in(select(func.unnest(literal(sorted(ids), ARRAY(Integer)))).scalar_subquery())


def _locations(view: Viewport, comparison: matching.Comparison, only_not_found: bool):
    matched = DeclaredLocation.id.in_(
        select(func.unnest(literal(sorted(comparison.matched_locations), ARRAY(Integer)))).scalar_subquery()
    )
    query = (
        select(
            DeclaredLocation.id,
            DeclaredLocation.location.label("location"),
            func.json_build_object(
                "cameras", DeclaredLocation.cameras,
                "label", DeclaredLocation.label,
                "address", DeclaredLocation.address,
                "source", DeclaredList.source,
                "document_date", DeclaredList.document_date,
                "found", matched,
            ).label("properties"),
        )
        .join(DeclaredList, DeclaredList.id == DeclaredLocation.list_id)
        .where(DeclaredList.is_current, func.ST_Intersects(DeclaredLocation.location, _envelope(view)))
    )  # fmt: skip
    if only_not_found:
        query = query.where(_not_among(DeclaredLocation.id, comparison.matched_locations))
    return query.order_by(DeclaredLocation.id)


def _cameras(view: Viewport, comparison: matching.Comparison):
    return (
        select(
            Camera.id,
            Camera.location.label("location"),
            func.json_build_object("camera", Camera.id).label("properties"),
        )
        .where(Camera.on_map, func.ST_Intersects(Camera.location, _envelope(view)))
        .where(_not_among(Camera.id, comparison.matched_cameras))
        .order_by(Camera.id)
    )


def layer_geojson(layer: str, view: Viewport, cap: int) -> str:
    """A FeatureCollection of one layer in the viewport, at most `cap` points (`truncated` says when more)."""
    comparison = matching.comparison(data_version())
    if layer == "mapped_not_declared":
        query = _cameras(view, comparison)
    else:
        query = _locations(view, comparison, only_not_found=layer == "declared_not_found")
    rows = query.limit(cap + 1).subquery()
    feature = func.json_build_object(
        "type", "Feature",
        "id", rows.c.id,
        "geometry", cast(func.ST_AsGeoJSON(rows.c.location, 6), JSON),
        "properties", rows.c.properties,
    )  # fmt: skip
    count, features = db.session.execute(
        select(func.count(), func.coalesce(func.json_agg(feature), cast(literal("[]"), JSON)).cast(db.Text))
    ).one()
    features = json.loads(features)[:cap]
    head = {"type": "FeatureCollection", "layer": layer, "total": min(count, cap), "truncated": count > cap}
    return json.dumps({**head, "tolerance_m": matching.tolerance_metres(), "features": features})
