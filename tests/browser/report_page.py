"""Driving the report page `/report` in the browser: what both report test modules do the same way."""

from sqlalchemy import func, select

from app.extensions import db
from app.models import Sighting
from tests.factories import STARI_GRAD

OUTBOX_COUNT = "ReportQueue.all().then(items => items.length)"  # reports kept on the phone (IndexedDB)


def count_sightings() -> int:
    return db.session.scalar(select(func.count()).select_from(Sighting))


def open_form(screen, live_server: str, lang: str = "en"):
    """Open the report page once its map has drawn; returns the page and a list that collects its script errors."""
    page = screen.page
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(live_server + f"/report?lang={lang}")
    page.wait_for_selector("#report-map .leaflet-tile-loaded")
    return page, errors


def place_pin(page, lon: float = STARI_GRAD[0], lat: float = STARI_GRAD[1]) -> None:
    """Type the coordinates, as a reporter without GPS does; leaving the field moves the pin."""
    page.fill("#lat", str(lat))
    page.fill("#lon", str(lon))
    page.press("#lon", "Tab")
