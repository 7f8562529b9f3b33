"""`make bench`: load the synthetic cameras, then print p50/p95 of the map's endpoints, of the report page's
"cameras within 30 m" (`/api/v1/nearby`) and the map page's weight.

Requests go through Flask's test client against the benchmark database (no network, no gunicorn): the figures
are the application's and PostgreSQL's time. Nothing here asserts a time.
"""

import argparse
import gzip
import os
import random
import statistics
import sys
import time
from pathlib import Path

from app import create_app
from bench import synthetic

ROUNDS = int(os.environ.get("BENCH_ROUNDS", "60"))
ROOT = Path(__file__).resolve().parent.parent

# (label, centre lon, centre lat, zoom, viewport width and height in pixels: a desktop screen)
VIEWS = [
    ("bbox street zoom 17, central Belgrade", 20.4600, 44.8150, 17),
    ("bbox city zoom 15, central Belgrade", 20.4600, 44.8150, 15),
    ("bbox city zoom 13, Novi Sad", 19.8400, 45.2500, 13),
    ("bbox country zoom 7, Serbia and Kosovo", 20.9, 44.0, 7),
]
WIDTH, HEIGHT = 1280, 800
# Where reporters drop pins (label, lon, lat): the densest synthetic area, a second city, a town, the countryside.
# Each request moves the pin up to ~500 m, as a reporter dragging it does.
NEARBY_PINS = [
    ("nearby 30 m, central Belgrade (Stari grad)", 20.4600, 44.8170),
    ("nearby 30 m, Novi Sad", 19.8450, 45.2550),
    ("nearby 30 m, Niš", 21.8958, 43.3209),
    ("nearby 30 m, countryside (Kučevo)", 21.6800, 44.4800),
]


def bbox(lon: float, lat: float, zoom: int) -> str:
    degrees_per_pixel = 360 / (256 * 2**zoom)
    half_w, half_h = WIDTH / 2 * degrees_per_pixel, HEIGHT / 2 * degrees_per_pixel * 0.72  # ~cos(44°)
    jitter_lon, jitter_lat = random.uniform(-half_w, half_w) / 4, random.uniform(-half_h, half_h) / 4
    lon, lat = lon + jitter_lon, lat + jitter_lat
    return f"{lon - half_w:.4f},{lat - half_h:.4f},{lon + half_w:.4f},{lat + half_h:.4f}"


def measure(client, label: str, make_url, rounds: int = ROUNDS) -> None:
    timings, sizes, kinds = [], [], set()
    client.get(make_url(), headers={"Accept-Encoding": "gzip"})  # warm-up
    for _ in range(rounds):
        url = make_url()
        started = time.perf_counter()
        response = client.get(url, headers={"Accept-Encoding": "gzip"})
        timings.append((time.perf_counter() - started) * 1000)
        sizes.append(len(response.data))
        if response.status_code != 200:
            print(f"  {label}: HTTP {response.status_code} for {url}", file=sys.stderr)
        if response.mimetype.endswith("json") and response.headers.get("X-Kind"):
            kinds.add(response.headers["X-Kind"])
    timings.sort()
    p95 = timings[min(len(timings) - 1, int(len(timings) * 0.95))]
    print(f"{label:48s} p50 {statistics.median(timings):7.1f} ms   p95 {p95:7.1f} ms   "
          f"~{statistics.median(sizes) / 1024:6.1f} KiB sent")  # fmt: skip


def nearby_url(lon: float, lat: float) -> str:
    return f"/api/v1/nearby?lat={lat + random.uniform(-0.004, 0.004):.6f}&lon={lon + random.uniform(-0.005, 0.005):.6f}"


def nearby_found(client, lon: float, lat: float) -> str:
    found = [len(client.get(nearby_url(lon, lat)).get_json()["cameras"]) for _ in range(20)]
    return f"{statistics.mean(found):.1f} cameras within 30 m on average, at most {max(found)}"


def feature_count(client, lon, lat, zoom) -> str:
    body = client.get(f"/api/v1/cameras?bbox={bbox(lon, lat, zoom)}&zoom={zoom}").get_json()
    return f"{body['kind']}: {len(body['features'])} features, {body['total']:,} cameras"


def page_weight(client) -> None:
    urls = [
        "/assets/leaflet/leaflet.js",
        "/assets/leaflet/leaflet.css",
        "/static/js/map.js",
        "/static/css/site.css",
    ]
    total = 0
    for url in urls:
        response = client.get(url)
        response.direct_passthrough = False
        size = len(gzip.compress(response.get_data(), 9))
        total += size
        print(f"  {url:36s} {size / 1024:6.1f} KiB gzip")
    print(f"map page JS+CSS gzipped: {total / 1024:.1f} KiB")


def bench_nearby(client) -> None:
    for label, lon, lat in NEARBY_PINS:
        print(f"  {label}: {nearby_found(client, lon, lat)}")
    print()
    for label, lon, lat in NEARBY_PINS:
        measure(client, label, lambda lon=lon, lat=lat: nearby_url(lon, lat))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", choices=["nearby"], help="time only these endpoints (the cameras stay loaded)")
    args = parser.parse_args()
    app = create_app(os.environ.get("APP_CONFIG", "production"))
    random.seed(7)
    with app.app_context():
        synthetic.load()
        client = app.test_client()
        print(f"\n{ROUNDS} requests each, {os.cpu_count()} CPU cores, Flask test client (no network)\n")
        if args.only == "nearby":
            bench_nearby(client)
            return
        for label, lon, lat, zoom in VIEWS:
            print(f"  {label}: {feature_count(client, lon, lat, zoom)}")
        print()
        for label, lon, lat, zoom in VIEWS:
            measure(
                client,
                label,
                lambda lon=lon, lat=lat, zoom=zoom: f"/api/v1/cameras?bbox={bbox(lon, lat, zoom)}&zoom={zoom}",
            )
        measure(
            client,
            "bbox city zoom 15 + filter facial recognition",
            lambda: f"/api/v1/cameras?bbox={bbox(20.46, 44.815, 15)}&zoom=15&capability=facial_recognition",
        )
        measure(
            client,
            "bbox country zoom 7 + operator filter (scan per municipality)",
            lambda: f"/api/v1/cameras?bbox={bbox(20.9, 44.0, 7)}&zoom=7&operator=police",
            rounds=10,
        )
        measure(client, "GET /api/v1/municipalities (cached)", lambda: "/api/v1/municipalities")
        measure(client, "GET /municipalities/ (page with ranking)", lambda: "/municipalities/?measure=cameras_per_km2")
        measure(
            client, "GET /municipalities/map (Folium document)", lambda: "/municipalities/map?measure=cameras_per_km2"
        )
        print()
        bench_nearby(client)
        print()
        page_weight(client)


if __name__ == "__main__":
    main()
