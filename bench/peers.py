"""`make bench-peers`: our tiles and viewport JSON against tipg's, on the same 1,000,000-camera table, in one run.

    make bench-peers                  (BENCH_SECONDS=10 per measurement; BENCH_SECONDS=3 for a quick look)

Servers, all on loopback, each started here and stopped at the end:
- ours, gunicorn as `make run` serves it (gunicorn.conf.py: 2 workers x 8 threads), twice: one with the tile cache
  off (CAMERA_TILES_CACHE_BYTES=0: every tile a miss) and one with it (every tile a hit after the warm-up);
- tipg (its own virtualenv, .venv-tipg), uvicorn with as many workers, serving `public.cameras`. tipg needs a host
  in its database URL and the embedded cluster listens only on a Unix socket: a `socat` listener on a free
  127.0.0.1 port forwards to that socket while the benchmark runs, and only then (the connection arrives on the
  socket, so the cluster's settings, jit = off among them, apply to both servers alike).
Load: wrk (Debian's), paths from a list (bench/wrk_paths.lua), Accept-Encoding: gzip, 1 and 16 connections.
Feature counts come from GDAL's MVT driver (ogrinfo) and the GeoJSON itself; "query alone" is our tile's SQL timed
in the database without HTTP. Prints figures; asserts nothing.
"""

import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path

import requests
from sqlalchemy import text
from sqlalchemy.engine import make_url

from bench import synthetic
from bench.run import bbox
from bench.tiles import percentile, tile_of

ROOT = Path(__file__).resolve().parent.parent
SECONDS = float(os.environ.get("BENCH_SECONDS", "10"))
TILE_ZOOMS = (6, 10, 12, 14, 16)
# (zoom, centre lon, lat): the country, then central Belgrade, the densest synthetic area.
VIEWS = ((7, 20.9, 44.0), (12, 20.46, 44.815), (15, 20.46, 44.815), (17, 20.46, 44.815))
ADDRESSES_PER_ZOOM = 200
VIEWPORTS_PER_ZOOM = 200
POINT_CAP = 2000  # MAP_POINT_CAP: tipg is asked for as many
TIPG_COLLECTION = "public.cameras"
TIPG_PROPERTIES = "id,status,camera_type,manufacturer"  # what our point tiles carry (plus facial_recognition)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if requests.get(url, timeout=5).status_code == 200:
                return
        except requests.RequestException:  # not listening yet, or still starting
            pass
        time.sleep(0.3)
    sys.exit(f"no answer from {url} after {seconds:.0f} s")


def start(stack: ExitStack, command: list[str], env: dict) -> None:
    process = subprocess.Popen(command, env={**os.environ, **env}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def stop() -> None:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()

    stack.callback(stop)


def wrk(base: str, paths: list[str], connections: int, seconds: float) -> dict:
    with tempfile.NamedTemporaryFile("w", suffix=".txt") as listing:
        listing.write("\n".join(paths) + "\n")
        listing.flush()
        threads = 1 if connections == 1 else 2
        result = subprocess.run(
            ["wrk", f"-t{threads}", f"-c{connections}", f"-d{max(1, round(seconds))}s", "--timeout", "10s",
             "-s", str(ROOT / "bench" / "wrk_paths.lua"), base],
            env={**os.environ, "WRK_PATHS": listing.name}, capture_output=True, text=True, check=True,
        )  # fmt: skip
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    figures["rate"] = figures["requests"] / (figures["duration_us"] / 1e6)
    return figures


def mvt_features(body: bytes, z: int, x: int, y: int) -> int:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / str(z) / str(x) / f"{y}.pbf"
        path.parent.mkdir(parents=True)
        path.write_bytes(body)
        output = subprocess.run(["ogrinfo", "-ro", "-al", "-so", str(path)], capture_output=True, text=True).stdout
    return sum(int(line.split(":")[1]) for line in output.splitlines() if line.startswith("Feature Count:"))


def median_features(base: str, paths: list[str], addresses: list | None) -> str:
    counts = []
    for i, path in enumerate(paths[:5]):
        response = requests.get(base + path, headers={"Accept-Encoding": "gzip"}, timeout=60)
        if addresses is not None:
            counts.append(mvt_features(response.content, *addresses[i]))
        else:
            counts.append(len(response.json()["features"]))
    return f"{statistics.median(counts):,.0f}"


def sample_addresses(db, seed: int = 6) -> dict[int, list[tuple[int, int, int]]]:
    """Tile addresses where cameras are (sampled from camera positions), shuffled, per zoom."""
    sample = db.session.execute(
        text("SELECT ST_X(location), ST_Y(location) FROM cameras TABLESAMPLE SYSTEM (1) REPEATABLE (:s)"), {"s": seed}
    ).all()
    rng = random.Random(seed)
    addresses = {}
    for z in TILE_ZOOMS:
        found = sorted({tile_of(lon, lat, z) for lon, lat in sample})
        rng.shuffle(found)
        addresses[z] = [(z, x, y) for x, y in found[:ADDRESSES_PER_ZOOM]]
    return addresses


def query_alone(addresses: list[tuple[int, int, int]]) -> tuple[float, float]:
    """p50 and p95 (ms) of our tile's SQL run in the database, no HTTP, no cache, no gzip."""
    from app.tiles.services import camera_tile

    timings = []
    for z, x, y in addresses[:100]:
        started = time.perf_counter()
        camera_tile(z, x, y)
        timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings), percentile(timings, 95)


