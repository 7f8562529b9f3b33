"""The base map by default: the municipalities' own vector tiles, drawn from the database, served from our origin."""

import gzip

import pytest
from sqlalchemy import text

from app.basemap.services import basemap_settings
from app.extensions import db
from tests.basemap.gdal import read_tile, tile_of
from tests.factories import STARI_GRAD

STARI_GRAD_CODE = "70246"
GZIP = {"Accept-Encoding": "gzip, deflate, br"}


@pytest.fixture
def tile_url(app):
    with app.test_request_context():
        settings = basemap_settings()
    assert settings["kind"] == "vector"
    return lambda z, x, y: settings["url"].format(z=z, x=x, y=y)


def test_a_tile_holds_the_municipalities_and_their_names_where_they_are(client, tile_url, tmp_path):
    x, y = tile_of(*STARI_GRAD, 11)
    response = client.get(tile_url(11, x, y), headers=GZIP)

    assert response.status_code == 200
    assert response.mimetype == "application/vnd.mapbox-vector-tile"
    assert response.headers["Content-Encoding"] == "gzip"
    vary = {value.strip() for value in response.headers["Vary"].split(",")}
    assert "Accept-Encoding" in vary and "Accept-Language" not in vary  # one tile for every language
    assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    layers = read_tile(response.data, 11, x, y, tmp_path)
    assert set(layers) == {"municipalities", "places"}
    assert STARI_GRAD_CODE in {feature["properties"]["code"] for feature in layers["municipalities"]}
    place = next(f for f in layers["places"] if f["properties"]["name_latn"] == "Stari grad")
    cyrillic = db.session.scalar(
        text("SELECT name_cyrillic FROM municipalities WHERE code = :c"), {"c": STARI_GRAD_CODE}
    )
    assert place["properties"]["name_cyrl"] == cyrillic and place["properties"]["kind"] == "municipality"
    # GDAL placed the label from the tile's z/x/y: inside its municipality, so rows and columns are not swapped.
    lon, lat = place["geometry"]["coordinates"]
    inside = db.session.scalar(
        text("SELECT ST_Contains(boundary, ST_SetSRID(ST_MakePoint(:lon, :lat), 4326)) FROM municipalities "
             "WHERE code = :code"),
        {"lon": lon, "lat": lat, "code": STARI_GRAD_CODE},
    )  # fmt: skip
    assert inside is True


def test_a_repeated_tile_costs_nothing_and_a_stale_address_is_not_found(client, tile_url):
    x, y = tile_of(*STARI_GRAD, 9)
    first = client.get(tile_url(9, x, y), headers=GZIP)
    etag = first.headers["ETag"]

    again = client.get(tile_url(9, x, y), headers={**GZIP, "If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""
    assert again.headers["ETag"] == etag and again.headers["Cache-Control"] == first.headers["Cache-Control"]

    version = tile_url(0, 0, 0).split("/")[2]
    assert client.get(tile_url(9, x, y).replace(version, "0" * len(version))).status_code == 404
    assert client.get(tile_url(9, 512, y)).status_code == 404  # no column 512 at zoom 9
    assert client.get(tile_url(9, x, y).replace(".pbf", ".png")).status_code == 404


def test_a_browser_without_gzip_gets_the_same_tile_decompressed(client, tile_url, tmp_path):
    x, y = tile_of(*STARI_GRAD, 8)
    zipped = client.get(tile_url(8, x, y), headers=GZIP)
    plain = client.get(tile_url(8, x, y), headers={"Accept-Encoding": "identity"})

    assert "Content-Encoding" not in plain.headers
    assert plain.data == gzip.decompress(zipped.data)
    assert plain.headers["ETag"] != zipped.headers["ETag"]  # one ETag per encoding, as caches require
    assert "places" in read_tile(plain.data, 8, x, y, tmp_path)


def test_a_tile_with_nothing_drawn_in_it_is_an_empty_tile(client, tile_url):
    x, y = tile_of(15.0, 43.0, 8)  # the Adriatic Sea
    response = client.get(tile_url(8, x, y), headers=GZIP)
    assert response.status_code == 200 and response.data == b""


def test_tiles_are_never_logged_nor_given_a_language(app, client, tile_url):
    from app.access_log import is_logged

    assert not is_logged(tile_url(8, 1, 1))  # a tile names the area a visitor (on /report: a reporter) looks at
    assert "lang=" not in tile_url(8, 1, 1)
