"""The cameras in a map viewport as GeoJSON built by PostGIS: points when few, grid clusters otherwise."""

import json

from sqlalchemy import JSON, Numeric, cast, func, literal, select
from sqlalchemy.sql.elements import ColumnElement

from app.cameras.aggregates import aggregate_measure, municipality_clusters, stored_cell_clusters
from app.cameras.filters import CameraFilters, Viewport
from app.extensions import db
from app.models import Camera, CameraCapability

# Cluster cells are a quarter of a 256-pixel tile: about 64 pixels on screen at every zoom.
CELLS_PER_TILE = 4


def _envelope(view: Viewport) -> ColumnElement:
    return func.ST_MakeEnvelope(view.min_lon, view.min_lat, view.max_lon, view.max_lat, 4326)


def _in_view(view: Viewport) -> ColumnElement:
    """Cameras in the viewport. For points and an axis-aligned box the index operator `&&` is exactly
    ST_Intersects, without its per-row cost, which made the planner start parallel workers for a LIMIT 2001 count
    (47 ms instead of 4 on a million cameras)."""
    return Camera.location.op("&&")(_envelope(view))


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
        .where(_in_view(view), *filters.conditions())
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
        .where(_in_view(view), *filters.conditions())
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
    matching = select(Camera.id).where(_in_view(view), *filters.conditions()).limit(limit).subquery()
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
        return _collection(kind, total, features, cap)
    # Every mapped camera, no filter: the tiles' kept cells give the clusters, and how many cameras are in view,
    # without scanning them. (A count that stops at the cap is no bound: on clustered rows the planner's sequential
    # scan for it walked most of the table, 100 ms at z12 over Belgrade.)
    unfiltered = aggregate_measure(filters) == "total" and not filters.municipality
    stored = stored_cell_clusters(view) if unfiltered else None
    if view.zoom >= cluster_below_zoom:
        few = stored[0] <= cap if stored is not None else _count_up_to(view, filters, cap + 1) <= cap
        # Cells count their cameras where their mean position is: near the edges the points may still be too many.
        if few and (points := _points(view, filters, cap))[0] <= cap:
            return _collection("points", *points, cap)
    total, features = stored if stored is not None else _clusters(view, filters)
    return _collection("clusters", total, features, cap)


def _collection(kind: str, total: int, features: str, cap: int) -> str:
    head = json.dumps({"type": "FeatureCollection", "kind": kind, "total": total, "cap": cap})
    return head[:-1] + ', "features": ' + features + "}"
