"""The Atom feeds, read by feedparser as a feed reader would: exactly the verified cameras, newest first, by day."""

import re
from datetime import UTC, date, datetime

import feedparser
import pytest
from sqlalchemy import text

from app.extensions import db
from app.feeds.services import FEED_LENGTH
from app.moderation import events, services
from app.vocabulary import Capability, Evidence, Manufacturer
from tests.factories import BECEJ, BECEJ_CODE, STARI_GRAD, make_camera, make_moderator, make_sighting

SECRET_NOTE = "Marko from the kiosk took this at 14:32"
# Verification days; the clock says 10:42:17 on each, a moment no feed may print.
DAYS = [date(2026, 11, 3), date(2026, 11, 9), date(2026, 11, 9), date(2026, 11, 21)]


@pytest.fixture
def verified(monkeypatch):
    """Four sightings approved on DAYS (two in Bečej), one merged into the first, one camera approved and then
    marked removed, one pending sighting and one camera that no moderator approved."""
    moderator = make_moderator()
    clock = {"now": datetime(2026, 11, 1, 10, 42, 17, tzinfo=UTC)}
    monkeypatch.setattr(events, "utcnow", lambda: clock["now"])
    places = [STARI_GRAD, BECEJ, (STARI_GRAD[0] + 0.001, STARI_GRAD[1]), (BECEJ[0] + 0.001, BECEJ[1])]
    cameras = []
    for day, (lon, lat) in zip(DAYS, places, strict=True):
        clock["now"] = datetime.combine(day, datetime.min.time().replace(hour=10, minute=42, second=17), tzinfo=UTC)
        sighting = make_sighting(
            lon, lat, note=SECRET_NOTE, manufacturer=Manufacturer.DAHUA, model="IPC6625-Z30",
            capabilities={Capability.FACIAL_RECOGNITION: Evidence.MODEL_IDENTIFIED},
        )  # fmt: skip
        cameras.append(services.approve(sighting.id, moderator))
    clock["now"] = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)
    services.merge(make_sighting(*STARI_GRAD, note=SECRET_NOTE).id, cameras[0].id, moderator)
    gone = services.approve(make_sighting(20.46, 44.82).id, moderator)
    services.set_camera_status(gone.id, "removed", moderator, reason="taken down")
    make_sighting(20.4575, 44.8180, note=SECRET_NOTE)  # pending
    make_camera(20.4580, 44.8182)  # on the map, but no approval in the log
    db.session.commit()
    return cameras


def _independently(municipality_code: str | None = None) -> list[tuple[int, date]]:
    """The feed's expected entries from the log and the cameras, in plain SQL."""
    rows = db.session.execute(
        text(
            "SELECT c.id, (e.occurred_at AT TIME ZONE 'UTC')::date FROM moderation_events e "
            "JOIN cameras c ON c.id = (e.details ->> 'camera_id')::int "
            "LEFT JOIN municipalities m ON m.id = c.municipality_id "
            "WHERE e.action = 'approve' AND c.status <> 'removed' AND (CAST(:code AS text) IS NULL OR m.code = :code) "
            "ORDER BY e.id DESC"
        ),
        {"code": municipality_code},
    )
    return [(row[0], row[1]) for row in rows]


def _read(client, url: str):
    response = client.get(url)
    assert response.status_code == 200
    assert response.mimetype == "application/atom+xml"
    body = response.get_data(as_text=True)
    parsed = feedparser.parse(body)
    assert not parsed.bozo, parsed.get("bozo_exception")
    return parsed, body


def _entries(parsed) -> list[tuple[int, date]]:
    found = []
    for entry in parsed.entries:
        camera_id = int(re.search(r"/cameras/(\d+)", entry.link).group(1))
        found.append((camera_id, date(*entry.updated_parsed[:3])))
        assert entry.updated_parsed[3:6] == (0, 0, 0)  # midnight: the day, nothing more
    return found


def test_the_site_feed_lists_exactly_the_verified_cameras_newest_verification_first(client, verified):
    parsed, body = _read(client, "/feeds/cameras.atom?lang=en")

    assert parsed.version == "atom10"
    assert _entries(parsed) == _independently()
    assert [camera_id for camera_id, _ in _entries(parsed)][:4] == [c.id for c in reversed(verified)]
    # The newest listed verification: the camera approved on the 25th was removed since and is not listed.
    assert date(*parsed.feed.updated_parsed[:3]) == DAYS[-1]
    assert parsed.feed.links[0].rel == "alternate"
    first = parsed.entries[-1]
    assert "Dahua IPC6625-Z30" in first.summary and "Facial recognition" in first.summary
    assert first.where["coordinates"] == pytest.approx(STARI_GRAD, abs=1e-6)  # GeoRSS point
    assert "10:42" not in body and "T09:00" not in body
    assert SECRET_NOTE not in body and "mod@example.org" not in body


def test_a_municipality_feed_lists_only_its_cameras_in_the_readers_language(client, verified):
    parsed, _body = _read(client, f"/feeds/municipalities/{BECEJ_CODE}.atom?lang=sr-Cyrl")

    assert _entries(parsed) == _independently(BECEJ_CODE) == [(verified[3].id, DAYS[3]), (verified[1].id, DAYS[1])]
    assert "Бечеј" in parsed.feed.title
    assert parsed.feed.language == "sr-Cyrl"
    assert client.get("/feeds/municipalities/no-such-place.atom").status_code == 404


def test_a_feed_holds_at_most_fifty_cameras(client):
    moderator = make_moderator()
    for i in range(FEED_LENGTH + 2):
        services.approve(make_sighting(20.40 + i * 0.001, 44.80).id, moderator)
    parsed, _body = _read(client, "/feeds/cameras.atom")
    assert len(parsed.entries) == FEED_LENGTH
    assert [camera_id for camera_id, _ in _entries(parsed)] == [row[0] for row in _independently()][:FEED_LENGTH]


def test_the_pages_a_feed_follows_point_at_it(client, verified):
    home = client.get("/?lang=en").get_data(as_text=True)
    link = r'<link rel="alternate" type="application/atom\+xml"[^>]+href="/feeds/cameras.atom\?lang=en"'
    assert re.search(link, home)
    page = client.get(f"/municipalities/{BECEJ_CODE}?lang=en").get_data(as_text=True)
    assert f'href="/feeds/municipalities/{BECEJ_CODE}.atom?lang=en"' in page
    assert 'rel="alternate" type="application/atom+xml"' in page
