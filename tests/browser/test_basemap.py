"""The base map as visitors get it with no tile setting at all: every map page, the report flow and the moderation
pages ask no host but ours, every tile they ask for is a tile GDAL reads, the report map works offline from the
tiles the phone kept, and without JavaScript (Tor Browser at "Safest") nothing needs the renderer."""

import subprocess
from urllib.parse import urlsplit

from app.extensions import db
from app.models import Sighting
from tests.browser.crawl import crawl_paths, seed_crawl, visit
from tests.browser.report_page import count_sightings, open_form, place_pin
from tests.browser.test_moderation import sign_in
from tests.factories import STARI_GRAD

KEPT_TILES = "caches.open('hiljade-tiles').then(cache => cache.keys()).then(keys => keys.length)"


def _visit(page, url: str) -> None:
    visit(page, url)
    page.wait_for_load_state("networkidle")  # every tile the page asked for has come


def _assert_valid_tile(body: bytes, path, name: str) -> None:
    """An empty body is a valid empty tile; any other must be one that GDAL's MVT driver opens and lists."""
    if not body:
        return
    file = path / f"{name}.pbf"
    file.write_bytes(body)
    listing = subprocess.run(["ogrinfo", "-ro", "-q", str(file)], capture_output=True, text=True)
    assert listing.returncode == 0 and "municipalities" in listing.stdout, (name, listing.stderr)


def test_every_page_draws_our_own_base_map_and_asks_no_other_host(live_server, desktop, tmp_path):
    camera, confirmed, pending, admin = seed_crawl()
    paths = crawl_paths(camera.id, pending.id, confirmed.reference)
    page = desktop.page
    tiles: dict[str, int] = {}
    page.on("response", lambda r: tiles.setdefault(r.url, r.status) if "/basemap/" in r.url else None)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(f"{page.url}: {error}"))

    for path in paths["public"]:
        _visit(page, live_server + path)
    desktop.screenshot("basemap-report-before")
    page.goto(live_server + "/report?lang=sr-Latn")  # the report flow: pin, send, receipt
    page.wait_for_selector("#report-map .leaflet-tile-loaded")
    place_pin(page)
    page.click("#send")
    page.wait_for_url("**/report/thanks/**")
    assert count_sightings() == 3
    sign_in(page, live_server, admin)
    page.wait_for_url("**/moderation?lang=*")
    for path in paths["moderation"] + ["/admin/basemap"]:
        _visit(page, live_server + path)

    assert errors == []
    assert desktop.foreign_requests(live_server) == []
    assert len(tiles) >= 20 and set(tiles.values()) == {200}, tiles
    for number, url in enumerate(sorted(tiles)):  # each tile as another program reads it
        response = page.request.get(url, headers={"Accept-Encoding": "identity"})
        assert urlsplit(url).path.startswith("/basemap/") and response.status == 200
        _assert_valid_tile(response.body(), tmp_path, f"tile{number}")


def test_the_map_draws_streets_labels_in_the_page_language(live_server, phone):
    """Screenshots to look at: the country and Belgrade on the default base, in Cyrillic."""
    page = phone.page
    page.goto(live_server + "/?lang=sr-Cyrl")
    page.wait_for_selector("#map[data-ready]", state="attached")
    page.wait_for_load_state("networkidle")
    phone.screenshot("basemap-country-cyrillic")
    page.goto(live_server + f"/?lang=sr-Cyrl&map=12/{STARI_GRAD[1]}/{STARI_GRAD[0]}")
    page.wait_for_selector("#map .leaflet-tile-loaded", state="attached")
    page.wait_for_load_state("networkidle")
    phone.screenshot("basemap-belgrade-cyrillic")
    # The renderer's canvases hold drawn pixels (not one flat colour): the tiles were parsed and painted.
    painted = page.evaluate(
        """() => [...document.querySelectorAll('#map canvas.leaflet-tile-loaded')].filter(canvas => {
             const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
             for (let i = 4; i < data.length; i += 4) {
               if (data[i] !== data[0] || data[i + 1] !== data[1]) return true;
             }
             return false; }).length"""
    )
    assert painted >= 1


def test_offline_the_report_pin_is_placed_on_the_tiles_the_phone_kept(live_server, phone):
    page, errors = open_form(phone, live_server)
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.reload()  # now under the service worker, which keeps what the report map shows
    page.wait_for_selector("#report-map .leaflet-tile-loaded")
    map_box = page.locator("#report-map").bounding_box()
    centre = (map_box["x"] + map_box["width"] / 2, map_box["y"] + map_box["height"] / 2)
    page.mouse.move(*centre)  # pan a little, as a reporter looking for the corner does
    page.mouse.down()
    page.mouse.move(centre[0] - 120, centre[1] - 80, steps=8)
    page.mouse.up()
    page.wait_for_load_state("networkidle")
    page.wait_for_function(f"() => {KEPT_TILES}.then(n => n > 0)")
    kept = page.evaluate(KEPT_TILES)

    page.context.set_offline(True)
    failed: list[str] = []
    page.on("requestfailed", lambda request: failed.append(request.url))
    served_by_worker: list[bool] = []
    page.on("response", lambda r: served_by_worker.append(r.from_service_worker) if "/basemap/" in r.url else None)
    page.reload()
    page.wait_for_selector("#report-map .leaflet-tile-loaded")
    page.wait_for_timeout(500)
    phone.screenshot("basemap-report-offline")

    assert kept >= 4 and served_by_worker and all(served_by_worker)
    assert [url for url in failed if "/basemap/" in url] == []
    page.mouse.click(centre[0] + 40, centre[1] + 30)  # the pin goes where the reporter taps
    lat, lon = float(page.input_value("#lat")), float(page.input_value("#lon"))
    assert 44.5 < lat < 45.2 and 20.0 < lon < 20.9 and (lat, lon) != (STARI_GRAD[1], STARI_GRAD[0])
    page.fill("#note", "placed offline")
    page.click("#send")
    page.wait_for_selector("#send-status[data-kind=queued]")
    page.context.set_offline(False)
    page.wait_for_selector("#send-status[data-kind=delivered]")
    sighting = db.session.query(Sighting).one()
    assert sighting.note == "placed offline" and errors == []


def test_without_javascript_nothing_waits_for_the_renderer(live_server, open_page):
    """Tor Browser at "Safest" runs no script: pages read and the report form posts without the base map."""
    recording = open_page("phone", java_script_enabled=False)
    page = recording.page
    for path in ("/", "/municipalities/", "/about", "/report"):
        page.goto(live_server + path + "?lang=en")
        assert page.locator("main").is_visible()
    place_pin(page)
    page.click("#send")
    page.wait_for_url("**/report/thanks/**")
    assert [url for url in recording.requests if "/basemap/" in url] == []
    assert recording.foreign_requests(live_server) == []
