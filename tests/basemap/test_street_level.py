"""A street-level base map: the README's steps (scripts/basemap/build.sh: osmium, then GDAL) run on a small .osm
file written here, imported with `flask basemap import`, and served; and what the import refuses."""

import sqlite3
import subprocess
from pathlib import Path

import pytest
from shapely.geometry import shape

from app.basemap import services
from app.basemap.services import basemap_settings
from app.vocabulary import Role
from tests.basemap.gdal import read_tile, tile_of
from tests.factories import make_moderator
from tests.web import sign_in

BUILD = Path(__file__).resolve().parents[2] / "scripts" / "basemap" / "build.sh"
BUILDING = (20.4575, 44.8162)
# A corner of Belgrade as OpenStreetMap maps it: a suburb with its names, a named primary road, a street, a
# building, a park and a stretch of river.
SMALL_OSM = """<?xml version="1.0" encoding="UTF-8"?>
<osm version="0.6" generator="tests/basemap">
  <node id="1" version="1" lat="44.8170" lon="20.4585"><tag k="place" v="suburb"/><tag k="name" v="Стари град"/>
    <tag k="name:sr" v="Стари град"/><tag k="name:sr-Latn" v="Stari grad"/><tag k="name:sq" v="Qyteti i Vjetër"/>
    <tag k="name:en" v="Old Town"/></node>
  <node id="2" version="1" lat="44.8150" lon="20.4500"/>
  <node id="3" version="1" lat="44.8190" lon="20.4620"/>
  <node id="4" version="1" lat="44.8160" lon="20.4570"/>
  <node id="5" version="1" lat="44.8160" lon="20.4580"/>
  <node id="6" version="1" lat="44.8165" lon="20.4580"/>
  <node id="7" version="1" lat="44.8165" lon="20.4570"/>
  <node id="8" version="1" lat="44.8175" lon="20.4590"/>
  <node id="9" version="1" lat="44.8185" lon="20.4590"/>
  <node id="10" version="1" lat="44.8185" lon="20.4605"/>
  <node id="11" version="1" lat="44.8175" lon="20.4605"/>
  <node id="12" version="1" lat="44.8200" lon="20.4480"/>
  <node id="13" version="1" lat="44.8230" lon="20.4600"/>
  <way id="20" version="1"><nd ref="2"/><nd ref="3"/><tag k="highway" v="primary"/><tag k="name" v="Васе Чарапића"/>
    <tag k="name:sr-Latn" v="Vase Čarapića"/></way>
  <way id="21" version="1"><nd ref="4"/><nd ref="8"/><tag k="highway" v="residential"/>
    <tag k="name" v="Узун Миркова"/></way>
  <way id="22" version="1"><nd ref="4"/><nd ref="5"/><nd ref="6"/><nd ref="7"/><nd ref="4"/>
    <tag k="building" v="yes"/></way>
  <way id="23" version="1"><nd ref="8"/><nd ref="9"/><nd ref="10"/><nd ref="11"/><nd ref="8"/>
    <tag k="leisure" v="park"/><tag k="name" v="Студентски парк"/></way>
  <way id="24" version="1"><nd ref="12"/><nd ref="13"/><tag k="waterway" v="river"/><tag k="name" v="Сава"/></way>
</osm>
"""


@pytest.fixture(scope="module")
def street_map(tmp_path_factory) -> Path:
    """The small extract built into an MBTiles file by the project's own steps."""
    workdir = tmp_path_factory.mktemp("street-map")
    extract = workdir / "belgrade-corner.osm"
    extract.write_text(SMALL_OSM, encoding="utf-8")
    built = workdir / "street.mbtiles"
    subprocess.run([str(BUILD), str(extract), str(built)], check=True, capture_output=True)
    return built


@pytest.fixture
def served_file(app, tmp_path, monkeypatch) -> Path:
    """BASEMAP_FILE for one test: where `flask basemap import` puts what it imports."""
    path = tmp_path / "basemap.mbtiles"
    monkeypatch.setitem(app.config, "BASEMAP_FILE", str(path))
    return path


def _settings(app) -> dict:
    with app.test_request_context():
        return basemap_settings()


