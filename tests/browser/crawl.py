"""The page crawl that checks of every page share (languages, the base map, phone layout): the pages a visitor and a
moderator reach, the data that makes each of them non-empty, and how to tell a page's maps have drawn."""

from datetime import date

from app.extensions import db
from app.vocabulary import Capability, Evidence, Role, SightingState
from tests.factories import BECEJ_CODE, make_camera, make_moderator, make_photo, make_sighting

GNJILANE_CODE = "46174442B68038755437200"  # a Kosovo unit: Gjilan in Albanian, Гњилане in Cyrillic

# Each map element, and what it has when its script has drawn it.
MAPS_READY = {
    "#map": "#map[data-ready]",
    "#moderation-map": "#moderation-map[data-ready]",
    "#report-map": "#report-map .leaflet-tile-loaded",
    "#camera-map": "#camera-map[data-ready]",
}


def crawl_paths(camera_id: int, sighting_id: int, reference: str) -> dict[str, list[str]]:
    """The pages a visitor and a moderator reach, by who may see them."""
    return {
        "public": [
            "/",
            "/report",
            f"/report?confirms={camera_id}",
            f"/report/thanks/{reference}",
            "/municipalities/",
            "/municipalities/map",
            f"/municipalities/{BECEJ_CODE}",
            f"/municipalities/{GNJILANE_CODE}",
            f"/cameras/{camera_id}",
            "/cameras/",
            f"/cameras/?municipality={BECEJ_CODE}&capability=facial_recognition",
            "/data",
            "/about",
            "/methodology",
            "/login",
            "/no-such-page",
        ],
        "moderation": [
            "/moderation",
            f"/moderation/sightings/{sighting_id}",
            f"/moderation/cameras/{camera_id}",
            "/admin/audit",
            "/admin/users",
            "/admin/declared",
            "/account",
        ],
    }


def seed_crawl():
    camera = make_camera(manufacturer=None)
    db.session.flush()
    confirmed = make_sighting(camera_id=camera.id, state=SightingState.APPROVED, photos=1)
    pending = make_sighting(
        20.45695, 44.81763, submitted_on=date(2026, 11, 2), capabilities={Capability.AUDIO: Evidence.SUSPECTED}
    )
    make_photo(pending)
    admin = make_moderator("admin@example.org", Role.ADMIN)
    db.session.commit()
    return camera, confirmed, pending, admin


def visit(page, url: str, frames: bool = True) -> None:
    """Open a page and wait until its maps have drawn, and the Folium frame's base map unless `frames` is False."""
    page.goto(url)
    page.wait_for_load_state("load")
    if page.locator("#open-choropleth").count():  # a phone: the interactive choropleth is one tap away
        page.click("#open-choropleth")
    for element, ready in MAPS_READY.items():
        if page.locator(element).count():
            page.wait_for_selector(ready, state="attached")
    if frames and page.locator("iframe").count():
        page.frame_locator("iframe").first.locator(".leaflet-tile-loaded").first.wait_for(state="attached")
