"""The comparison's map layers on the home map, and its figures on a municipality page and the choropleth."""

from datetime import date

from playwright.sync_api import expect

from app.declared import services
from tests.factories import STARI_GRAD, STARI_GRAD_CODE, make_camera


def _seed() -> None:
    lon, lat = STARI_GRAD
    rows = [f"{lat},{lon},2,Trg", f"{lat + 0.002},{lon},1,Drugi trg", f"{lat - 0.002},{lon + 0.001},1,Treći"]
    services.import_list(
        ("lat,lon,cameras,label\n" + "\n".join(rows)).encode(),
        source="MUP RS (test)",
        document_date=date(2021, 3, 1),
        licence="public information",
        file_name="l.csv",
    )
    make_camera(lon + 0.0001, lat)  # about 8 m from Trg: found
    make_camera(lon - 0.003, lat)  # on no list
    make_camera(lon + 0.003, lat + 0.001)  # on no list


def _show(page, layer: str) -> None:
    """Choose a layer in the map panel, opening it first where it starts collapsed (a phone)."""
    if not page.locator("#declared-layer").is_visible():
        page.click("#map-tools > summary")
    page.select_option("#declared-layer", layer)


def test_the_layers_of_declared_points_and_of_the_unmatched_draw_apart_from_the_cameras(live_server, screen):
    page = screen.page
    _seed()
    page.goto(live_server + f"/?map=16/{STARI_GRAD[1]}/{STARI_GRAD[0]}")
    page.wait_for_selector("#map[data-camera-kind='points']")
    _show(page, "declared")
    page.wait_for_selector("#map[data-declared-layer='declared'][data-declared-shown='3']")
    assert page.locator(".declared-mark.declared").count() == 3
    assert page.locator(".declared-mark.declared.found").count() == 1
    assert page.locator(".cam-icon .declared-mark, .declared-mark .cam-icon").count() == 0
    screen.screenshot("declared-layer")

    _show(page, "declared_not_found")
    page.wait_for_selector("#map[data-declared-layer='declared_not_found'][data-declared-shown='2']")
    assert page.locator(".declared-mark.not-found").count() == 2
    assert page.locator(".declared-mark.found").count() == 0
    _show(page, "mapped_not_declared")
    page.wait_for_selector("#map[data-declared-layer='mapped_not_declared'][data-declared-shown='2']")
    assert page.locator(".declared-mark.mapped-not-declared").count() == 2
    assert "declared=mapped_not_declared" in page.url
    page.reload()
    page.wait_for_selector("#map[data-declared-layer='mapped_not_declared'][data-declared-shown='2']")
    _show(page, "")
    expect(page.locator(".declared-mark")).to_have_count(0)
    assert screen.foreign_requests(live_server) == []


def test_the_municipality_page_and_the_choropleth_carry_the_comparison(live_server, desktop):
    page = desktop.page
    _seed()
    page.goto(live_server + f"/municipalities/{STARI_GRAD_CODE}?lang=en")
    assert page.inner_text("#declared-locations") == "3"
    assert page.inner_text("#matched-locations") == "1"
    assert page.inner_text("#declared-not-found") == "2"
    assert page.inner_text("#mapped-not-declared") == "2"
    assert "MUP RS (test)" in page.inner_text("#declared-lists")
    page.goto(live_server + "/municipalities/?measure=mapped_not_declared&lang=en")
    frame = page.frame_locator("#choropleth")
    frame.locator("path.leaflet-interactive").first.wait_for()
    assert frame.locator("path.leaflet-interactive").count() == 199
    assert page.locator("#measure option[value=mapped_not_declared]").count() == 1
    assert desktop.foreign_requests(live_server) == []
