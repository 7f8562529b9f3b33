import pytest

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_the_map_draws_every_municipality_without_leaving_our_origin(request, live_server, viewport):
    browser_page = request.getfixturevalue(viewport)
    page = browser_page.page

    page.goto(live_server + "/")
    page.wait_for_selector("#map[data-municipalities-loaded]")

    assert page.get_attribute("#map", "data-municipalities-loaded") == "199"
    assert page.locator(".leaflet-interactive").count() == 199
    assert page.locator(".leaflet-tile-loaded").count() > 0
    assert "OpenStreetMap" in page.inner_text(".leaflet-control-attribution")
    browser_page.screenshot(f"home-map-{viewport}")
    assert browser_page.foreign_requests(live_server) == []
