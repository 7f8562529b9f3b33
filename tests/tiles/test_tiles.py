"""Vector tiles that a real GIS client (GDAL's MVT driver) reads."""

import math
import re
import subprocess

from app.tiles import services
from app.vocabulary import CameraStatus
from tests.factories import BECEJ, STARI_GRAD, make_camera


def tile_of(lon: float, lat: float, z: int) -> tuple[int, int]:
    n = 2**z
    x = int((lon + 180) / 360 * n)
    y = int((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n)
    return x, y


def ogr_layers(tmp_path, z: int, x: int, y: int, body: bytes) -> dict[str, int]:
    """Feature count per layer as ogrinfo reports it (the z/x/y path tells GDAL where the tile is)."""
    path = tmp_path / str(z) / str(x) / f"{y}.pbf"
    path.parent.mkdir(parents=True)
    path.write_bytes(body)
    output = subprocess.run(["ogrinfo", "-ro", "-al", "-so", str(path)], capture_output=True, text=True, check=True)
    names = re.findall(r"Layer name: (\S+)", output.stdout)
    counts = [int(n) for n in re.findall(r"Feature Count: (\d+)", output.stdout)]
    return dict(zip(names, counts, strict=True))


def test_a_high_zoom_tile_has_the_camera_points(client, tmp_path):
    make_camera(*STARI_GRAD)
    make_camera(STARI_GRAD[0] + 0.0003, STARI_GRAD[1])
    make_camera(STARI_GRAD[0] + 0.0006, STARI_GRAD[1], status=CameraStatus.REMOVED)
    make_camera(*BECEJ)
    x, y = tile_of(*STARI_GRAD, 16)

    response = client.get(f"/tiles/cameras/16/{x}/{y}.pbf")

    assert response.status_code == 200
    assert response.mimetype == "application/vnd.mapbox-vector-tile"
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert "max-age=300" in response.headers["Cache-Control"]
    assert ogr_layers(tmp_path, 16, x, y, response.data) == {"cameras": 2}
    again = client.get(f"/tiles/cameras/16/{x}/{y}.pbf", headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304


def test_a_low_zoom_tile_aggregates_cameras_into_cells(client, tmp_path):
    for i in range(5):
        make_camera(STARI_GRAD[0] + i * 0.0002, STARI_GRAD[1])
    make_camera(*BECEJ)
    x, y = tile_of(*STARI_GRAD, 5)

    response = client.get(f"/tiles/cameras/5/{x}/{y}.pbf")

    assert ogr_layers(tmp_path, 5, x, y, response.data) == {"camera_cells": 2}  # Belgrade's five, Bečej's one
    output = subprocess.run(
        ["ogrinfo", "-ro", "-al", "-q", str(tmp_path / "5" / str(x) / f"{y}.pbf")], capture_output=True, text=True
    ).stdout
    assert sorted(int(n) for n in re.findall(r"cameras \(Integer\S*\) = (\d+)", output)) == [1, 5]


def test_a_crowded_tile_falls_back_to_cells(client, tmp_path, monkeypatch):
    monkeypatch.setattr(services, "MAX_POINTS", 3)
    for i in range(4):
        make_camera(STARI_GRAD[0] + i * 0.0001, STARI_GRAD[1])
    x, y = tile_of(*STARI_GRAD, 14)
    layers = ogr_layers(tmp_path, 14, x, y, client.get(f"/tiles/cameras/14/{x}/{y}.pbf").data)
    assert list(layers) == ["camera_cells"]


def test_tiles_outside_the_pyramid_are_404_and_empty_tiles_are_empty(client):
    assert client.get("/tiles/cameras/2/4/0.pbf").status_code == 404
    assert client.get("/tiles/cameras/23/0/0.pbf").get_json()["error"]["code"] == "not_found"
    empty = client.get("/tiles/cameras/16/0/0.pbf")
    assert empty.status_code == 200 and empty.data == b""


def test_low_zoom_cells_follow_cameras_that_move_or_are_removed(client, tmp_path):
    from app.extensions import db

    cameras = [make_camera(STARI_GRAD[0] + i * 0.0002, STARI_GRAD[1]) for i in range(3)]
    cameras[0].status = CameraStatus.REMOVED
    cameras[1].location = "SRID=4326;POINT(20.0333 45.6163)"  # moved to Bečej
    db.session.flush()
    x, y = tile_of(*STARI_GRAD, 5)

    body = client.get(f"/tiles/cameras/5/{x}/{y}.pbf").data

    ogr_layers(tmp_path, 5, x, y, body)
    output = subprocess.run(
        ["ogrinfo", "-ro", "-al", "-q", str(tmp_path / "5" / str(x) / f"{y}.pbf")], capture_output=True, text=True
    ).stdout
    assert sorted(int(n) for n in re.findall(r"cameras \(Integer\S*\) = (\d+)", output)) == [1, 1]
