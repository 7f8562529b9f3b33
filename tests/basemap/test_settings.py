"""What the operator chooses: a third-party tile server only on purpose (with a warning and a CSP to match), and
the onion service's address for Tor Browser."""

import json
import re

import pytest

from app.vocabulary import Role
from tests.factories import make_moderator
from tests.web import sign_in

TILE_SERVER = "https://tiles.example.org/{z}/{x}/{y}.png"


def _basemap(page: str) -> dict:
    attribute = re.search(r'data-basemap="([^"]*)"', page).group(1)
    return json.loads(attribute.replace("&#34;", '"').replace("&amp;", "&"))


def _image_sources(response) -> str:
    return re.search(r"img-src ([^;]*)", response.headers["Content-Security-Policy"]).group(1)


@pytest.mark.parametrize("path", ["/", "/report", "/municipalities/map"])
def test_by_default_no_page_may_load_images_or_data_from_another_host(client, path):
    response = client.get(path)
    assert set(_image_sources(response).split()) <= {"'self'", "data:", "blob:"}
    assert "connect-src 'self';" in response.headers["Content-Security-Policy"]


def test_a_tile_server_is_used_only_when_chosen_and_the_admin_is_told_what_it_learns(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "TILE_URL", TILE_SERVER)
    monkeypatch.setitem(app.config, "TILE_ATTRIBUTION", "© Example tiles")

    response = client.get("/?lang=sr-Latn")
    basemap = _basemap(response.get_data(as_text=True))
    assert basemap["kind"] == "external" and basemap["url"] == TILE_SERVER
    assert "https://tiles.example.org" in _image_sources(response).split()  # the CSP follows the configuration
    assert "protomaps-leaflet.js" not in response.get_data(as_text=True)  # a raster server needs no renderer

    sign_in(client, make_moderator("admin@example.org", Role.ADMIN))
    for lang, words in {"sr-Latn": "tuđeg servera", "sq": "një server i dikujt tjetër", "en": "someone else's"}.items():
        page = client.get(f"/admin/basemap?lang={lang}").get_data(as_text=True)
        warning = re.search(r'data-basemap-notice="external">([^<]*)<', page).group(1)
        assert "https://tiles.example.org" in warning and words in warning.replace("&#39;", "'"), lang


def test_the_onion_service_is_offered_on_every_page_and_never_on_data(app, client, monkeypatch):
    onion = "http://hiljadekameraabcdefghijklmnopqrstuvwxyzabcdefghijklmn.onion"
    monkeypatch.setitem(app.config, "ONION_LOCATION", onion + "/")

    assert client.get("/municipalities/?lang=en").headers["Onion-Location"] == f"{onion}/municipalities/?lang=en"
    assert client.get("/about").headers["Onion-Location"] == f"{onion}/about"
    assert "Onion-Location" not in client.get("/api/v1/municipalities").headers
