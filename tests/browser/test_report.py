"""Reporting from a phone in a real browser: with JavaScript, without it, and offline."""

import pytest
from PIL import Image
from sqlalchemy import select

from app.extensions import db
from app.models import Sighting
from tests.browser.report_page import OUTBOX_COUNT, count_sightings, open_form, place_pin
from tests.factories import BUDAPEST, make_camera
from tests.submissions.images import BLUE, GPS_DECIMAL, RED, SERIAL, metadata_groups, phone_photo


def photo_file(name: str = "IMG_0001.JPG") -> dict:
    return {"name": name, "mimeType": "image/jpeg", "buffer": phone_photo(1200, 600, orientation=6)}


def near(pixel, color, tolerance=60) -> bool:
    return all(abs(a - b) <= tolerance for a, b in zip(pixel, color, strict=False))


def test_a_phone_reports_with_a_photo_whose_exif_has_gps_and_a_serial(live_server, phone, photo_dir):
    camera = make_camera(GPS_DECIMAL[1] + 0.0001, GPS_DECIMAL[0])  # about 8 m from where the photo was taken
    page, errors = open_form(phone, live_server)

    place_pin(page, *BUDAPEST)
    page.wait_for_selector("#municipality[data-outside=true]")
    assert "Outside the area we cover" in page.inner_text("#municipality")

    page.set_input_files("#photos", photo_file())
    page.wait_for_selector("#previews img")
    page.click("#use-photo-location")  # offered because the photo carries GPS, read before re-encoding

    assert float(page.input_value("#lat")) == pytest.approx(GPS_DECIMAL[0], abs=1e-4)
    assert float(page.input_value("#lon")) == pytest.approx(GPS_DECIMAL[1], abs=1e-4)
    page.wait_for_selector("#nearby input[name=nearby_choice]")
    assert "Stari grad" in page.inner_text("#municipality")
    page.check(f"#nearby input[value='{camera.id}']")
    page.check("input[name=camera_type][value=dome]")
    page.select_option("#manufacturer", "Huawei")
    phone.screenshot("report-filled")
    page.click("#send")
    page.wait_for_url("**/report/thanks/**")
    phone.screenshot("report-receipt")

    sighting = db.session.scalar(select(Sighting))
    assert sighting.reference in page.inner_text("#reference")
    assert sighting.confirms_camera_id == camera.id and sighting.state.value == "pending"
    display = photo_dir / sighting.photos[0].display_key
    thumb = photo_dir / sighting.photos[0].thumb_key
    for path in (display, thumb):
        assert metadata_groups(path) == set()
        assert SERIAL.encode() not in path.read_bytes()
    image = Image.open(display)
    assert image.height > image.width  # upright: the phone's rotation was applied once, not twice or never
    assert near(image.getpixel((image.width // 2, 10)), RED)
    assert near(image.getpixel((image.width // 2, image.height - 10)), BLUE)
    assert errors == [] and phone.foreign_requests(live_server) == []


def test_without_javascript_the_form_still_reports(live_server, open_page, photo_dir):
    page = open_page("phone", java_script_enabled=False).page
    page.goto(live_server + "/report?lang=en")
    assert page.is_hidden("#report-map")
    place_pin(page)
    page.set_input_files("#photos", photo_file())
    page.check("input[name=capabilities][value=facial_recognition]")
    page.click("#send")
    page.wait_for_url("**/report/thanks/**")

    sighting = db.session.scalar(select(Sighting))
    assert sighting.reference in page.inner_text("#reference")
    assert [claim.capability.value for claim in sighting.capabilities] == ["facial_recognition"]
    display = photo_dir / sighting.photos[0].display_key
    assert metadata_groups(display) == set()
    assert Image.open(display).height > Image.open(display).width


def test_a_report_made_offline_is_delivered_exactly_once_when_back_online(live_server, phone, photo_dir):
    page, errors = open_form(phone, live_server)
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")

    page.context.set_offline(True)
    place_pin(page)
    page.set_input_files("#photos", photo_file())
    page.wait_for_selector("#previews img")
    page.click("#send")
    page.wait_for_selector("#send-status[data-kind=queued]")
    assert page.evaluate(OUTBOX_COUNT) == 1
    assert count_sightings() == 0

    page.context.set_offline(False)
    page.wait_for_selector("#send-status[data-kind=delivered]")
    assert count_sightings() == 1
    reference = db.session.scalar(select(Sighting.reference))
    assert reference in page.inner_text("#send-status")
    assert page.evaluate(OUTBOX_COUNT) == 0  # deleted from the phone

    page.reload()  # the next visit sends nothing again
    page.wait_for_selector("#report-map .leaflet-tile-loaded")
    page.wait_for_timeout(500)
    assert count_sightings() == 1 and errors == []


def test_an_offline_report_waits_on_the_phone_until_the_next_visit(live_server, phone, photo_dir):
    page, _ = open_form(phone, live_server)
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")

    page.context.set_offline(True)
    page.reload()  # the service worker keeps the page
    page.wait_for_selector("#send")
    place_pin(page)
    page.fill("#note", "made offline")
    page.click("#send")
    page.wait_for_selector("#send-status[data-kind=queued]")
    page.close()
    assert count_sightings() == 0

    page.context.set_offline(False)
    later = page.context.new_page()
    later.goto(live_server + "/report?lang=en")
    later.wait_for_selector("#send-status[data-kind=delivered]")
    assert count_sightings() == 1
    assert db.session.scalar(select(Sighting.note)) == "made offline"
    assert later.evaluate(OUTBOX_COUNT) == 0


def test_the_receipt_shows_the_withdrawal_secret_from_the_fragment_and_withdraws_the_report(
    live_server, phone, photo_dir
):
    page, errors = open_form(phone, live_server)
    place_pin(page)
    page.set_input_files("#photos", photo_file())
    page.wait_for_selector("#previews img")
    page.click("#send")
    page.wait_for_url("**/report/thanks/**")

    secret = page.inner_text("#withdrawal-secret-shown")
    assert len(secret) == 29 and page.input_value("#withdrawal-secret") == secret
    assert "#" not in page.url  # dropped from the address bar and the history
    phone.screenshot("report-receipt-withdrawal")
    page.click("#withdraw")
    page.wait_for_selector("#withdrawn")

    assert count_sightings() == 0
    assert not [path for path in photo_dir.rglob("*") if path.is_file()]
    assert errors == [] and phone.foreign_requests(live_server) == []