def row(label: str, features: str, runs: dict[str, dict], alone: str = "") -> str:
    cells = []
    for key in ("c1", "c16"):
        r = runs[key]
        errors = f" ERR {r['non_2xx'] + r['socket_errors']}" if r["non_2xx"] + r["socket_errors"] else ""
        cells.append(f"{r['p50_us'] / 1000:7.1f} {r['p95_us'] / 1000:7.1f} {r['rate']:8.0f}{errors}")
    size = runs["c16"]["bytes"] / max(runs["c16"]["requests"], 1)
    return f"  {label:14s} {features:>9s} {cells[0]}   {cells[1]} {size / 1024:9.1f} {alone}"


HEADER = (
    f"  {'server':14s} {'features':>9s} {'c=1 p50':>7s} {'p95':>7s} {'req/s':>8s}   "
    f"{'c=16 p50':>7s} {'p95':>7s} {'req/s':>8s} {'KiB/resp':>9s}"
)


def measure(base: str, paths: list[str]) -> dict[str, dict]:
    wrk(base, paths, 16, min(2.0, SECONDS))  # warm-up: PostgreSQL's buffers, our cache, tipg's catalogue
    return {"c1": wrk(base, paths, 1, SECONDS), "c16": wrk(base, paths, 16, SECONDS)}


