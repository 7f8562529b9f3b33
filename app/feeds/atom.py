"""The Atom documents, written by feedgen: titles and summaries in the reader's language, GeoRSS points."""

from datetime import UTC, date, datetime, time

from feedgen.feed import FeedGenerator
from flask import url_for
from flask_babel import gettext as _

from app.feeds.services import VerifiedCamera
from app.geo import COORDINATE_DECIMALS
from app.i18n import current_tag, place_name
from app.models import Municipality
from app.models.columns import today

AUTHOR = "Hiljade kamera contributors"  # the data set's credit (ODbL), never a reporter or a moderator


def midnight(day: date) -> datetime:
    """The day as Atom's date-time: midnight UTC, so no entry says more than its day."""
    return datetime.combine(day, time(0), tzinfo=UTC)


def coordinates(lat: float, lon: float) -> str:
    return f"{lat:.{COORDINATE_DECIMALS}f}, {lon:.{COORDINATE_DECIMALS}f}"


def _summary(item: VerifiedCamera) -> str:
    camera = item.camera
    parts = []
    if camera.camera_type:
        parts.append(camera.camera_type.label)
    if camera.manufacturer:
        parts.append(" ".join(filter(None, [camera.manufacturer.label, camera.model])))
    parts.extend(f"{claim.capability.label} ({claim.evidence.label})" for claim in camera.capabilities)
    parts.append(coordinates(item.lat, item.lon))
    return " · ".join(parts)


def _entry_title(item: VerifiedCamera) -> str:
    camera = item.camera
    title = f"{camera.surveillance_type.label} {camera.id}"
    return f"{title} · {place_name(camera.municipality)}" if camera.municipality else title


def camera_feed(items: list[VerifiedCamera], municipality: Municipality | None = None) -> bytes:
    """An Atom feed of these cameras in the given order; `updated` is the newest verification day."""
    if municipality is None:
        title = _("Thousands of Cameras: newly verified cameras")
        self_url = url_for("feeds.cameras", _external=True)
        feed_id = url_for("feeds.cameras", lang=None, _external=True)
        page_url = url_for("camera_list.index", _external=True)
    else:
        title = _("Newly verified cameras in %(place)s", place=place_name(municipality))
        self_url = url_for("feeds.municipality", code=municipality.code, _external=True)
        feed_id = url_for("feeds.municipality", code=municipality.code, lang=None, _external=True)
        page_url = url_for("municipalities.detail", code=municipality.code, _external=True)
    feed = FeedGenerator()
    feed.load_extension("geo")
    feed.id(feed_id)
    feed.title(title)
    feed.subtitle(_("The cameras the moderators verified most recently, newest first, each dated to its day."))
    feed.author(name=AUTHOR)
    feed.link(href=page_url, rel="alternate", type="text/html")
    feed.link(href=self_url, rel="self", type="application/atom+xml")
    feed.language(current_tag())
    feed.rights(_("Open Database License (ODbL 1.0)"))
    feed.updated(midnight(items[0].verified_on if items else today()))
    for item in items:
        camera = item.camera
        entry = feed.add_entry(order="append")
        entry.id(url_for("cameras.detail", camera_id=camera.id, lang=None, _external=True))
        entry.title(_entry_title(item))
        entry.link(href=url_for("cameras.detail", camera_id=camera.id, _external=True), rel="alternate")
        entry.updated(midnight(item.verified_on))
        entry.summary(_summary(item))
        for claim in camera.capabilities:
            entry.category(term=claim.capability.value, label=claim.capability.label)
        entry.geo.point(f"{item.lat:.{COORDINATE_DECIMALS}f} {item.lon:.{COORDINATE_DECIMALS}f}")
    return feed.atom_str(pretty=True)
