"""Clusters per municipality for country and regional zooms.

Grouping a million points on a grid at country zoom costs seconds; the per-municipality counts are already there
(200 rows), and a municipality is what a visitor compares at that scale anyway. Filters the counts do not cover
(operator, zone, camera type, status, dates, several values) are answered by counting the matching cameras per
municipality: a scan, but of one integer column per row instead of a geometry (about 4x faster than the grid on
a million cameras).
"""

from sqlalchemy import JSON, Numeric, and_, cast, func, literal, select, text

from app.cameras.filters import CameraFilters, Viewport
from app.extensions import db
from app.models import Camera, Municipality, MunicipalityCameraCount


def aggregate_measure(filters: CameraFilters) -> str | None:
    """The counts' measure answering these filters exactly, or None when only a scan can."""
    if filters.operator or filters.camera_type or filters.zone or filters.status or filters.confirmed_since:
        return None
    if filters.capability and filters.manufacturer:
        return None
    if len(filters.capability) > 1 or len(filters.manufacturer) > 1:
        return None
    if filters.capability:
        return f"capability:{filters.capability[0].value}"
    if filters.manufacturer:
        return f"manufacturer:{filters.manufacturer[0].value}"
    return "total"


def _kept_counts(measure: str):
    return (
        select(MunicipalityCameraCount.municipality_id, MunicipalityCameraCount.cameras.label("n"))
        .where(MunicipalityCameraCount.measure == measure, MunicipalityCameraCount.cameras > 0)
        .subquery()
    )


def _scanned_counts(filters: CameraFilters):
    return (
        select(Camera.municipality_id, func.count().label("n"))
        .where(Camera.municipality_id.is_not(None), *filters.conditions())
        .group_by(Camera.municipality_id)
        # Computed once: the planner under-estimates the municipalities in view and would otherwise re-run
        # the scan for each of them in a nested loop (seconds instead of a fraction of one).
        .cte("scanned_counts")
        .prefix_with("MATERIALIZED")
    )


def municipality_clusters(view: Viewport, filters: CameraFilters) -> tuple[int, str]:
    """One cluster per municipality in view, placed on its surface: trigger-kept counts when they answer the
    filters, otherwise the matching cameras counted per municipality."""
    measure = aggregate_measure(filters)
    counts = _kept_counts(measure) if measure is not None else _scanned_counts(filters)
    label = func.ST_PointOnSurface(Municipality.boundary_simplified)
    envelope = func.ST_MakeEnvelope(view.min_lon, view.min_lat, view.max_lon, view.max_lat, 4326)
    conditions = [func.ST_Intersects(label, envelope)]
    if filters.municipality:
        conditions.append(Municipality.code == filters.municipality)
    rows = (
        select(
            Municipality.code,
            counts.c.n,
            func.json_build_array(
                func.round(cast(func.ST_X(label), Numeric), 5), func.round(cast(func.ST_Y(label), Numeric), 5)
            ).label("centre"),
        )
        .join(counts, counts.c.municipality_id == Municipality.id)
        .where(and_(*conditions))
        .subquery()
    )
    feature = func.json_build_object(
        "type", "Feature",
        "geometry", func.json_build_object("type", "Point", "coordinates", rows.c.centre),
        "properties", func.json_build_object("cluster", True, "count", rows.c.n, "municipality", rows.c.code),
    )  # fmt: skip
    total, features = db.session.execute(
        select(
            func.coalesce(func.sum(rows.c.n), 0),
            func.coalesce(func.json_agg(feature), cast(literal("[]"), JSON)).cast(db.Text),
        )
    ).one()
    return int(total), features


# The tiles' trigger-kept cells (app/models/camera_cell.py): 64 to a tile's width at zoom 0-12. The viewport's
# clusters are a quarter of a tile (app/cameras/viewport.py, CELLS_PER_TILE), so zoom z reads the cells of z - 4.
CELL_ZOOM_OFFSET = 4
STORED_CELL_ZOOMS = range(0, 13)
_HALF_WORLD = 20037508.342789244
_STORED_CELL_CLUSTERS = text(
    f"""
    WITH envelope AS (
        SELECT ST_Transform(ST_MakeEnvelope(:min_lon, greatest(:min_lat, -85.0511), :max_lon,
                                            least(:max_lat, 85.0511), 4326), 3857) AS e,
               {2 * _HALF_WORLD} / (2 ^ :z) / 64 AS size
    ), view AS (  -- integer cell bounds, so the primary key (z, cx, cy) is used
        SELECT ST_XMin(e) AS x0, ST_XMax(e) AS x1, ST_YMin(e) AS y0, ST_YMax(e) AS y1,
               floor((ST_XMin(e) + {_HALF_WORLD}) / size)::int AS cx0, floor((ST_XMax(e) + {_HALF_WORLD}) / size)::int AS cx1,
               floor(({_HALF_WORLD} - ST_YMax(e)) / size)::int AS cy0, floor(({_HALF_WORLD} - ST_YMin(e)) / size)::int AS cy1
        FROM envelope
    ), shown AS (
        SELECT c.cameras, ST_Transform(ST_SetSRID(ST_MakePoint(c.sum_x / c.cameras, c.sum_y / c.cameras), 3857), 4326) AS p
        FROM view AS v JOIN camera_cells AS c
          ON c.z = :z AND c.cx BETWEEN v.cx0 AND v.cx1 AND c.cy BETWEEN v.cy0 AND v.cy1
        WHERE c.cameras > 0
          AND c.sum_x / c.cameras BETWEEN v.x0 AND v.x1 AND c.sum_y / c.cameras BETWEEN v.y0 AND v.y1
    )
    SELECT coalesce(sum(cameras), 0),
           coalesce(json_agg(json_build_object(
               'type', 'Feature',
               'geometry', json_build_object('type', 'Point', 'coordinates',
                                             json_build_array(round(ST_X(p)::numeric, 6), round(ST_Y(p)::numeric, 6))),
               'properties', json_build_object('cluster', true, 'count', cameras))), '[]'::json)::text
    FROM shown
    """  # noqa: S608, E501  (module constants only; the viewport is bound)
)


def stored_cell_clusters(view: Viewport) -> tuple[int, str] | None:
    """Grid clusters of every mapped camera from the trigger-kept cells (a few hundred rows, never a scan of the
    cameras), each counted where its cameras' mean position is; None where no cells are kept for this zoom."""
    z = view.zoom - CELL_ZOOM_OFFSET
    if z not in STORED_CELL_ZOOMS:
        return None
    params = {"min_lon": view.min_lon, "min_lat": view.min_lat, "max_lon": view.max_lon, "max_lat": view.max_lat}
    total, features = db.session.execute(_STORED_CELL_CLUSTERS, {**params, "z": z}).one()
    return int(total), features
