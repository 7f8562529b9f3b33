"""Full-size phone photos through the JavaScript form, the upload's progress bar, and the outbox on failures."""

import io
import json
import re

import pytest
from PIL import Image
from sqlalchemy import select

from app.extensions import db
from app.models import Sighting
from tests.browser.report_page import OUTBOX_COUNT, count_sightings, open_form, place_pin
from tests.factories import BUDAPEST
from tests.photocorpus import GPS_LAT, GPS_LON, SERIAL, photo, upright_top_is_red

API = "**/api/v1/sightings*"  # the API address carries ?lang=
UUID4 = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")
OUTBOX_STATES = "ReportQueue.all().then(items => items.map(item => item.state))"


def choose(page, *names: str) -> None:
    page.set_input_files("#photos", [str(photo(name)) for name in names])
    photos_ready(page, len(names))


def photos_ready(page, count: int) -> None:
    page.wait_for_selector(f"#previews[data-count='{count}']:not([data-busy])", state="attached")


def expect_receipt(page, timeout: float = 15_000) -> None:
    """Wait for the receipt page; if the form says why it did not get there, fail with its words."""
    answer = "#reference, #send-status[data-kind=error], #send-status[data-kind=queued]"
    page.locator(answer).first.wait_for(timeout=timeout)
    if "/report/thanks/" not in page.url:
        pytest.fail(f"no receipt; the page says: {page.inner_text('#send-status')!r}")


@pytest.fixture
def wire(app, monkeypatch) -> list[tuple[str, bytes]]:
    """The (Content-Type, body) of every report POST as it arrived over HTTP: what left the phone."""
    bodies: list[tuple[str, bytes]] = []
    inner = app.wsgi_app

    def recording(environ, start_response):
        if environ["REQUEST_METHOD"] == "POST" and environ["PATH_INFO"] == "/api/v1/sightings":
            body = environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
            environ["wsgi.input"] = io.BytesIO(body)
            bodies.append((environ.get("CONTENT_TYPE", ""), body))
        return inner(environ, start_response)

    monkeypatch.setattr(app, "wsgi_app", recording)
    return bodies


def sent_photos(content_type: str, body: bytes) -> list[tuple[bytes, bytes]]:
    """The `photos` parts of a multipart body: (part headers, bytes)."""
    boundary = content_type.split("boundary=")[1].encode()
    parts = [part.split(b"\r\n\r\n", 1) for part in body.split(b"--" + boundary)[1:-1]]
    return [(head, data[: -len(b"\r\n")]) for head, data in parts if b'name="photos"' in head]


def stored_photo(photo_dir) -> Image.Image:
    sighting = db.session.scalar(select(Sighting))
    return Image.open(photo_dir / sighting.photos[0].display_key)


def test_a_12_megapixel_jpeg_is_redrawn_upright_without_its_metadata_and_received(live_server, phone, photo_dir, wire):
    page, errors = open_form(phone, live_server)
    place_pin(page)
    choose(page, "jpeg-12mp-portrait")
    page.wait_for_selector("#previews img")
    assert page.is_visible("#use-photo-location")  # the EXIF GPS was read before the photo was redrawn
    page.click("#use-photo-location")
    assert float(page.input_value("#lat")) == pytest.approx(GPS_LAT[0] + GPS_LAT[1] / 60 + GPS_LAT[2] / 3600, abs=1e-4)
    assert float(page.input_value("#lon")) == pytest.approx(GPS_LON[0] + GPS_LON[1] / 60 + GPS_LON[2] / 3600, abs=1e-4)
    phone.screenshot("upload-jpeg-12mp-chosen")

    page.click("#send")
    expect_receipt(page)
    phone.screenshot("upload-jpeg-12mp-receipt")

    ((_, uploaded),) = sent_photos(*wire[0])
    assert len(uploaded) < photo("jpeg-12mp-portrait").stat().st_size // 3  # redrawn at 2048 px on the phone
    assert SERIAL.encode() not in uploaded and b"Exif" not in uploaded[:64]
    with Image.open(io.BytesIO(uploaded)) as redrawn:
        assert max(redrawn.size) == 2048 and redrawn.height > redrawn.width
    image = stored_photo(photo_dir)
    assert image.height > image.width and upright_top_is_red(image)
    assert errors == [] and phone.foreign_requests(live_server) == []


