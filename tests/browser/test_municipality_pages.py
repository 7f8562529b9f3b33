"""The choropleth with its ranking, and a municipality's page, in a real browser."""

import re

from tests.browser.map_data import mapped_in, seed_cameras
from tests.factories import BECEJ_CODE, STARI_GRAD_CODE, make_official_figure


def _svg_ratio(page, live_server) -> float:
    """Height over width of the image the server draws, from the SVG's own viewBox."""
    svg = page.request.get(live_server + page.get_attribute("#choropleth-image", "src")).text()
    _x, _y, width, height = map(float, re.search(r'viewBox="([^"]+)"', svg).group(1).split())
    return height / width


def test_choropleth_and_ranking_match_independent_counts(live_server, screen):
    page = screen.page
    seed_cameras()

    page.goto(live_server + "/municipalities/?measure=cameras_per_km2")
    if screen.screen == "phone":  # the server's image until the reader asks for the map, in a box that never moves
        page.wait_for_load_state("load")
        assert page.locator("iframe").count() == 0
        image = page.locator("#choropleth-image")  # its box is known from the page, before the image arrives
        width, height = (int(image.get_attribute(name)) for name in ("width", "height"))
        assert abs(height / width - _svg_ratio(page, live_server)) < 0.01
        box = image.bounding_box()
        assert abs(box["height"] / box["width"] - height / width) < 0.01
        page.click("#open-choropleth")
    frame = page.frame_locator("#choropleth")
    frame.locator("path.leaflet-interactive").first.wait_for()
    assert frame.locator("path.leaflet-interactive").count() == 199
    for code in (STARI_GRAD_CODE, BECEJ_CODE):
        assert page.inner_text(f"tr[data-code='{code}'] td.cameras") == str(mapped_in(code))

    screen.screenshot("choropleth")

    page.click("#ranking-table th:nth-child(3) button")  # per km², highest first
    first = page.locator("#ranking-table tbody tr").first
    assert first.get_attribute("data-code") == STARI_GRAD_CODE
    assert screen.foreign_requests(live_server) == []


def test_a_municipality_page_compares_declared_and_mapped(live_server, screen):
    page = screen.page
    seed_cameras()
    make_official_figure(BECEJ_CODE)

    page.goto(live_server + f"/municipalities/{BECEJ_CODE}")
    page.frame_locator("iframe.folium-frame").locator("path.leaflet-interactive").first.wait_for()
    assert page.inner_text("#mapped") == str(mapped_in(BECEJ_CODE))
    assert "130" in page.inner_text("#official")
    assert page.locator(".charts svg").count() == 3
    screen.screenshot("municipality")
    assert screen.foreign_requests(live_server) == []
