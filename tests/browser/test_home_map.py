"""The public map on a phone and a desktop: clusters, markers, filters in the URL, density layer, search."""

import pytest
from playwright.sync_api import expect
from sqlalchemy import text

from app.extensions import db
from app.vocabulary import CameraType, Capability, Evidence, Manufacturer
from tests.factories import BECEJ, STARI_GRAD, make_camera

pytestmark = pytest.mark.browser

FACE = {Capability.FACIAL_RECOGNITION: Evidence.MODEL_IDENTIFIED}
PLATE = {Capability.NUMBER_PLATE_RECOGNITION: Evidence.PROCUREMENT_DOCUMENT}


def seed_cameras() -> None:
    """Three cameras close together in Stari grad, a scatter over Belgrade and one in Bečej."""
    lon, lat = STARI_GRAD
    make_camera(lon, lat, camera_type=CameraType.DOME, capabilities=FACE, direction=200)
    make_camera(lon + 0.0012, lat + 0.0004, camera_type=CameraType.FIXED, capabilities=PLATE, direction=90,
                manufacturer=Manufacturer.DAHUA)  # fmt: skip
    make_camera(lon - 0.0010, lat - 0.0006, camera_type=CameraType.PANNING, capabilities={})
    for i in range(24):
        make_camera(20.35 + (i % 6) * 0.03, 44.74 + (i // 6) * 0.03, capabilities=FACE if i % 3 else PLATE)
    make_camera(*BECEJ, manufacturer=Manufacturer.DAHUA)


def mapped_in(code: str) -> int:
    """Counted independently of the app: a point-in-polygon join over the real boundary."""
    return db.session.execute(
        text(
            "SELECT count(*) FROM cameras c JOIN municipalities m ON ST_Covers(m.boundary, c.location) "
            "WHERE m.code = :code AND c.status IN ('active', 'needs_resurvey')"
        ),
        {"code": code},
    ).scalar_one()


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_clusters_then_markers_and_filters_that_survive_a_reload(request, live_server, viewport):
    browser_page = request.getfixturevalue(viewport)
    page = browser_page.page
    seed_cameras()

    page.goto(live_server + "/")
    page.wait_for_selector("#map[data-camera-kind='municipalities']")  # country zoom: one cluster per municipality
    page.wait_for_selector("#map[data-municipalities-loaded='199']")
    clusters = page.locator(".cam-cluster").all_inner_texts()
    assert sum(int(t.replace(".", "").replace(",", "")) for t in clusters) == 28
    browser_page.screenshot(f"map-clusters-{viewport}")

    page.goto(live_server + f"/?map=17/{STARI_GRAD[1]}/{STARI_GRAD[0] + 0.0002}")
    page.wait_for_selector("#map[data-camera-kind='points']")
    assert page.locator(".cam-icon").count() == 3
    assert page.locator(".cam-icon.cam-face").count() == 1
    assert page.locator(".cam-icon.cam-plate").count() == 1
    assert page.locator("path.view-cone").count() == 2  # the two cameras with a known direction
    browser_page.screenshot(f"map-markers-{viewport}")

    page.click("#map-filters-box summary")
    page.select_option("select[name=capability]", "number_plate_recognition")
    expect(page.locator(".cam-icon")).to_have_count(1)
    assert "capability=number_plate_recognition" in page.url

    page.reload()
    page.wait_for_selector("#map[data-camera-kind='points']")
    expect(page.locator(".cam-icon")).to_have_count(1)
    assert page.input_value("select[name=capability]") == "number_plate_recognition"
    assert page.locator(".cam-icon.cam-plate").count() == 1
    assert browser_page.foreign_requests(live_server) == []


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_the_density_layer_and_search_show_the_independently_counted_cameras(request, live_server, viewport):
    browser_page = request.getfixturevalue(viewport)
    page = browser_page.page
    seed_cameras()
    expected = mapped_in("70246")
    assert expected >= 3

    page.goto(live_server + "/?layer=density")
    page.wait_for_selector("#map[data-layer='density'][data-municipalities-loaded='199']")
    assert page.locator("#map-legend").is_visible()
    page.fill("#municipality-search", "Стари Град")  # Cyrillic finds the Latin-named municipality
    page.press("#municipality-search", "Enter")
    tooltip = page.wait_for_selector(".muni-tooltip")
    assert "Stari grad" in tooltip.inner_text()
    assert page.inner_text(".muni-tooltip .tip-count") == str(expected)
    browser_page.screenshot(f"map-density-{viewport}")
    assert browser_page.foreign_requests(live_server) == []