@pytest.mark.parametrize("mime_type", ["image/heic", ""], ids=["typed", "untyped"])
def test_a_heic_photo_is_sent_as_it_is_and_stored_upright(live_server, phone, photo_dir, wire, mime_type):
    page, errors = open_form(phone, live_server)
    place_pin(page)
    original = photo("heic-12mp-orientation-6").read_bytes()
    page.set_input_files("#photos", {"name": "IMG_0004.HEIC", "mimeType": mime_type, "buffer": original})
    photos_ready(page, 1)
    # Chromium cannot show HEIC: a note instead of a preview, and no photo-location button (no JPEG EXIF to read).
    page.wait_for_selector("#previews li span")
    assert "cleaned on the server" in page.inner_text("#previews")
    assert page.is_hidden("#use-photo-location")
    phone.screenshot(f"upload-heic-{'typed' if mime_type else 'untyped'}-chosen")

    page.click("#send")
    expect_receipt(page)

    ((head, uploaded),) = sent_photos(*wire[0])
    assert uploaded == original  # unchanged: the server decodes, rotates and strips it
    assert b'filename="photo-1.heic"' in head  # not the phone's own file name (it can carry the time)
    image = stored_photo(photo_dir)
    assert image.height > image.width and upright_top_is_red(image)
    assert errors == [] and phone.foreign_requests(live_server) == []


def test_heif_is_recognised_by_its_signature(live_server, phone):
    page, _ = open_form(phone, live_server)
    verdicts = page.evaluate(
        """async () => {
          const box = (major, compatible) => new Uint8Array([0, 0, 0, 16 + 4 * compatible.length,
            ...new TextEncoder().encode("ftyp" + major + "\\0\\0\\0\\0" + compatible.join(""))]);
          const cases = {
            heic: box("heic", ["mif1", "heic"]), heix: box("heix", ["mif1"]), hevc: box("hevc", ["msf1"]),
            mif1: box("mif1", ["mif1", "heic"]), avif: box("avif", ["avif", "mif1", "miaf"]),
            avifAsMif1: box("mif1", ["avif", "miaf"]), jpeg: new Uint8Array([0xff, 0xd8, 0xff, 0xe1, 0, 16]),
          };
          const out = {};
          for (const [name, bytes] of Object.entries(cases)) {
            out[name] = await ReportPhotos.isHeif(new Blob([bytes]));
          }
          out.typedOnly = await ReportPhotos.isHeif(new Blob([new Uint8Array(8)], {type: "image/heif"}));
          return out;
        }"""
    )
    assert verdicts == {
        "heic": True, "heix": True, "hevc": True, "mif1": True,
        "avif": False, "avifAsMif1": False, "jpeg": False, "typedOnly": True,
    }  # fmt: skip


def test_a_throttled_upload_shows_its_progress(live_server, phone, photo_dir):
    page, errors = open_form(phone, live_server)
    place_pin(page)
    choose(page, "jpeg-12mp-landscape-8mb", "jpeg-12mp-portrait")
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send(
        "Network.emulateNetworkConditions",
        {"offline": False, "latency": 150, "downloadThroughput": -1, "uploadThroughput": 400 * 1024},
    )
    page.click("#send")
    page.wait_for_function(
        """() => { const bar = document.querySelector('#send-progress');
                   return !bar.closest('[hidden]') && bar.value > 0 && bar.value < 100; }"""
    )
    seen = page.evaluate("document.querySelector('#send-progress').value")
    label = page.inner_text("label[for=send-progress]")
    phone.screenshot("upload-progress-throttled")
    assert 0 < seen < 100
    assert re.fullmatch(r"Sending… \d{1,2} %", label)
    assert page.get_attribute("#send-progress", "max") == "100"
    expect_receipt(page, timeout=60_000)
    assert len(db.session.scalar(select(Sighting)).photos) == 2
    assert errors == []


