"""Vector tiles: camera points at high zoom, counts in grid cells at low zoom, built by PostGIS.

Points layer `cameras` (id, status, camera_type, manufacturer, facial_recognition); cells layer `camera_cells`
(cameras: how many, drawn at their mean position). A tile never carries more than MAX_POINTS points:
a crowded high-zoom tile shows cells instead, which also caps its size.

Below POINT_MIN_ZOOM the cells come from `camera_cells` (counts kept current by a database trigger, see
app/models/camera_cell.py), so a low-zoom tile reads at most 64 x 64 rows instead of every camera it covers.
"""

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import Connection, text

from app.errors import NotFound
from app.extensions import db
from app.tiles import cache

MAX_ZOOM = 22
POINT_MIN_ZOOM = 13
MAX_POINTS = 5000
EXTENT = 4096
BUFFER = 64
CELLS_PER_SIDE = 64  # a cell is 1/64 of the tile's width: about 4 px on a 256 px tile

_IN_TILE = """
    c.location && ST_Transform(ST_TileEnvelope(:z, :x, :y, margin => :margin), 4326)
    AND camera_counted(c.status) /* = app.vocabulary.MAPPED_CAMERA_STATUSES */
"""

_COUNT = f"SELECT count(*) FROM (SELECT 1 FROM cameras AS c WHERE {_IN_TILE} LIMIT :cap + 1) AS s"  # noqa: S608

_POINTS = f"""
    SELECT ST_AsMVT(t, 'cameras', {EXTENT}, 'geom', 'id') FROM (
        SELECT c.id, c.status, c.camera_type, c.manufacturer,
               EXISTS (SELECT 1 FROM camera_capabilities AS cc
                       WHERE cc.camera_id = c.id AND cc.capability = 'facial_recognition') AS facial_recognition,
               ST_AsMVTGeom(ST_Transform(c.location, 3857), ST_TileEnvelope(:z, :x, :y), {EXTENT}, {BUFFER}, true)
                   AS geom
        FROM cameras AS c
        WHERE {_IN_TILE}
    ) AS t
"""  # noqa: S608  (only module constants are formatted in; the tile address is bound)

_STORED_CELLS = text(
    f"""
    SELECT ST_AsMVT(t, 'camera_cells', {EXTENT}, 'geom') FROM (
        SELECT cameras,
               ST_AsMVTGeom(ST_SetSRID(ST_MakePoint(sum_x / cameras, sum_y / cameras), 3857),
                            ST_TileEnvelope(:z, :x, :y), {EXTENT}, {BUFFER}, true) AS geom
        FROM camera_cells
        WHERE z = :z AND cameras > 0
          AND cx BETWEEN :x * {CELLS_PER_SIDE} AND :x * {CELLS_PER_SIDE} + {CELLS_PER_SIDE - 1}
          AND cy BETWEEN :y * {CELLS_PER_SIDE} AND :y * {CELLS_PER_SIDE} + {CELLS_PER_SIDE - 1}
    ) AS t
    """  # noqa: S608
)

_CELLS = f"""
    WITH grid AS (
        SELECT ST_XMin(e) AS x0, ST_YMin(e) AS y0, (ST_XMax(e) - ST_XMin(e)) / {CELLS_PER_SIDE} AS size
        FROM ST_TileEnvelope(:z, :x, :y) AS e
    ), projected AS (
        SELECT ST_Transform(c.location, 3857) AS p FROM cameras AS c WHERE {_IN_TILE}
    )
    SELECT ST_AsMVT(t, 'camera_cells', {EXTENT}, 'geom') FROM (
        SELECT count(*) AS cameras,
               ST_AsMVTGeom(ST_Centroid(ST_Collect(p)), ST_TileEnvelope(:z, :x, :y), {EXTENT}, {BUFFER}, true)
                   AS geom
        FROM projected, grid
        GROUP BY floor((ST_X(p) - grid.x0) / grid.size), floor((ST_Y(p) - grid.y0) / grid.size)
    ) AS t
"""  # noqa: S608

# From POINT_MIN_ZOOM: points, or cells when the tile holds more than MAX_POINTS, decided in one statement (one
# round trip on a miss). CASE evaluates only the branch it takes; each branch is an uncorrelated subquery.
_HIGH_ZOOM = text(f"SELECT CASE WHEN ({_COUNT}) > :cap THEN ({_CELLS}) ELSE ({_POINTS}) END")


def check_tile_address(z: int, x: int, y: int) -> None:
    """Raise NotFound outside the tile pyramid."""
    if not (0 <= z <= MAX_ZOOM and 0 <= x < 2**z and 0 <= y < 2**z):
        raise NotFound(_("There is no such tile."), {"z": z, "x": x, "y": y})


def tile_version() -> tuple:
    """The data version tiles are built and cached under (read at most once every CAMERA_TILES_VERSION_MAX_AGE s)."""
    return cache.versions.current(current_app.config["CAMERA_TILES_VERSION_MAX_AGE"])


def gzipped_camera_tile(version: tuple, z: int, x: int, y: int, connection: Connection | None = None) -> bytes:
    """The gzipped MVT of one tile: from the cache of `version` when built before, else built (on `connection`, or
    the request's session) and kept."""
    address = (z, x, y)
    tile = cache.tiles.get(version, address)
    if tile is None:
        tile = cache.gzip_tile(camera_tile(z, x, y, connection))
        cache.tiles.put(version, address, tile, current_app.config["CAMERA_TILES_CACHE_BYTES"])
    return tile


def camera_tile(z: int, x: int, y: int, connection: Connection | None = None) -> bytes:
    """The MVT bytes of one tile, built now (empty bytes for an empty tile); raises NotFound outside the pyramid.

    One statement, so it needs no transaction of its own: the fast path (app/tiles/fast_path.py) runs it on an
    autocommit connection, which saves the BEGIN and ROLLBACK round trips of a session."""
    check_tile_address(z, x, y)
    params = {"z": z, "x": x, "y": y, "margin": BUFFER / EXTENT, "cap": MAX_POINTS}
    statement = _HIGH_ZOOM if z >= POINT_MIN_ZOOM else _STORED_CELLS
    tile = (connection or db.session).scalar(statement, params)
    return bytes(tile or b"")
