"""Reading a served vector tile the way another program would: GDAL's MVT driver (ogrinfo, ogr2ogr from gdal-bin)."""

import gzip
import json
import math
import re
import subprocess
from pathlib import Path


def read_tile(body: bytes, z: int, x: int, y: int, workdir: Path) -> dict[str, list[dict]]:
    """The features of a Mapbox Vector Tile by layer, as GeoJSON features in longitude/latitude.

    GDAL places the tile from its z/x/y file path; a tile it cannot parse makes ogrinfo fail, and so the test.
    """
    data = gzip.decompress(body) if body[:2] == b"\x1f\x8b" else body
    path = workdir / str(z) / str(x) / f"{y}.pbf"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    listing = subprocess.run(["ogrinfo", "-ro", "-q", str(path)], capture_output=True, text=True, check=True).stdout
    layers = re.findall(r"^\d+: (\w+)", listing, re.M)
    features = {}
    for layer in layers:
        output = subprocess.run(
            ["ogr2ogr", "-f", "GeoJSONSeq", "-t_srs", "EPSG:4326", "/vsistdout/", str(path), layer],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        features[layer] = [json.loads(line.strip("\x1e")) for line in output.splitlines() if line.strip()]
    return features


def tile_of(lon: float, lat: float, z: int) -> tuple[int, int]:
    """The XYZ tile at zoom z holding a point (web mercator)."""

    n = 1 << z
    x = int((lon + 180) / 360 * n)
    y = int((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n)
    return x, y