def test_a_server_error_keeps_the_report_on_the_phone_until_a_later_send_delivers_it(live_server, phone, photo_dir):
    page, errors = open_form(phone, live_server)
    keys: list[str] = []

    def proxy_down(route):
        keys.append(route.request.headers["idempotency-key"])
        route.fulfill(status=503, content_type="text/html", body="<h1>503 Service Unavailable</h1>")

    page.route(API, proxy_down)
    place_pin(page)
    page.fill("#note", "pole by the bakery")
    choose(page, "jpeg-12mp-portrait")
    page.click("#send")
    page.wait_for_selector("#send-status[data-kind=queued]")
    status = page.inner_text("#send-status")
    assert "could not take the report just now" in status and "saved on this phone" in status
    assert page.evaluate(OUTBOX_STATES) == ["waiting"]
    page.wait_for_selector("#outbox .outbox-item")
    assert "pole by the bakery" in page.inner_text("#outbox")
    assert "could not take the report just now" in page.inner_text("#outbox .outbox-reason")
    phone.screenshot("upload-503-status")
    page.locator("#outbox").scroll_into_view_if_needed()
    phone.screenshot("upload-503-kept-in-outbox")
    assert count_sightings() == 0

    page.unroute(API)
    with page.expect_request(API) as retry:
        page.click("#outbox button[name=send-now]")
    page.wait_for_selector("#send-status[data-kind=delivered]")
    phone.screenshot("upload-503-then-delivered")
    assert count_sightings() == 1
    reference = db.session.scalar(select(Sighting.reference))
    assert reference in page.inner_text("#send-status") and reference in page.inner_text("#outbox-notice")
    assert page.evaluate(OUTBOX_COUNT) == 0 and page.locator("#outbox .outbox-item").count() == 0
    assert UUID4.match(keys[0]) and retry.value.headers["idempotency-key"] == keys[0]  # the same report, once
    page.reload()
    page.wait_for_selector("#report-map .leaflet-tile-loaded")
    page.wait_for_timeout(300)
    assert count_sightings() == 1 and errors == []


@pytest.mark.parametrize("failure", ["connectionfailed", "timedout"])
def test_a_network_failure_keeps_the_report_with_the_reason(live_server, phone, failure):
    page, errors = open_form(phone, live_server)
    page.route(API, lambda route: route.abort(failure))
    place_pin(page)
    page.click("#send")
    page.wait_for_selector("#send-status[data-kind=queued]")
    assert "The connection broke off while sending." in page.inner_text("#send-status")
    assert page.evaluate(OUTBOX_STATES) == ["waiting"]
    page.unroute(API)
    page.click("#outbox button[name=send-now]")
    page.wait_for_selector("#send-status[data-kind=delivered]")
    assert count_sightings() == 1 and page.evaluate(OUTBOX_COUNT) == 0 and errors == []


def test_a_stalled_upload_times_out_and_the_report_waits(live_server, phone):
    page, errors = open_form(phone, live_server)
    page.route(API, lambda route: None)  # never answered: the connection hangs
    page.evaluate("ReportQueue.stallMs = 1500")
    place_pin(page)
    page.click("#send")
    page.wait_for_selector("#send-status[data-kind=queued]")
    assert "The connection stalled while sending." in page.inner_text("#send-status")
    assert page.evaluate(OUTBOX_STATES) == ["waiting"] and errors == []


