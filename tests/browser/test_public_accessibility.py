"""The public pages pass axe-core with no violation on a phone, the framed choropleth included, and have what
browsers and search engines look for: one h1, a meta description, a favicon; receipts are not indexed (issue 14)."""

import json

from tests.browser.axe import axe_violations
from tests.browser.crawl import seed_crawl, visit
from tests.factories import BECEJ_CODE


def audited_paths(camera_id: int) -> list[str]:
    municipality = f"/municipalities/{BECEJ_CODE}"
    return ["/", "/report", "/municipalities/", municipality, f"/cameras/{camera_id}", "/data", "/about"]


def test_the_public_pages_and_the_framed_choropleth_have_no_axe_violations(live_server, phone):
    camera, _confirmed, _pending, _admin = seed_crawl()
    page = phone.page
    found = {}
    for path in audited_paths(camera.id):
        visit(page, live_server + path)
        found[path] = axe_violations(page)
        phone.screenshot("page" + path.rstrip("/").replace("/", "-").replace(BECEJ_CODE, "municipality"))
        if path.startswith("/municipalities/"):  # the framed choropleth, the municipality's framed map
            found[path + " (frame)"] = axe_violations(page.frames[1])
    page.click("#site-menu > summary")  # and with the menu open
    found["/ (menu open)"] = axe_violations(page)
    assert {path: v for path, v in found.items() if v} == {}, json.dumps(found, indent=1)


def test_every_public_page_has_one_h1_a_description_and_an_icon(live_server, phone, client):
    camera, confirmed, _pending, _admin = seed_crawl()
    page = phone.page
    for path in [*audited_paths(camera.id), "/cameras/", "/api", f"/report/thanks/{confirmed.reference}"]:
        page.goto(live_server + path)
        assert page.locator("h1").count() == 1, path
        assert len(page.get_attribute("meta[name=description]", "content")) > 50, path
        robots = page.locator("meta[name=robots]")
        assert (robots.count() and robots.get_attribute("content").startswith("noindex")) == ("/thanks/" in path)
    icon = client.get("/favicon.ico")
    assert icon.status_code == 200 and icon.mimetype == "image/vnd.microsoft.icon" and icon.data[:4] == b"\0\0\1\0"
    touch_icon = page.request.get(live_server + page.get_attribute("link[rel=apple-touch-icon]", "href"))
    assert touch_icon.ok and touch_icon.headers["content-type"] == "image/png"
