"""A moderator's morning: sign in with TOTP, approve, merge, reject, check the log, sign out."""

import io
from datetime import date

from PIL import Image
from sqlalchemy import select

from app.extensions import db
from app.models import Camera, ModerationEvent, Photo
from app.photos.storage import storage
from app.vocabulary import Role, SightingState
from tests.factories import make_moderator, make_photo, make_sighting, totp_now
from tests.web import PASSWORD


def sign_in(page, live_server: str, user) -> None:
    """Password, then the authenticator's code, as a moderator types them."""
    page.goto(live_server + "/login")
    page.fill("#email", user.email)
    page.fill("#password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url("**/login/code?lang=*")
    page.fill("#code", totp_now(user.totp_secret))
    page.click("input[type=submit]")


def test_sign_in_approve_merge_reject_then_sign_out_everywhere(live_server, desktop, open_page):
    page = desktop.page
    admin = make_moderator("urednica@example.org", Role.ADMIN)
    first = make_sighting(20.4569, 44.8176, submitted_on=date(2026, 11, 1), photos=1)
    second = make_sighting(20.45695, 44.81763, submitted_on=date(2026, 11, 2))  # about 5 m away
    third = make_sighting(20.4700, 44.8100, submitted_on=date(2026, 11, 3))
    db.session.commit()

    page.clock.install()  # the decision countdowns run on a clock the test moves on
    sign_in(page, live_server, admin)
    page.wait_for_url("**/moderation?lang=*")
    assert page.inner_text("[data-pending-total]") == "3"
    captured = page.context.cookies()

    page.click("text=" + "Počni od najstarije")
    page.wait_for_selector("#moderation-map[data-ready]")
    page.wait_for_function("() => document.querySelector('img.zoomable').naturalWidth > 0")  # a function: CSP
    desktop.screenshot("moderation-item")
    page.keyboard.press("a")  # a single key starts a countdown and sends nothing yet
    assert "Odobravanje za 5 s" in page.inner_text("#countdown-message")
    assert page.evaluate("document.activeElement.id") == "countdown-cancel"
    desktop.screenshot("moderation-countdown")
    page.clock.run_for(3000)
    page.keyboard.press("Escape")
    # On a Serbian Cyrillic keyboard the A key types "а" (Cyrillic); it must still start the countdown.
    page.evaluate("document.body.dispatchEvent(new KeyboardEvent('keydown', {key: 'а', code: 'KeyA', bubbles: true}))")
    assert "Odobravanje za 5 s" in page.inner_text("#countdown-message")
    page.keyboard.press("Escape")
    page.clock.run_for(10_000)
    assert page.locator("#countdown-cancel").is_hidden()
    assert f"/moderation/sightings/{first.id}" in page.url
    db.session.refresh(first)
    assert first.state is SightingState.PENDING

    page.keyboard.press("a")
    page.clock.run_for(4000)
    with page.expect_navigation():
        page.clock.run_for(1000)  # approved after the 5 s

    assert f"/moderation/sightings/{second.id}" in page.url
    assert page.locator(".nearby [data-camera]").count() == 1  # the new camera, 5 m away
    page.keyboard.press("m")  # merge into the suggested (nearest) camera
    page.keyboard.press("Enter")  # on the focused Cancel button: stops it
    assert page.locator("#countdown-cancel").is_hidden()
    page.keyboard.press("m")
    with page.expect_navigation():
        page.clock.run_for(5000)

    assert f"/moderation/sightings/{third.id}" in page.url
    page.keyboard.press("r")  # no reason chosen yet: r goes to the reason
    assert page.evaluate("document.activeElement.id") == "reject-category"
    page.select_option("#reject-category", "not_a_camera")
    page.fill("#reject-note", "a lamp post")
    page.keyboard.press("Enter")  # Enter in the note is one key too: a countdown, not a submission
    assert page.locator("#countdown-cancel").is_visible()
    with page.expect_navigation():
        page.clock.run_for(5000)
    assert "Ništa ne čeka" in page.inner_text("main")

    cameras = db.session.scalars(select(Camera)).all()
    assert len(cameras) == 1 and cameras[0].confirmation_count == 2
    db.session.expire_all()
    assert [s.state for s in (first, second, third)] == [
        SightingState.APPROVED,
        SightingState.MERGED,
        SightingState.REJECTED,
    ]
    assert second.camera_id == first.camera_id == cameras[0].id

    page.goto(live_server + "/admin/audit")
    rows = page.locator("tr[data-event]")
    assert rows.count() == 3
    assert [rows.nth(i).get_attribute("data-action") for i in range(3)] == ["reject", "merge", "approve"]
    # The note stays on the sighting (purged with it): the append-only log shows the category only.
    assert "Nije kamera" in rows.nth(0).inner_text() and "a lamp post" not in rows.nth(0).inner_text()
    assert admin.email in rows.nth(0).inner_text()
    assert page.locator("[data-chain=intact]").count() == 1
    assert len(db.session.scalars(select(ModerationEvent)).all()) == 3
    desktop.screenshot("moderation-audit")

    page.click("text=Odjavi se")
    page.wait_for_url("**/login?lang=*")

    stolen = open_page("desktop").page  # another browser, with the signed-out session's cookies
    stolen.context.add_cookies(captured)
    stolen.goto(live_server + "/moderation")
    assert stolen.url.startswith(live_server + "/login")
    assert desktop.foreign_requests(live_server) == []


def test_drawing_a_rectangle_blurs_that_part_of_the_photo(live_server, desktop):
    page = desktop.page
    moderator = make_moderator()
    sighting = make_sighting(photos=0)
    board = Image.new("RGB", (400, 300), (255, 255, 255))
    for x in range(0, 400, 4):
        for y in range(300):
            if (x // 4 + y // 4) % 2:
                for dx in range(4):
                    board.putpixel((x + dx, y), (0, 0, 0))
    out = io.BytesIO()
    board.save(out, "PNG")
    photo = make_photo(sighting, data=out.getvalue())
    db.session.commit()

    sign_in(page, live_server, moderator)
    page.wait_for_url("**/moderation?lang=*")
    page.goto(f"{live_server}/moderation/sightings/{sighting.id}")
    page.wait_for_function("() => document.querySelector('img.zoomable').naturalWidth > 0")  # a function: CSP

    page.click(".zoom-toggle")
    assert page.locator(".photo-frame.zoomed").count() == 1
    page.click(".zoom-toggle")
    page.click(".blur-toggle")
    page.locator("img.zoomable").scroll_into_view_if_needed()
    box = page.locator("img.zoomable").bounding_box()
    page.mouse.move(box["x"] + box["width"] * 0.5, box["y"] + box["height"] * 0.1)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] * 0.9, box["y"] + box["height"] * 0.9, steps=5)
    page.mouse.up()
    assert page.locator(".blur-box").count() == 1
    desktop.screenshot("moderation-blur")
    with page.expect_navigation():
        page.click(".blur-form input[type=submit]")

    db.session.expire_all()
    blurred = Image.open(io.BytesIO(storage().open(db.session.get(Photo, photo.id).display_key))).convert("L")
    inside = [blurred.getpixel((x, y)) for x in range(240, 340) for y in range(60, 240)]
    outside = [blurred.getpixel((x, y)) for x in range(20, 150) for y in range(60, 240)]
    assert max(inside) - min(inside) < 100 < max(outside) - min(outside)
    assert "zamućeni" in page.inner_text("main")
    assert desktop.foreign_requests(live_server) == []


