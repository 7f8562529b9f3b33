"""What the map pages hand their scripts: the palette, the region and the tiles come from Python's one copy."""

import json
import re
from html.parser import HTMLParser

import pytest

from app.geo import region
from app.municipalities.palette import COLOURS
from tests.factories import make_moderator, make_sighting
from tests.web import sign_in


class _Page(HTMLParser):
    """The attributes of every element with an id, and the scripts in the order the page loads them."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.by_id: dict[str, dict[str, str]] = {}
        self.scripts: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attributes = {name: value or "" for name, value in attrs}
        if "id" in attributes:
            self.by_id[attributes["id"]] = attributes
        if tag == "script":
            self.scripts.append(attributes.get("src", "inline"))


def _map_element(client, path: str, element_id: str) -> tuple[dict[str, str], list[str]]:
    response = client.get(path)
    assert response.status_code == 200
    page = _Page(response.get_data(as_text=True))
    return page.by_id[element_id], page.scripts


def test_the_home_map_receives_the_choropleth_palette_and_the_region(client):
    attributes, _scripts = _map_element(client, "/", "map")

    assert json.loads(attributes["data-palette"]) == list(COLOURS)  # the Folium choropleth's classes, the same
    assert json.loads(attributes["data-region"]) == [list(corner) for corner in region.BOUNDS]
    margin = json.loads(attributes["data-region-with-margin"])
    assert margin == [list(corner) for corner in region.BOUNDS_WITH_MARGIN]
    (south, west), (north, east) = region.BOUNDS
    # The view the map opens on lies inside the area it asks for cameras in, or its edges would stay empty.
    assert margin[0][0] < south and margin[0][1] < west and margin[1][0] > north and margin[1][1] > east


@pytest.mark.parametrize(
    ("path", "element_id", "script"),
    [("/", "map", "map.js"), ("/report", "report-map", "report.js"), ("moderation", "moderation-map", "moderation.js")],
)
def test_every_map_gets_the_base_map_and_the_shared_scripts_first(app, client, path, element_id, script):
    if path == "moderation":
        sign_in(client, make_moderator())
        path = f"/moderation/sightings/{make_sighting().id}"

    attributes, scripts = _map_element(client, path, element_id)

    basemap = json.loads(attributes["data-basemap"])
    # The default: the municipalities' vector base from our own origin, its address carrying the file's version.
    assert basemap["kind"] == "vector"
    assert basemap["url"].startswith("/basemap/") and basemap["url"].endswith("/{z}/{x}/{y}.pbf")
    assert "geoBoundaries" in basemap["attribution"]
    names = [src.split("?")[0].rsplit("/", 1)[-1] for src in scripts]  # ?v=<hash>: app/assets.py
    assert "inline" not in names  # the CSP allows none
    assert names.index("leaflet.js") < names.index("basemap.js") < names.index("map-common.js") < names.index(script)
    # The renderer is basemap.js's to load when a map needs it, from our own origin with its content hash.
    assert "protomaps-leaflet.js" not in names
    assert basemap["renderer"].startswith("/assets/npm/protomaps-leaflet/-/protomaps-leaflet.js?v=")
    assert client.get(basemap["renderer"]).status_code == 200


def test_the_home_page_preloads_its_country_view_only_when_that_is_its_first_view(client):
    html = client.get("/?lang=en").get_data(as_text=True)
    preload = re.search(r'<link rel="preload" href="([^"]+)" as="fetch" crossorigin="anonymous">', html).group(1)
    assert f'data-first-view-url="{preload}"' in html  # map.js asks for exactly that
    answer = client.get(preload.replace("&amp;", "&")).get_json()
    assert answer["kind"] == "municipalities"  # one cluster per municipality, the same for every screen
    for named in ("/?map=12/44.8/20.4", "/?layer=density", "/?capability=facial_recognition"):
        assert 'rel="preload"' not in client.get(named).get_data(as_text=True), named