def test_a_photo_refused_as_too_large_is_marked_and_everything_typed_is_kept(live_server, phone, photo_dir):
    page, errors = open_form(phone, live_server)
    message = "Photo 2 is larger than 25 MB."
    envelope = {"error": {"code": "photo_too_large", "message": message,
                          "details": {"fields": {"photos": [message]}, "photo": 2}}}  # fmt: skip
    page.route(API, lambda route: route.fulfill(status=413, content_type="application/json", body=json.dumps(envelope)))
    place_pin(page)
    page.fill("#note", "two photos, one too big")
    page.check("input[name=camera_type][value=dome]")
    choose(page, "jpeg-orientation-1", "jpeg-orientation-6")
    page.click("#send")
    page.wait_for_selector("#send-status[data-kind=error]")
    assert message in page.inner_text("#send-status")
    assert "or discard it" in page.inner_text("#send-status")
    assert page.inner_text("#previews li.refused .field-error") == message
    assert page.locator("#previews li").nth(1).get_attribute("class") == "refused"  # the second one, by number
    assert page.input_value("#note") == "two photos, one too big" and page.is_checked("input[value=dome]")
    assert page.evaluate(OUTBOX_STATES) == ["refused"] and page.is_visible("#discard")
    assert page.is_hidden("#outbox")  # the refused report is the one in the form
    phone.screenshot("upload-413-photo-marked")
    page.locator("#step-send").scroll_into_view_if_needed()
    phone.screenshot("upload-413-status")

    page.unroute(API)
    page.click("#previews li.refused button")  # remove the photo the server refused
    page.click("#send")
    expect_receipt(page)
    sighting = db.session.scalar(select(Sighting))
    assert sighting.note == "two photos, one too big" and len(sighting.photos) == 1
    page.goto(live_server + "/report?lang=en")
    assert page.evaluate(OUTBOX_COUNT) == 0 and errors == []


def test_a_refused_report_waits_on_the_phone_to_be_edited_after_a_reload(live_server, phone, photo_dir):
    # In Serbian, the server's own words; the pin is in Budapest, outside the area covered.
    page, errors = open_form(phone, live_server, lang="sr_Latn")
    place_pin(page, *BUDAPEST)
    page.fill("#note", "van granice")
    choose(page, "jpeg-orientation-6")
    page.click("#send")
    page.wait_for_selector("#send-status[data-kind=error]")
    assert "Pomerite oznaku." in page.inner_text("#send-status")
    assert page.get_attribute("#lat", "aria-invalid") == "true"
    assert page.inner_text("#js-lat-error") == "Van oblasti koju pokrivamo."
    phone.screenshot("upload-422-field-marked-sr")

    page.reload()  # the reporter leaves; the report stays on the phone, marked as refused
    page.wait_for_selector("#outbox .outbox-item[data-state=refused]")
    assert "Pomerite oznaku." in page.inner_text("#outbox .outbox-reason")
    page.locator("#outbox").scroll_into_view_if_needed()
    phone.screenshot("upload-422-outbox-after-reload-sr")
    page.click("#outbox button[name=edit]")
    assert page.input_value("#note") == "van granice" and page.get_attribute("#previews", "data-count") == "1"
    assert page.is_hidden("#outbox") and page.is_visible("#discard")
    place_pin(page)
    page.click("#send")
    expect_receipt(page)
    assert count_sightings() == 1 and db.session.scalar(select(Sighting.note)) == "van granice"
    assert errors == []


def test_discarding_a_report_is_explicit(live_server, phone):
    page, errors = open_form(phone, live_server)
    page.route(API, lambda route: route.fulfill(status=500, content_type="application/json", body="{}"))
    place_pin(page)
    page.click("#send")
    page.wait_for_selector("#outbox .outbox-item")
    page.once("dialog", lambda dialog: dialog.dismiss())
    page.click("#outbox button[name=discard]")
    page.wait_for_timeout(200)
    assert page.evaluate(OUTBOX_COUNT) == 1  # said no: still there
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("#outbox button[name=discard]")
    page.wait_for_selector("#outbox", state="hidden")
    assert page.evaluate(OUTBOX_COUNT) == 0 and errors == []
