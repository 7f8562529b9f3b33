"""The base map the site has before any is imported: the municipality boundaries and names it already holds,
drawn into vector tiles by PostGIS (ST_AsMVT) and written as an MBTiles file.

Its layers follow the schema of the street-level base (scripts/basemap/, README "Base map"): `municipalities`
(polygons) and `places` (points with `kind` = "municipality"), names in `name`, `name_latn`, `name_cyrl`,
`name_sq` and `name_en`, so one style draws both.
"""

import json
import math
from pathlib import Path

from sqlalchemy import text

from app.basemap import mbtiles
from app.extensions import db

GENERATOR = "hiljade-municipalities"
MAX_ZOOM = 12  # 10 km tiles, 2.4 m per tile unit: the renderer draws closer zooms from these
LAYERS = [
    {"id": "municipalities", "fields": {"code": "String", "name": "String", "name_latn": "String",
                                        "name_cyrl": "String", "name_sq": "String", "name_en": "String"}},
    {"id": "places", "fields": {"kind": "String", "name": "String", "name_latn": "String", "name_cyrl": "String",
                                "name_sq": "String", "name_en": "String", "population": "Number"}},
]  # fmt: skip

_EXTENT = text(
    "SELECT ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e) "
    "FROM (SELECT ST_Extent(boundary) AS e FROM municipalities) AS extent"
)

_NAMES = "m.name, m.name AS name_latn, m.name_cyrillic AS name_cyrl, m.name_sq, m.name_en"
# One statement per zoom: the tiles of the grid that cover the municipalities, each with both layers. The outlines
# are the simplified boundaries the other maps draw (app/municipalities/density.py), so the lines coincide.
_TILES = text(f"""
WITH grid AS (
    SELECT x, y, ST_TileEnvelope(:z, x, y) AS envelope
    FROM generate_series(CAST(:x0 AS integer), :x1) AS x, generate_series(CAST(:y0 AS integer), :y1) AS y
), shapes AS MATERIALIZED (
    SELECT m.code, {_NAMES}, ST_Transform(m.boundary_simplified, 3857) AS geom FROM municipalities AS m
), labels AS MATERIALIZED (
    SELECT 'municipality' AS kind, {_NAMES}, m.population,
           ST_Transform((ST_MaximumInscribedCircle(m.boundary)).center, 3857) AS geom
    FROM municipalities AS m
)
SELECT g.x, g.y,
    (SELECT ST_AsMVT(t, 'municipalities', 4096, 'geom') FROM (
        SELECT s.code, s.name, s.name_latn, s.name_cyrl, s.name_sq, s.name_en,
               ST_AsMVTGeom(s.geom, g.envelope, 4096, 64) AS geom
        FROM shapes AS s WHERE s.geom && g.envelope) AS t)
    || (SELECT ST_AsMVT(t, 'places', 4096, 'geom') FROM (
        SELECT l.kind, l.name, l.name_latn, l.name_cyrl, l.name_sq, l.name_en, l.population,
               ST_AsMVTGeom(l.geom, g.envelope, 4096, 0) AS geom
        FROM labels AS l WHERE l.geom && g.envelope ORDER BY l.population DESC) AS t) AS tile
FROM grid AS g
""")  # noqa: S608  (only our column lists are formatted in)


def _tile_range(west: float, south: float, east: float, north: float, z: int) -> tuple[int, int, int, int]:
    """The x and y ranges of the web-mercator tiles at zoom z that cover a box in degrees."""
    n = 1 << z

    def x_of(lon: float) -> int:
        return min(n - 1, max(0, int((lon + 180.0) / 360.0 * n)))

    def y_of(lat: float) -> int:
        lat = math.radians(max(-85.0511, min(85.0511, lat)))
        return min(n - 1, max(0, int((1.0 - math.asinh(math.tan(lat)) / math.pi) / 2.0 * n)))

    return x_of(west), y_of(north), x_of(east), y_of(south)


def build(path: str | Path, attribution: str) -> tuple[Path, int]:
    """Write the municipalities base map to `path`; returns the path and the number of tiles."""
    extent = db.session.execute(_EXTENT).one()
    if extent[0] is None:
        raise mbtiles.InvalidTileset("no municipalities are loaded (flask geodata load)")
    west, south, east, north = (float(value) for value in extent)
    writer = mbtiles.Writer(path)
    count = 0
    for z in range(MAX_ZOOM + 1):
        x0, y0, x1, y1 = _tile_range(west, south, east, north, z)
        for x, y, tile in db.session.execute(_TILES, {"z": z, "x0": x0, "x1": x1, "y0": y0, "y1": y1}):
            if tile:
                writer.add_tile(z, x, y, bytes(tile), compress=True)
                count += 1
    written = writer.finish(
        {
            "name": "Municipalities",
            "description": "Municipality boundaries and names (the site's own geodata)",
            "generator": GENERATOR,
            "format": mbtiles.VECTOR,
            "type": "baselayer",
            "minzoom": "0",
            "maxzoom": str(MAX_ZOOM),
            "bounds": f"{west:.5f},{south:.5f},{east:.5f},{north:.5f}",
            "center": f"{(west + east) / 2:.5f},{(south + north) / 2:.5f},7",
            "attribution": attribution,
            "json": json.dumps({"vector_layers": [{**layer, "minzoom": 0, "maxzoom": MAX_ZOOM} for layer in LAYERS]}),
        }
    )
    return written, count
