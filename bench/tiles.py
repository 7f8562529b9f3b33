"""Vector tile benchmark: tiles per second and latency percentiles at z6, z12 and z16.

    make bench        (loads the synthetic cameras, then runs bench/run.py and this)

Each tile address is requested once through the WSGI app (no HTTP cache in front: every request is a cache
miss for the application; PostgreSQL's own buffers are warm after the first pass). Sequential, one client.
Prints figures; asserts nothing.
"""

import argparse
import math
import os
import random
import statistics
import sys
import time

from sqlalchemy import text

from bench import synthetic


def tile_of(lon: float, lat: float, z: int) -> tuple[int, int]:
    n = 2**z
    return int((lon + 180) / 360 * n), int((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n)


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, math.ceil(p / 100 * len(ordered)) - 1)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--zooms", default="6,12,16")
    parser.add_argument("--tiles", type=int, default=200, help="tile addresses per zoom (fewer exist at z6)")
    parser.add_argument("--seed", type=int, default=6)
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL"):
        sys.exit("set DATABASE_URL to the benchmark database (scripts/postgis.sh url hiljade_bench)")

    from app import create_app
    from app.extensions import db

    app = create_app("production")
    client = app.test_client()
    with app.app_context():
        synthetic.load()
        total = db.session.scalar(text("SELECT count(*) FROM cameras"))
        # Tile addresses where cameras are: sampled from camera positions, so tiles are not mostly empty.
        sample = db.session.execute(
            text("SELECT ST_X(location), ST_Y(location) FROM cameras TABLESAMPLE SYSTEM (1) REPEATABLE (:s)"),
            {"s": args.seed},
        ).all()
    print(f"{total:,} cameras in {app.config['SQLALCHEMY_DATABASE_URI'].split('?')[0].rsplit('/', 1)[-1]}")
    rng = random.Random(args.seed)
    print(f"{'zoom':>4} {'tiles':>6} {'tiles/s':>8} {'p50 ms':>7} {'p95 ms':>7} {'max ms':>7} {'avg KiB':>8} {'layer'}")
    for z in (int(v) for v in args.zooms.split(",")):
        addresses = sorted({tile_of(lon, lat, z) for lon, lat in sample})
        rng.shuffle(addresses)
        addresses = addresses[: args.tiles]
        timings, sizes, layers = [], [], set()
        started = time.perf_counter()
        for x, y in addresses:
            t0 = time.perf_counter()
            response = client.get(f"/tiles/cameras/{z}/{x}/{y}.pbf")
            timings.append((time.perf_counter() - t0) * 1000)
            assert response.status_code == 200
            sizes.append(len(response.data))
            layers.add("camera_cells" if b"camera_cells" in response.data else "cameras")
        elapsed = time.perf_counter() - started
        print(
            f"{z:>4} {len(addresses):>6} {len(addresses) / elapsed:>8.1f} {statistics.median(timings):>7.1f} "
            f"{percentile(timings, 95):>7.1f} {max(timings):>7.1f} {statistics.mean(sizes) / 1024:>8.1f} "
            f"{'+'.join(sorted(layers))}"
        )


if __name__ == "__main__":
    main()
