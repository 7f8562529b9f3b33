#!/usr/bin/env bash
# A street-level base map from OpenStreetMap data, as one MBTiles file of vector tiles for `flask basemap import`.
# Tools from Debian: osmium-tool and gdal-bin. The steps are the README's "Base map" section, and the test suite
# runs them on a small .osm file it writes (tests/basemap/test_street_level.py).
#
#   scripts/basemap/build.sh INPUT.osm[.pbf] OUTPUT.mbtiles [MAXZOOM]
#
# 1. osmium keeps only what the map draws (roads, railways, water, land use, buildings, places);
# 2. GDAL's OSM driver turns it into points, lines and polygons (osmconf.ini: the tags kept as columns);
# 3. layers.sql picks each layer of our schema out of them;
# 4. GDAL's MVT driver cuts the layers into tiles, zoom 0 to MAXZOOM (14), each layer from its own
#    minimum zoom (layers.json), and writes them as MBTiles with the attribution OpenStreetMap's licence requires.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
INPUT=${1:?usage: build.sh INPUT.osm[.pbf] OUTPUT.mbtiles [MAXZOOM]}
OUTPUT=${2:?usage: build.sh INPUT.osm[.pbf] OUTPUT.mbtiles [MAXZOOM]}
MAXZOOM=${3:-14}
ATTRIBUTION='<a href="https://www.openstreetmap.org/copyright">© OpenStreetMap contributors</a> (ODbL)'

for tool in osmium ogr2ogr python3; do
  command -v "$tool" >/dev/null || { echo "build.sh: $tool is missing (apt-get install osmium-tool gdal-bin)" >&2; exit 1; }
done
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
log() { printf '[basemap] %s\n' "$*" >&2; }

log "1/4 keeping what the map draws"
osmium tags-filter --overwrite --no-progress -o "$WORK/filtered.osm.pbf" "$INPUT" \
  nwr/highway nwr/railway nwr/waterway nwr/natural=water,wood,grassland nwr/water nwr/landuse \
  nwr/leisure=park,garden nwr/building n/place

log "2/4 OpenStreetMap data to points, lines and polygons"
OSM_CONFIG_FILE="$HERE/osmconf.ini" ogr2ogr -q -f GPKG "$WORK/osm.gpkg" "$WORK/filtered.osm.pbf" \
  points lines multipolygons

log "3/4 the layers of our schema"
# layers.sql: "-- layer: NAME" then one SELECT, for each layer.
python3 - "$HERE/layers.sql" "$WORK" <<'PY'
import re, sys
sql = open(sys.argv[1], encoding="utf-8").read()
for name, statement in re.findall(r"^-- layer: (\w+)\n(.*?)(?=^-- layer: |\Z)", sql, re.S | re.M):
    lines = [line for line in statement.splitlines() if line.strip() and not line.startswith("--")]
    open(f"{sys.argv[2]}/{name}.sql", "w", encoding="utf-8").write("\n".join(lines))
PY
for file in "$WORK"/*.sql; do
  layer=$(basename "$file" .sql)
  ogr2ogr -q -f GPKG -update -append "$WORK/layers.gpkg" "$WORK/osm.gpkg" -dialect SQLite -sql "@$file" \
    -nln "$layer" -nlt PROMOTE_TO_MULTI
done

log "4/4 vector tiles, zoom 0-$MAXZOOM"
rm -f "$OUTPUT"
ogr2ogr -q -f MVT "$OUTPUT" "$WORK/layers.gpkg" -dsco FORMAT=MBTILES -dsco MAXZOOM="$MAXZOOM" \
  -dsco CONF="$HERE/layers.json" -dsco NAME="OpenStreetMap" -dsco TYPE=baselayer \
  -dsco DESCRIPTION="Streets, water, land use, buildings and places from OpenStreetMap (scripts/basemap)"
python3 - "$OUTPUT" "$ATTRIBUTION" <<'PY'
import sqlite3, sys
with sqlite3.connect(sys.argv[1]) as db:
    db.execute("DELETE FROM metadata WHERE name = 'attribution'")
    db.execute("INSERT INTO metadata (name, value) VALUES ('attribution', ?)", (sys.argv[2],))
PY
log "done: $OUTPUT ($(du -h "$OUTPUT" | cut -f1))"
