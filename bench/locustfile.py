"""Locust users for `make bench-load` (bench/load.py starts the server and locust and prints the figures).

Browsing users open the map and pan and zoom it: the viewport JSON and the camera tiles of what they look at, now
and then a page, the municipalities or a camera. Reporting users send reports without a photo, each with a fresh
Idempotency-Key, as the report page does (multipart/form-data, like the page's XMLHttpRequest).
FastHttpUser (geventhttpclient): locust's requests-based client took a whole core at this load and its own
queueing showed up as server latency.
"""

import math
import os
import random
import uuid

from locust import FastHttpUser, between, task
from urllib3 import encode_multipart_formdata

# Where people look (lon, lat) and how far in: Belgrade most, then other towns, now and then the whole country.
PLACES = [(20.4600, 44.8150), (20.4600, 44.8150), (20.4100, 44.8100), (19.8400, 45.2500), (21.8958, 43.3209)]
WIDTH, HEIGHT = 1280, 800
GZIP = {"Accept-Encoding": "gzip, br"}
FIRST_ID, LAST_ID = (int(v) for v in os.environ.get("BENCH_CAMERA_IDS", "1,1000").split(","))


def tile_of(lon: float, lat: float, z: int) -> tuple[int, int]:
    n = 2**z
    return int((lon + 180) / 360 * n), int((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n)


def viewport(lon: float, lat: float, zoom: int) -> str:
    degrees_per_pixel = 360 / (256 * 2**zoom)
    half_w, half_h = WIDTH / 2 * degrees_per_pixel, HEIGHT / 2 * degrees_per_pixel * 0.72
    return f"{lon - half_w:.4f},{lat - half_h:.4f},{lon + half_w:.4f},{lat + half_h:.4f}"


class BrowsingUser(FastHttpUser):
    fixed_count = 200
    wait_time = between(1, 4)  # a person panning the map, reading it

    def on_start(self) -> None:
        self.client.get("/", headers=GZIP, name="page /")

    @task(6)
    def pan_the_map(self) -> None:
        lon, lat = random.choice(PLACES)
        lon, lat = lon + random.uniform(-0.05, 0.05), lat + random.uniform(-0.03, 0.03)
        zoom = random.choice([7, 10, 12, 13, 14, 15, 15, 16, 17])
        self.client.get(f"/api/v1/cameras?bbox={viewport(lon, lat, zoom)}&zoom={zoom}", headers=GZIP, name="viewport")
        tile_zoom = min(zoom, 16)
        x, y = tile_of(lon, lat, tile_zoom)
        for dx, dy in ((0, 0), (1, 0), (0, 1), (1, 1)):
            self.client.get(f"/tiles/cameras/{tile_zoom}/{x + dx}/{y + dy}.pbf", headers=GZIP, name="tile")

    @task(1)
    def open_a_page(self) -> None:
        path = random.choice(["/", "/municipalities/", "/report", "/api/v1/municipalities"])
        self.client.get(path, headers=GZIP, name=f"page {path}")

    @task(1)
    def open_a_camera(self) -> None:
        self.client.get(f"/cameras/{random.randint(FIRST_ID, LAST_ID)}", headers=GZIP, name="page /cameras/<id>")


class ReportingUser(FastHttpUser):
    fixed_count = 20
    wait_time = between(5, 15)  # filling the form on a phone takes a while

    @task
    def report_a_camera(self) -> None:
        lon, lat = random.choice(PLACES)
        fields = {
            "lat": f"{lat + random.uniform(-0.02, 0.02):.6f}",
            "lon": f"{lon + random.uniform(-0.02, 0.02):.6f}",
            "camera_type": random.choice(["fixed", "dome", "panning"]),
            "note": "load test report, no photo",
        }
        body, content_type = encode_multipart_formdata(fields)
        self.client.post(
            "/api/v1/sightings",
            data=body,
            headers={"Idempotency-Key": str(uuid.uuid4()), "Content-Type": content_type},
            name="report (no photo)",
        )
