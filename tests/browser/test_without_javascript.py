"""With JavaScript off (Tor Browser at "Safest", old phones): from the home page through the camera list to a camera,
and the ranking and the choropleth image of the municipalities."""

from app.extensions import db
from tests.browser.map_data import mapped_in, seed_cameras
from tests.factories import BECEJ_CODE, STARI_GRAD_CODE


def test_a_reader_without_javascript_finds_a_camera_the_ranking_and_the_choropleth(live_server, open_page):
    seed_cameras()
    db.session.commit()
    screen = open_page("phone", java_script_enabled=False)
    page = screen.page

    page.goto(live_server + "/?lang=en")
    page.click(".noscript a[href^='/cameras/']")  # what the home page says to a reader without scripts
    page.wait_for_url("**/cameras/?lang=en")
    assert page.locator("tr[data-camera]").count() == 28

    page.select_option("select[name=municipality]", BECEJ_CODE)
    page.click(".list-filters button[type=submit]")
    page.wait_for_url(f"**municipality={BECEJ_CODE}**")
    assert "lang=en" in page.url
    rows = page.locator("tr[data-camera]")
    assert rows.count() == mapped_in(BECEJ_CODE) == 1
    screen.screenshot("nojs-camera-list")
    rows.first.locator("a").first.click()
    page.wait_for_url("**/cameras/*?lang=en")
    assert page.inner_text("#coordinates") == "45.616300, 20.033300"
    assert page.get_attribute("a.osm-link", "href").startswith("https://www.openstreetmap.org/?mlat=45.616300")
    assert not page.locator("#camera-map").is_visible()  # the map is for scripts; the link is for everyone
    screen.screenshot("nojs-camera")

    page.goto(live_server + "/municipalities/?lang=en")
    counts = [int(text) for text in page.locator("#ranking-table tbody td.cameras").all_inner_texts()]
    assert len(counts) == 199 and counts == sorted(counts, reverse=True)  # most cameras first, as served
    row = page.locator(f"#ranking-table tr[data-code='{STARI_GRAD_CODE}']")
    assert row.locator("td.cameras").inner_text() == str(mapped_in(STARI_GRAD_CODE))
    headers = page.locator("#ranking-table thead button").evaluate_all("all => all.map(b => b.dataset.column || '')")
    dahua = row.locator("td").nth(headers.index("manufacturer_dahua"))  # every sort button is in column order
    assert dahua.inner_text() == "1"  # seed_cameras' one Dahua there
    image = page.locator("img#choropleth-image")
    assert image.evaluate("img => img.complete && img.naturalWidth") == 600  # the SVG was drawn
    assert page.locator("iframe").count() == 0  # the interactive map needs scripts; the image does not
    screen.screenshot("nojs-ranking")

    page.goto(live_server + image.get_attribute("src"))
    assert page.locator("path").count() == 199
    stari_grad = page.locator(f"path[data-code='{STARI_GRAD_CODE}']")
    assert stari_grad.evaluate("p => p.getAttribute('fill')") != "#f4f1ee"  # it has cameras
    assert "Stari" in stari_grad.locator("title").text_content()
    assert screen.foreign_requests(live_server) == []