def test_bulk_reject_of_a_page_is_three_clicks_select_all_reject_confirm(live_server, desktop):
    page = desktop.page
    spam = [make_sighting(20.46 + i / 10_000, 44.81, reference=f"SPAM{i:02d}") for i in range(21)]
    db.session.commit()
    sign_in(page, live_server, make_moderator())
    page.wait_for_url("**/moderation?lang=*")

    assert page.locator("#bulk-form [type=submit]").is_disabled()  # nothing selected yet
    page.check("#select-all")  # click 1
    assert page.inner_text("#bulk-count") == "Izabrano: 21 od 21"
    assert page.input_value("#bulk-form [type=submit]") == "Odbij izabrane (21)"
    page.locator("tr[data-sighting] input[type=checkbox]").first.uncheck()
    assert page.inner_text("#bulk-count") == "Izabrano: 20 od 21"
    assert page.evaluate("document.getElementById('select-all').indeterminate")
    page.check("#select-all")
    with page.expect_navigation():
        page.click("#bulk-form [type=submit]")  # click 2: the confirmation, nothing rejected yet
    assert "Odbiti 21 izabranu prijavu?" in page.inner_text("h1")  # Serbian: 21 takes the singular
    assert page.locator(".bulk-list li").count() == 21
    db.session.expire_all()
    assert all(s.state is SightingState.PENDING for s in spam)
    desktop.screenshot("moderation-bulk-confirm")
    with page.expect_navigation():
        page.click("#bulk-confirm-form [type=submit]")  # click 3

    assert "Odbijena je 21 prijava." in page.inner_text("main")
    db.session.expire_all()
    assert all(s.state is SightingState.REJECTED for s in spam)
    assert desktop.foreign_requests(live_server) == []
