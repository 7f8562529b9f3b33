"""The site on a phone (390×844, touch) as a reporter on a street corner meets it: the map first under a header of at
most 56 px, notices never covered, every target big enough to hit, camera markers that open at a finger's offset,
pages no wider than the screen (issue 14)."""

import json

import pytest

from tests.browser.crawl import GNJILANE_CODE, crawl_paths, seed_crawl, visit
from tests.browser.map_data import seed_cameras
from tests.browser.touch import COVERED_NOTICES, MAP_SHARE, MIN_TARGET, SMALL_TARGETS
from tests.factories import STARI_GRAD

MAX_HEADER = 56
# The titles of the markers whose centre is at least 44 + 18 px from any other: a tap 18 px beside one is on no other.
APART = """els => els.filter(el => els.every(other => {
  if (other === el) return true;
  const a = el.getBoundingClientRect(), b = other.getBoundingClientRect();
  return Math.hypot(a.x - b.x, a.y - b.y) >= a.width + 18;
})).map(el => el.title)"""


def test_the_map_takes_the_screen_under_a_small_header(live_server, phone):
    page = phone.page
    page.goto(live_server + "/?lang=sr-Latn")
    page.wait_for_selector("#map[data-ready]", state="attached")
    header = page.locator(".site-header").bounding_box()
    assert header["height"] <= MAX_HEADER, header
    assert not page.locator("#map-tools").evaluate("d => d.open")  # on a phone the panel starts collapsed
    share = page.evaluate(MAP_SHARE)
    assert share >= 0.75, share
    phone.screenshot("phone-home")

    page.click("#site-menu > summary")  # the menu drops over the map and lists every page and language
    assert page.locator(".site-nav a").first.is_visible()
    assert page.locator("nav.lang a").count() == 4
    phone.screenshot("phone-menu")
    page.click("#site-menu > summary")
    page.click("#map-tools > summary")  # the panel opens for search and filters, and closes again
    assert page.locator("#municipality-search").is_visible()
    phone.screenshot("phone-home-panel")
    page.click("#map-tools > summary")
    assert not page.locator("#municipality-search").is_visible()
    assert phone.foreign_requests(live_server) == []


def test_no_notice_is_covered(live_server, open_page):
    with_script = open_page("phone")
    with_script.page.goto(live_server + "/?lang=xx")  # an unknown language: a notice says which one is shown
    with_script.page.wait_for_selector("#map[data-ready]", state="attached")
    assert with_script.page.locator(".language-notice").is_visible()
    assert with_script.page.evaluate(COVERED_NOTICES) == []

    without = open_page("phone", java_script_enabled=False)
    without.page.goto(live_server + "/?lang=en")
    assert without.page.locator(".noscript").is_visible()
    assert without.page.evaluate(COVERED_NOTICES) == []
    assert without.page.locator(".site-header").bounding_box()["height"] <= MAX_HEADER
    without.screenshot("phone-home-nojs")


def test_every_target_on_the_public_pages_is_big_enough_for_a_finger(live_server, phone):
    camera, confirmed, pending, _admin = seed_crawl()
    page = phone.page
    small, checked = {}, {}
    for path in crawl_paths(camera.id, pending.id, confirmed.reference)["public"]:
        visit(page, live_server + path)
        found = page.evaluate(SMALL_TARGETS, MIN_TARGET)
        checked[path] = found["checked"]
        if found["small"]:
            small[path] = found["small"]
    assert small == {}, json.dumps(small, indent=1, ensure_ascii=False)
    assert min(checked.values()) >= 3, checked  # the page was measured (a framed map has its zoom buttons)


@pytest.mark.parametrize("zoom", [12, 17])
def test_a_tap_beside_a_camera_marker_opens_it(live_server, phone, zoom):
    """Ten markers, each tapped 18 px from its centre (a thumb is not a stylus), open their camera's page."""
    seed_cameras()
    page = phone.page
    lon, lat = (20.42, 44.785) if zoom == 12 else (STARI_GRAD[0] + 0.0001, STARI_GRAD[1])
    start = f"{live_server}/?map={zoom}/{lat}/{lon}"
    opened: set[str] = set()
    for index in range(10 if zoom == 12 else 3):
        page.goto(start)
        page.wait_for_selector("#map[data-camera-kind='points']")
        page.wait_for_load_state("networkidle")  # the markers have settled where the map puts them
        markers = page.locator(".leaflet-marker-icon.cam-icon")
        assert markers.count() >= (10 if zoom == 12 else 3)
        assert len(markers.evaluate_all(APART)) >= (10 if zoom == 12 else 3)
        titles = [title for title in markers.evaluate_all(APART) if title not in opened]
        marker = page.locator(f".leaflet-marker-icon.cam-icon[title='{titles[0]}']")
        box = marker.bounding_box()
        assert box["width"] >= MIN_TARGET and box["height"] >= MIN_TARGET
        dx, dy = [(18, 0), (0, 18), (-18, 0), (0, -18)][index % 4]
        page.touchscreen.tap(box["x"] + box["width"] / 2 + dx, box["y"] + box["height"] / 2 + dy)
        page.wait_for_url("**/cameras/*")
        assert page.url.split("?")[0].endswith("/cameras/" + titles[0].split()[-1])  # the title ends in its id
        opened.add(titles[0])
    assert len(opened) == (10 if zoom == 12 else 3)


@pytest.mark.parametrize("path", ["/data", "/api", "/municipalities/", "/cameras/", f"/municipalities/{GNJILANE_CODE}"])
def test_the_data_pages_fit_a_phone(live_server, phone, path):
    """A Kosovo unit's page too: its 23-character code in the cite line's address once made it 570 px wide."""
    page = phone.page
    page.goto(live_server + path + "?lang=sr-Latn")
    wide = page.evaluate(
        """() => [...document.querySelectorAll('body *')].filter(el => el.getBoundingClientRect().right > 391)
                 .filter(el => !el.closest('.table-wrap')).map(el => el.tagName + '.' + el.className).slice(0, 8)"""
    )
    assert page.evaluate("document.documentElement.scrollWidth") <= 390, wide