def test_a_map_built_from_openstreetmap_is_imported_and_its_streets_served(app, client, runner, street_map,
                                                                          served_file, tmp_path):  # fmt: skip
    result = runner.invoke(args=["basemap", "import", str(street_map)])
    assert result.exit_code == 0, result.output
    assert "OpenStreetMap (pbf: " in result.output and "zoom 0-14" in result.output

    settings = _settings(app)
    assert settings["kind"] == "vector" and settings["maxDataZoom"] == 14
    assert 'href="https://www.openstreetmap.org/copyright"' in settings["attribution"]  # what ODbL asks for
    x, y = tile_of(*BUILDING, 14)
    response = client.get(settings["url"].format(z=14, x=x, y=y), headers={"Accept-Encoding": "gzip"})
    assert response.status_code == 200

    layers = read_tile(response.data, 14, x, y, tmp_path)
    assert {"roads", "streets", "buildings", "landuse", "places", "waterways"} <= set(layers)
    road = layers["roads"][0]["properties"]
    assert road["kind"] == "primary" and road["name_latn"] == "Vase Čarapića" and road["name"] == "Васе Чарапића"
    assert layers["streets"][0]["properties"]["kind"] == "minor"
    assert layers["landuse"][0]["properties"]["kind"] == "park"
    suburb = layers["places"][0]["properties"]
    assert (suburb["kind"], suburb["name_sq"], suburb["name_en"]) == ("suburb", "Qyteti i Vjetër", "Old Town")
    west, south, east, north = shape(layers["buildings"][0]["geometry"]).bounds
    # Where the building's nodes are, to the tile's precision (about 0.6 m at zoom 14).
    assert west == pytest.approx(20.4570, abs=1e-5) and east == pytest.approx(20.4580, abs=1e-5)
    assert south == pytest.approx(44.8160, abs=1e-5) and north == pytest.approx(44.8165, abs=1e-5)
    assert settings["url"].split("/")[2] in client.get("/?lang=en").get_data(as_text=True)  # the map draws it


def test_the_admin_page_says_how_to_get_a_street_map_until_one_is_imported(app, client, runner, street_map,
                                                                          served_file):  # fmt: skip
    sign_in(client, make_moderator("admin@example.org", Role.ADMIN))
    services.build_outline()  # what `flask geodata load` draws
    page = client.get("/admin/basemap?lang=en").get_data(as_text=True)
    assert 'data-basemap-notice="outline"' in page and "flask basemap import FILE" in page
    assert 'data-basemap-notice="outline"' in client.get("/admin/users?lang=en").get_data(as_text=True)

    assert runner.invoke(args=["basemap", "import", str(street_map)]).exit_code == 0
    page = client.get("/admin/basemap?lang=en").get_data(as_text=True)
    assert "data-basemap-notice" not in page and "OpenStreetMap" in page

    # `flask geodata load` draws the municipalities again only where no imported map would be lost.
    before = served_file.read_bytes()
    assert services.build_outline() is None
    assert served_file.read_bytes() == before


def _copy_with(source: Path, target: Path, **metadata: str | None) -> Path:
    target.write_bytes(source.read_bytes())
    with sqlite3.connect(target) as connection:
        for name, value in metadata.items():
            connection.execute("DELETE FROM metadata WHERE name = ?", (name,))
            if value is not None:
                connection.execute("INSERT INTO metadata VALUES (?, ?)", (name, value))
    return target


def test_an_import_refuses_what_cannot_be_served_and_changes_nothing(runner, street_map, served_file, tmp_path):
    assert runner.invoke(args=["basemap", "import", str(street_map)]).exit_code == 0
    served = served_file.read_bytes()
    not_sqlite = tmp_path / "map.mbtiles"
    not_sqlite.write_bytes(b"<html>not a tileset</html>" * 100)
    cases = {
        not_sqlite: "not an MBTiles file",
        _copy_with(street_map, tmp_path / "svg.mbtiles", format="svg"): "format 'svg' is not one of",
        _copy_with(street_map, tmp_path / "anonymous.mbtiles", attribution=None): "--attribution",
        _copy_with(street_map, tmp_path / "deep.mbtiles", maxzoom="99"): "maxzoom must be a zoom level",
    }
    for file, reason in cases.items():
        result = runner.invoke(args=["basemap", "import", str(file)])
        assert result.exit_code != 0 and reason in result.output and "nothing was changed" in result.output, file
        assert served_file.read_bytes() == served
    assert not list(served_file.parent.glob("*.partial"))

    # An attribution given on the command line is what the licence needs when the file names none.
    anonymous = tmp_path / "anonymous.mbtiles"
    result = runner.invoke(args=["basemap", "import", str(anonymous), "--attribution", "© Someone"])
    assert result.exit_code == 0, result.output


def test_an_attribution_keeps_only_text_and_web_links(app, runner, street_map, served_file, tmp_path):
    hostile = (
        '<a href="https://www.openstreetmap.org/copyright">© OpenStreetMap</a> <script>alert(1)</script>'
        '<img src=x onerror="alert(2)"><a href="javascript:alert(3)">click</a> <b onclick="alert(4)">bold</b>'
    )
    file = _copy_with(street_map, tmp_path / "hostile.mbtiles", attribution=hostile)
    assert runner.invoke(args=["basemap", "import", str(file)]).exit_code == 0

    attribution = _settings(app)["attribution"]
    assert 'href="https://www.openstreetmap.org/copyright"' in attribution and "© OpenStreetMap" in attribution
    for forbidden in ("<script", "alert(1)", "<img", "onerror", "javascript:", "onclick", "<b"):
        assert forbidden not in attribution
