"""A queue item a moderator can decide at a glance: on the commonest laptop screen (1366×768) the first photo, the
map, the claims and the three decisions are on screen without scrolling; on a phone everything stacks in one column
without sideways scrolling. Screenshots are kept in test-artifacts/ for a reader to look at."""

import io
import random
from datetime import date

from PIL import Image
from sqlalchemy import select

from app.extensions import db
from app.models import ModeratorClaim
from app.vocabulary import Capability, Evidence
from tests.browser.test_moderation import sign_in
from tests.factories import make_camera, make_moderator, make_photo, make_sighting


def phone_photo(width: int, height: int, seed: int) -> bytes:
    """A display-size JPEG (the pipeline's 1600 px longest side) with a phone photo's entropy, not a flat colour."""
    noise = random.Random(seed).randbytes(width // 4 * (height // 4) * 3)
    image = Image.frombytes("RGB", (width // 4, height // 4), noise).resize((width, height), Image.BILINEAR)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85)
    return out.getvalue()


def busy_sighting():
    """A pending sighting as they come: two photos (landscape, portrait), several claims, a long note, a camera
    5 m away to merge into."""
    make_camera(20.45695, 44.81763)
    sighting = make_sighting(
        20.4569,
        44.8176,
        submitted_on=date(2026, 11, 1),
        note="Na stubu iznad pešačkog prelaza, okrenuta ka školi. Ima dve kamere, jedna je kupola.",
        capabilities={
            Capability.FACIAL_RECOGNITION: Evidence.SUSPECTED,
            Capability.NUMBER_PLATE_RECOGNITION: Evidence.PROCUREMENT_DOCUMENT,
            Capability.AUDIO: Evidence.OFFICIAL_STATEMENT,
        },
    )
    make_photo(sighting, 0, phone_photo(1600, 1200, 1))
    make_photo(sighting, 1, phone_photo(1200, 1600, 2))
    db.session.commit()
    return sighting


# What a decision needs in view: the first photo, the map, the claims, each decision's button.
ESSENTIALS = {
    "photo": ".photo img.zoomable >> nth=0",
    "map": "#moderation-map",
    "claims": "ul.claims",
    "approve": "#approve-form [type=submit]",
    "merge": "#merge-form [type=submit]",
    "reject": "#reject-form [type=submit]",
}


# The part of an element the reader sees: its box cut by the window and by every ancestor that scrolls or clips.
SHOWN_BOX = """(el) => {
  let r = el.getBoundingClientRect();
  let box = { left: r.left, top: r.top, right: r.right, bottom: r.bottom, width: r.width, height: r.height };
  const cut = (c) => {
    box.left = Math.max(box.left, c.left); box.top = Math.max(box.top, c.top);
    box.right = Math.min(box.right, c.right); box.bottom = Math.min(box.bottom, c.bottom);
  };
  cut({ left: 0, top: 0, right: window.innerWidth, bottom: window.innerHeight });
  for (let a = el.parentElement; a; a = a.parentElement) {
    if (getComputedStyle(a).overflow !== "visible") { cut(a.getBoundingClientRect()); }
  }
  return { shown: Math.max(0, box.right - box.left) * Math.max(0, box.bottom - box.top), whole: r.width * r.height };
}"""


def _open_item(page, live_server, sighting) -> None:
    page.goto(f"{live_server}/moderation/sightings/{sighting.id}")
    page.wait_for_selector("#moderation-map[data-ready]")
    page.wait_for_function("[...document.querySelectorAll('img.zoomable')].every((img) => img.naturalWidth > 0)")


def test_on_a_laptop_the_photo_map_claims_and_decisions_are_in_view_without_scrolling(live_server, desktop):
    page = desktop.page
    sighting = busy_sighting()
    sign_in(page, live_server, make_moderator())
    page.wait_for_url("**/moderation?lang=*")
    _open_item(page, live_server, sighting)
    desktop.screenshot("queue-item")

    assert page.evaluate("window.scrollY") == 0
    seen = {name: page.locator(selector).evaluate(SHOWN_BOX) for name, selector in ESSENTIALS.items()}
    hidden = {name: area for name, area in seen.items() if area["whole"] == 0 or area["shown"] < area["whole"] - 1}
    assert hidden == {}, f"not wholly in the 1366×768 window without scrolling: {hidden}"
    photo = page.locator(ESSENTIALS["photo"]).bounding_box()
    assert photo["height"] >= 240, "the photo is bounded, not shrunk to a thumbnail"
    # The page's script claimed the item on opening (a POST; the GET changed nothing).
    page.wait_for_function("performance.getEntriesByType('resource').some((e) => e.name.includes('/claim'))")
    assert db.session.scalars(select(ModeratorClaim.sighting_id)).all() == [sighting.id]


def test_on_a_phone_the_item_is_one_column_without_sideways_scrolling(live_server, phone):
    page = phone.page
    sighting = busy_sighting()
    sign_in(page, live_server, make_moderator())
    page.wait_for_url("**/moderation?lang=*")
    _open_item(page, live_server, sighting)
    phone.screenshot("queue-item")

    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    tops = [page.locator(ESSENTIALS[name]).bounding_box()["y"] for name in ("photo", "map", "claims", "approve")]
    assert tops == sorted(tops), "photo, map, claims, then the decisions, one below the other"
