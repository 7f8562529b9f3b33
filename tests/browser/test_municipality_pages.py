"""The choropleth with its ranking, and a municipality's page, in a real browser."""

import pytest

from tests.browser.test_home_map import mapped_in, seed_cameras
from tests.factories import BECEJ_CODE, STARI_GRAD_CODE, make_official_figure

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_choropleth_and_ranking_match_independent_counts(request, live_server, viewport):
    browser_page = request.getfixturevalue(viewport)
    page = browser_page.page
    seed_cameras()

    page.goto(live_server + "/municipalities/?measure=cameras_per_km2")
    frame = page.frame_locator("#choropleth")
    frame.locator("path.leaflet-interactive").first.wait_for()
    assert frame.locator("path.leaflet-interactive").count() == 199
    for code in (STARI_GRAD_CODE, BECEJ_CODE):
        assert page.inner_text(f"tr[data-code='{code}'] td.cameras") == str(mapped_in(code))

    browser_page.screenshot(f"choropleth-{viewport}")

    page.click("#ranking-table th:nth-child(3) button")  # per km², highest first
    first = page.locator("#ranking-table tbody tr").first
    assert first.get_attribute("data-code") == STARI_GRAD_CODE
    assert browser_page.foreign_requests(live_server) == []


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_a_municipality_page_compares_declared_and_mapped(request, live_server, viewport):
    browser_page = request.getfixturevalue(viewport)
    page = browser_page.page
    seed_cameras()
    make_official_figure(BECEJ_CODE)

    page.goto(live_server + f"/municipalities/{BECEJ_CODE}")
    page.frame_locator("iframe.folium-frame").locator("path.leaflet-interactive").first.wait_for()
    assert page.inner_text("#mapped") == str(mapped_in(BECEJ_CODE))
    assert "130" in page.inner_text("#official")
    assert page.locator(".charts svg").count() == 3
    browser_page.screenshot(f"municipality-{viewport}")
    assert browser_page.foreign_requests(live_server) == []
