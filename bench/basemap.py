"""Base-map benchmark: the size of the municipalities' base map, how long drawing it takes, and the latency of its
tiles (200 and 304) through the WSGI app.

    make bench-basemap      (uses the site's database; draws the base map into a temporary file)

Every tile of the file at each zoom, one client, sequential, after one warm-up pass (SQLite's pages are in the
OS cache, as on a server that has been up a while). Prints figures; asserts nothing.
"""

import os
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

from bench.tiles import percentile


def main() -> None:
    if not os.environ.get("DATABASE_URL"):
        sys.exit("set DATABASE_URL (make bench-basemap does)")
    from app import create_app
    from app.basemap import mbtiles, services

    app = create_app("production")
    with tempfile.TemporaryDirectory() as directory, app.app_context():
        app.config["BASEMAP_FILE"] = str(Path(directory) / "basemap.mbtiles")
        started = time.perf_counter()
        path, count = services.build_outline()
        drawn = time.perf_counter() - started
        print(f"municipalities' base map: {count} tiles, {path.stat().st_size / 1e6:.2f} MB, drawn in {drawn:.1f} s")

        with sqlite3.connect(path) as connection:
            rows = connection.execute(
                "SELECT zoom_level, tile_column, tile_row, length(tile_data) FROM tiles"
            ).fetchall()
        tileset = mbtiles.read_tileset(path)
        client = app.test_client()
        gzip = {"Accept-Encoding": "gzip"}
        print(f"{'zoom':>4} {'tiles':>6} {'KB gz p50':>9} {'KB gz max':>9} {'200 p50 ms':>10} {'200 p95 ms':>10} "
              f"{'304 p50 ms':>10} {'tiles/s':>8}")  # fmt: skip
        for zoom in sorted({row[0] for row in rows}):
            tiles = [(z, x, (1 << z) - 1 - row, size) for z, x, row, size in rows if z == zoom]
            urls = [f"/basemap/{tileset.version}/{z}/{x}/{y}.pbf" for z, x, y, _size in tiles]
            for url in urls:  # warm-up
                client.get(url, headers=gzip)
            times, revalidations = [], []
            for url in urls:
                started = time.perf_counter()
                response = client.get(url, headers=gzip)
                times.append((time.perf_counter() - started) * 1000)
                started = time.perf_counter()
                client.get(url, headers={**gzip, "If-None-Match": response.headers["ETag"]})
                revalidations.append((time.perf_counter() - started) * 1000)
            sizes = [size / 1000 for *_xyz, size in tiles]
            print(
                f"{zoom:>4} {len(tiles):>6} {statistics.median(sizes):>9.1f} {max(sizes):>9.1f} "
                f"{statistics.median(times):>10.2f} {percentile(times, 95):>10.2f} "
                f"{statistics.median(revalidations):>10.2f} {1000 * len(times) / sum(times):>8.0f}"
            )


if __name__ == "__main__":
    main()
