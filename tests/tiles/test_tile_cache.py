"""Camera tiles are gzipped and cached per data version: a repeat costs no database query, a change is seen."""

import gzip
from collections.abc import Iterator

import pytest
from sqlalchemy import event
from sqlalchemy.engine import Engine

from app.tiles import cache
from tests.factories import STARI_GRAD, make_camera
from tests.tiles.test_tiles import ogr_layers, tile_of

GZIP = {"Accept-Encoding": "gzip, deflate, br"}


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(app, monkeypatch) -> Clock:
    """A process that reads the data version once an hour, on a clock the test moves; empty caches."""
    clock = Clock()
    monkeypatch.setattr(cache.time, "monotonic", clock)
    monkeypatch.setattr(cache, "versions", cache.VersionClock())
    monkeypatch.setattr(cache, "tiles", cache.TileCache())
    monkeypatch.setitem(app.config, "CAMERA_TILES_VERSION_MAX_AGE", 3600.0)
    return clock


@pytest.fixture
def statements() -> Iterator[list[str]]:
    """Every SQL statement sent to PostgreSQL while the test runs."""
    sent: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany):
        sent.append(statement)

    event.listen(Engine, "before_cursor_execute", record)
    yield sent
    event.remove(Engine, "before_cursor_execute", record)


def test_a_repeated_tile_needs_no_query_and_a_data_change_is_served(client, clock, statements, tmp_path):
    make_camera(*STARI_GRAD)
    x, y = tile_of(*STARI_GRAD, 16)
    url = f"/tiles/cameras/16/{x}/{y}.pbf"
    first = client.get(url, headers=GZIP)
    assert first.status_code == 200
    etag = first.headers["ETag"]

    statements.clear()
    repeat = client.get(url, headers=GZIP)
    not_modified = client.get(url, headers={**GZIP, "If-None-Match": etag})
    assert (repeat.status_code, repeat.data, repeat.headers["ETag"]) == (200, first.data, etag)
    # The repeat is replayed before Flask runs (app/tiles/fast_path.py), with every header Flask sent.
    assert sorted(repeat.headers.items()) == sorted(first.headers.items())
    assert not_modified.status_code == 304
    assert not_modified.headers["ETag"] == etag
    assert not_modified.headers["Cache-Control"] == first.headers["Cache-Control"]
    assert not_modified.headers["Access-Control-Allow-Origin"] == "*"
    assert statements == []

    make_camera(STARI_GRAD[0] + 0.0003, STARI_GRAD[1])  # the triggers bump map_data_version
    clock.now += 3601  # the next read of the version is due
    changed = client.get(url, headers={**GZIP, "If-None-Match": etag})

    assert changed.status_code == 200
    assert changed.headers["ETag"] != etag
    (tmp_path / "new").mkdir()
    assert ogr_layers(tmp_path / "new", 16, x, y, gzip.decompress(changed.data)) == {"cameras": 2}


def test_a_tile_built_before_flask_runs_is_the_tile_flask_builds(app, client, clock, tmp_path):
    make_camera(*STARI_GRAD)
    make_camera(STARI_GRAD[0] + 0.01, STARI_GRAD[1])
    x, y = tile_of(*STARI_GRAD, 16)
    neighbour = tile_of(STARI_GRAD[0] + 0.01, STARI_GRAD[1], 16)
    first = client.get(f"/tiles/cameras/16/{x}/{y}.pbf", headers=GZIP)  # through Flask: teaches the headers

    built = client.get(f"/tiles/cameras/16/{neighbour[0]}/{neighbour[1]}.pbf", headers=GZIP)  # a miss, before Flask

    assert built.status_code == 200
    assert set(built.headers.keys()) == set(first.headers.keys())
    assert ogr_layers(tmp_path, 16, *neighbour, gzip.decompress(built.data)) == {"cameras": 1}
    assert client.get("/tiles/cameras/16/70000/0.pbf", headers=GZIP).status_code == 404  # Flask's error answer


def test_tiles_are_sent_gzipped_with_their_own_etag(client, tmp_path):
    make_camera(*STARI_GRAD)
    x, y = tile_of(*STARI_GRAD, 16)
    url = f"/tiles/cameras/16/{x}/{y}.pbf"

    gzipped = client.get(url, headers=GZIP)
    identity = client.get(url)

    assert gzipped.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in gzipped.headers["Vary"]
    assert gzip.decompress(gzipped.data) == identity.data
    assert "Content-Encoding" not in identity.headers
    # Two representations, two strong validators: a cache holding one never answers with the other.
    assert gzipped.headers["ETag"] != identity.headers["ETag"]
    assert client.get(url, headers={"If-None-Match": gzipped.headers["ETag"]}).status_code == 200
    assert ogr_layers(tmp_path, 16, x, y, identity.data) == {"cameras": 1}


def test_an_address_outside_the_pyramid_is_not_found_before_any_cache(client):
    assert client.get("/tiles/cameras/3/8/0.pbf", headers=GZIP).status_code == 404