def main() -> None:
    database_url = os.environ.get("DATABASE_URL", "")
    if "bench" not in (make_url(database_url).database or ""):
        sys.exit("set DATABASE_URL to the benchmark database (make bench-peers does)")
    from app import create_app
    from app.extensions import db

    app = create_app("production")
    with app.app_context():
        synthetic.load()
        total = db.session.scalar(text("SELECT count(*) FROM cameras"))
        jit = db.session.scalar(text("SHOW jit"))
        addresses = sample_addresses(db)
        alone = {z: query_alone(addresses[z]) for z in TILE_ZOOMS}
    random.seed(7)
    views = {z: [bbox(lon, lat, z) for _ in range(VIEWPORTS_PER_ZOOM)] for z, lon, lat in VIEWS}

    url = make_url(database_url)
    socket_dir = url.query["host"]
    pg_port = free_port()
    ours_miss, ours_hit, tipg = (f"http://127.0.0.1:{free_port()}" for _ in range(3))
    workers = os.environ.get("WEB_CONCURRENCY", "2")
    ours_env = {"APP_CONFIG": "production", "DATABASE_URL": database_url, "SESSION_COOKIE_SECURE": "false"}
    with ExitStack() as stack:
        start(stack, ["socat", f"TCP-LISTEN:{pg_port},bind=127.0.0.1,reuseaddr,fork",
                      f"UNIX-CONNECT:{socket_dir}/.s.PGSQL.5432"], {})  # fmt: skip
        gunicorn = [str(ROOT / ".venv" / "bin" / "gunicorn"), "-c", str(ROOT / "gunicorn.conf.py"), "wsgi:app"]
        start(stack, gunicorn, {**ours_env, "BIND": ours_miss[7:], "CAMERA_TILES_CACHE_BYTES": "0"})
        start(stack, gunicorn, {**ours_env, "BIND": ours_hit[7:]})
        tipg_url = f"postgresql://{url.username}@127.0.0.1:{pg_port}/{url.database}"
        start(
            stack,
            [str(ROOT / ".venv-tipg" / "bin" / "uvicorn"), "tipg.main:app", "--host", "127.0.0.1",
             "--port", tipg.rsplit(":", 1)[1], "--workers", workers],
            {"DATABASE_URL": tipg_url, "TIPG_DB_SCHEMAS": '["public"]', "TIPG_DB_TABLES": f'["{TIPG_COLLECTION}"]',
             "TIPG_DB_FUNCTIONS": "[]", "TIPG_DB_SPATIAL_EXTENT": "false", "TIPG_DB_DATETIME_EXTENT": "false"},
        )  # fmt: skip
        for base in (ours_miss, ours_hit):
            wait_for(base + "/healthz")
        wait_for(tipg + f"/collections/{TIPG_COLLECTION}")

        print(f"\n{total:,} cameras, jit {jit}, {os.cpu_count()} CPU cores shared by servers, PostgreSQL and wrk; "
              f"{SECONDS:.0f} s per measurement, medians of wrk's latencies in ms")  # fmt: skip
        print("ours: gunicorn, " + workers + " workers x 8 threads; tipg 1.6.1: uvicorn, " + workers + " workers; "
              "PostgreSQL through socat (127.0.0.1 -> Unix socket) for tipg, the socket itself for ours\n")  # fmt: skip
        print("Tiles (ours: points from z13, counts in cells below or above 5,000 a tile; tipg: the first 10,000)")
        print(HEADER + f" {'query alone p50/p95':>20s}")
        for z in TILE_ZOOMS:
            tiles = addresses[z]
            ours_paths = [f"/tiles/cameras/{z}/{x}/{y}.pbf" for _, x, y in tiles]
            tipg_paths = [
                f"/collections/{TIPG_COLLECTION}/tiles/WebMercatorQuad/{z}/{x}/{y}?properties={TIPG_PROPERTIES}"
                for _, x, y in tiles
            ]
            print(f" z{z} ({len(tiles)} tiles where cameras are)")
            p50, p95 = alone[z]
            features = median_features(ours_miss, ours_paths, tiles)
            print(row("ours, miss", features, measure(ours_miss, ours_paths), f"{p50:9.1f} / {p95:.1f}"))
            print(row("ours, cached", features, measure(ours_hit, ours_paths)))
            print(row("tipg", median_features(tipg, tipg_paths, tiles), measure(tipg, tipg_paths)))
            sys.stdout.flush()
        print("\nViewport GeoJSON (ours: points up to 2,000, else clusters; tipg: items, limit 2,000)")
        print(HEADER)
        for z, _, _ in VIEWS:
            ours_paths = [f"/api/v1/cameras?bbox={b}&zoom={z}" for b in views[z]]
            tipg_paths = [
                f"/collections/{TIPG_COLLECTION}/items?bbox={b}&limit={POINT_CAP}&properties={TIPG_PROPERTIES}"
                for b in views[z]
            ]
            kind = requests.get(ours_miss + ours_paths[0], timeout=60).json()["kind"]
            print(f" z{z} ({len(views[z])} viewports of 1280x800 px; ours answers with {kind})")
            print(row("ours", median_features(ours_miss, ours_paths, None), measure(ours_miss, ours_paths)))
            print(row("tipg", median_features(tipg, tipg_paths, None), measure(tipg, tipg_paths)))
            sys.stdout.flush()


if __name__ == "__main__":
    main()
