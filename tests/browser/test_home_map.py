"""The public map on a phone and a desktop: clusters, markers, filters in the URL, density layer, search."""

from playwright.sync_api import expect

from tests.browser.map_data import mapped_in, seed_cameras
from tests.factories import STARI_GRAD


def open_panel(page) -> None:
    """The map's panel starts open on a desktop and as one row on a phone: open it where it is closed."""
    if not page.locator("#map-tools").evaluate("details => details.open"):
        page.click("#map-tools > summary")


def test_clusters_then_markers_and_filters_that_survive_a_reload(live_server, screen):
    page = screen.page
    seed_cameras()

    page.goto(live_server + "/")
    page.wait_for_selector("#map[data-camera-kind='municipalities']")  # country zoom: one cluster per municipality
    clusters = page.locator(".cam-cluster").all_inner_texts()
    assert sum(int(t.replace(".", "").replace(",", "")) for t in clusters) == 28
    screen.screenshot("map-clusters")
    # The country view's cameras were preloaded with the page, and that one request served the first view.
    preload = page.get_attribute("link[rel=preload][as=fetch]", "href")
    assert [url for url in screen.requests if "/api/v1/cameras" in url] == [live_server + preload]
    # The base map draws the outlines, so the boundaries (the page's largest download) wait until something needs
    # them: a search fetches them and zooms to the municipality found.
    assert not [url for url in screen.requests if "/api/v1/municipalities" in url]
    assert page.locator("#filter-municipality option").count() == 200  # the choices come with the page
    zoom = page.evaluate("document.getElementById('map').leafletMap.getZoom()")
    open_panel(page)
    page.fill("#municipality-search", "Бечеј")
    page.press("#municipality-search", "Enter")
    page.wait_for_selector("#map[data-municipalities-loaded='199']", state="attached")
    page.wait_for_function("(zoom) => document.getElementById('map').leafletMap.getZoom() > zoom", arg=zoom)
    assert page.input_value("#municipality-search") == "Bečej"

    page.goto(live_server + f"/?map=17/{STARI_GRAD[1]}/{STARI_GRAD[0] + 0.0002}")
    page.wait_for_selector("#map[data-camera-kind='points']")
    assert page.locator(".cam-icon").count() == 3
    assert page.locator(".cam-icon.cam-face").count() == 1
    assert page.locator(".cam-icon.cam-plate").count() == 1
    assert page.locator("path.view-cone").count() == 2  # the two cameras with a known direction
    screen.screenshot("map-markers")

    open_panel(page)
    page.click("#map-filters-box summary")
    page.select_option("select[name=capability]", "number_plate_recognition")
    expect(page.locator(".cam-icon")).to_have_count(1)
    assert "capability=number_plate_recognition" in page.url

    page.reload()
    page.wait_for_selector("#map[data-camera-kind='points']")
    expect(page.locator(".cam-icon")).to_have_count(1)
    assert page.input_value("select[name=capability]") == "number_plate_recognition"
    assert page.locator(".cam-icon.cam-plate").count() == 1
    assert screen.foreign_requests(live_server) == []


def test_the_density_layer_and_search_show_the_independently_counted_cameras(live_server, screen):
    page = screen.page
    seed_cameras()
    expected = mapped_in("70246")
    assert expected >= 3

    page.goto(live_server + "/?layer=density")
    page.wait_for_selector("#map[data-layer='density'][data-municipalities-loaded='199']")
    assert page.locator("#map-legend").is_visible()
    open_panel(page)
    page.fill("#municipality-search", "Стари Град")  # Cyrillic finds the Latin-named municipality
    page.press("#municipality-search", "Enter")
    tooltip = page.wait_for_selector(".muni-tooltip")
    assert "Stari grad" in tooltip.inner_text()
    assert page.inner_text(".muni-tooltip .tip-count") == str(expected)
    screen.screenshot("map-density")
    assert screen.foreign_requests(live_server) == []
