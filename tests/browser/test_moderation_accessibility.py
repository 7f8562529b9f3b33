"""The moderation pages pass axe-core (node_modules/axe-core, a dev dependency in package.json) with no violation:
the queue (with select-all and another moderator's claim), an item (also while a countdown runs), the bulk reject
confirmation, a camera and the moderation log, on the laptop screen and on the phone."""

import json

import pytest

from app.extensions import db
from app.moderation import claims, services
from app.vocabulary import Role
from tests.browser.axe import axe_violations
from tests.browser.test_moderation import sign_in
from tests.browser.test_queue_layout import busy_sighting
from tests.factories import make_moderator, make_sighting


@pytest.mark.parametrize("screen_name", ["desktop", "phone"])
def test_the_moderation_pages_have_no_axe_violations(live_server, open_page, screen_name):
    page = open_page(screen_name).page
    admin = make_moderator("urednica@example.org", Role.ADMIN)
    other = make_moderator("ana@example.org")
    sighting = busy_sighting()
    decided = make_sighting(20.47, 44.81)
    camera = services.approve(decided.id, admin, reason="clearly a dome camera")
    claims.claim(sighting.id, other)
    db.session.commit()

    page.clock.install()
    sign_in(page, live_server, admin)
    page.wait_for_url("**/moderation?lang=*")
    found = {}
    page.wait_for_selector("#select-all", state="visible")
    page.check("#select-all")
    found["queue"] = axe_violations(page)

    page.click("#bulk-form [type=submit]")
    page.wait_for_selector("#bulk-confirm-form")
    found["bulk confirmation"] = axe_violations(page)

    page.goto(f"{live_server}/moderation/sightings/{sighting.id}")
    page.wait_for_selector("#moderation-map[data-ready]")
    found["item"] = axe_violations(page)
    page.keyboard.press("a")
    found["item, counting down"] = axe_violations(page)
    page.keyboard.press("Escape")

    page.goto(f"{live_server}/moderation/cameras/{camera.id}")
    found["camera"] = axe_violations(page)
    page.goto(f"{live_server}/admin/audit")
    found["log"] = axe_violations(page)

    assert {name: v for name, v in found.items() if v} == {}, json.dumps(found, indent=1)
