"""The report page on a phone (issue 14): Send in view at every step, required fields said in text and to screen
readers, a pin that is named and moves with the arrow keys, no layout shift while the map appears, the photo's
location offered only for a photo with GPS, and a report waiting on the phone shown at the top of every page."""

from tests.browser.conftest import ARTIFACTS
from tests.browser.report_page import OUTBOX_COUNT, count_sightings, open_form, place_pin
from tests.browser.test_report import photo_file
from tests.browser.touch import LAYOUT_SHIFT
from tests.factories import jpeg_bytes

STEPS = ["#step-place", "#step-photos", "#step-what", "#note"]


def in_view(page, selector: str) -> bool:
    box = page.locator(selector).bounding_box()
    size = page.viewport_size
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= size["height"] and box["x"] >= 0


def top_of(page, selector: str) -> float:
    """Where an element starts on the page (not on the screen, which the browser may have scrolled)."""
    return page.locator(selector).evaluate("el => el.getBoundingClientRect().top + window.scrollY")


def test_send_is_in_view_at_every_step_and_the_page_does_not_jump(live_server, phone):
    page, errors = open_form(phone, live_server)
    page.wait_for_load_state("networkidle")
    shift = page.evaluate(LAYOUT_SHIFT)
    assert shift < 0.1, shift
    for number, step in enumerate(STEPS, start=1):
        page.locator(step).scroll_into_view_if_needed()
        assert in_view(page, "#send"), step
        phone.screenshot(f"report-step-{number}")
    assert errors == []


def test_required_fields_are_marked_and_the_pin_is_named_and_moves_with_the_keys(live_server, phone):
    page, _ = open_form(phone, live_server)
    for field in ("#lat", "#lon"):
        assert page.get_attribute(field, "aria-required") == "true"
        label = page.locator(f"label:has({field})")
        assert "(required)" in label.inner_text()
    pin = page.locator("#report-map .leaflet-marker-icon")
    assert pin.get_attribute("aria-label").startswith("The camera’s place")
    box = pin.bounding_box()
    assert box["width"] >= 44 and box["height"] >= 44
    place_pin(page)
    before = float(page.input_value("#lat")), float(page.input_value("#lon"))
    pin.focus()
    page.keyboard.press("ArrowUp")
    page.keyboard.press("ArrowRight")
    after = float(page.input_value("#lat")), float(page.input_value("#lon"))
    assert after[0] > before[0] and after[1] > before[1]  # north and east, as pressed


def test_the_photo_location_button_waits_for_a_photo_with_gps(live_server, phone):
    page, _ = open_form(phone, live_server)
    assert not page.locator("#use-photo-location").is_visible()
    page.set_input_files("#photos", {"name": "a.jpg", "mimeType": "image/jpeg", "buffer": jpeg_bytes(800, 600)})
    page.wait_for_selector("#previews img")
    assert not page.locator("#use-photo-location").is_visible()  # a photo without GPS offers nothing
    page.click("#previews button")
    page.set_input_files("#photos", photo_file())
    page.wait_for_selector("#use-photo-location", state="visible")


def test_a_report_waiting_on_the_phone_is_shown_at_the_top_of_every_page(live_server, phone):
    page, _ = open_form(phone, live_server)
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.context.set_offline(True)
    place_pin(page)
    page.fill("#note", "made offline")
    page.click("#send")
    page.wait_for_selector("#send-status[data-kind=queued]")
    assert in_view(page, "#send-status")  # the answer is where the reporter pressed Send

    page.reload()  # offline, from the service worker: the next visit says the report still waits
    page.wait_for_selector("#outbox .outbox-item[data-state=waiting]")
    assert top_of(page, "#outbox") < 200
    page.evaluate("window.scrollTo(0, 0)")
    phone.screenshot("report-outbox-waiting")
    assert count_sightings() == 0

    # The report page is closed before the connection returns: open, it would send the report itself when it goes
    # online (and did, before the next page looked, on a loaded machine).
    context = page.context
    page.close()
    context.set_offline(False)
    other = context.new_page()  # another page of the site, with the report page closed
    other.goto(live_server + "/municipalities/?lang=en")
    banner = other.locator("#outbox-banner")
    banner.wait_for(state="visible")
    assert banner.bounding_box()["y"] < 120 and "1" in banner.inner_text()
    other.screenshot(path=str(ARTIFACTS / "report-outbox-banner-phone.png"))
    other.click("#outbox-banner a")  # the report page sends it and says so at the top
    other.wait_for_selector("#outbox-notice:not([hidden])")
    assert top_of(other, "#outbox") < 200
    assert count_sightings() == 1 and other.evaluate(OUTBOX_COUNT) == 0
    other.goto(live_server + "/about?lang=en")
    other.wait_for_timeout(300)
    assert other.locator("#outbox-banner").is_hidden()  # nothing waits any more
