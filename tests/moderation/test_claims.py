"""Soft claims: opening a pending item tells the other moderators someone is on it, for a while; it never stops
them from deciding, it is not in the moderation log, and nobody outside moderation sees it."""

from datetime import timedelta

from sqlalchemy import func, select, update

from app.extensions import db
from app.models import ModerationEvent, ModeratorClaim
from app.moderation.claims import CLAIM_LIFETIME
from app.vocabulary import SightingState
from tests.factories import make_moderator, make_sighting
from tests.web import csrf_token, new_client, post_form, sign_in

LOOKING = "upravo pregleda ovu prijavu"


def _open(client, sighting) -> str:
    """Open the item as a browser does: the page, then its script's claim."""
    url = f"/moderation/sightings/{sighting.id}"
    page = client.get(url).get_data(as_text=True)
    assert client.post(f"{url}/claim", data={"csrf_token": csrf_token(page)}).status_code == 204
    return page


def _two_moderators(app):
    ana, boris = new_client(app), new_client(app)
    sign_in(ana, make_moderator("ana@example.org"))
    sign_in(boris, make_moderator("boris@example.org"))
    return ana, boris


def test_an_open_item_shows_in_the_queue_and_on_the_item_for_the_others_only(app):
    ana, boris = _two_moderators(app)
    sighting = make_sighting(reference="OPENED")

    assert LOOKING not in _open(ana, sighting)

    queue = boris.get("/moderation").get_data(as_text=True)
    item = _open(boris, sighting)
    assert f"ana@example.org {LOOKING} (od" in queue and f"ana@example.org {LOOKING}" in item
    theirs = ana.get("/moderation").get_data(as_text=True)  # Boris has it open now; her own claim is not news to her
    assert f"boris@example.org {LOOKING}" in theirs and f"ana@example.org {LOOKING}" not in theirs
    assert db.session.scalar(select(func.count()).select_from(ModerationEvent)) == 0  # not a moderation event


def test_a_claim_never_blocks_the_other_moderator(app):
    ana, boris = _two_moderators(app)
    sighting = make_sighting()
    _open(ana, sighting)

    url = f"/moderation/sightings/{sighting.id}"
    page = boris.get(url).get_data(as_text=True)
    version = str(sighting.version)
    response = boris.post(f"{url}/approve", data={"csrf_token": csrf_token(page), "version": version})

    assert response.status_code == 303
    db.session.refresh(sighting)
    assert sighting.state is SightingState.APPROVED
    assert LOOKING not in boris.get("/moderation").get_data(as_text=True)  # only pending items are listed


def test_a_claim_lapses_unless_renewed_and_ends_when_the_page_is_left(app):
    ana, boris = _two_moderators(app)
    sighting = make_sighting()
    url = f"/moderation/sightings/{sighting.id}"
    page = _open(ana, sighting)
    first = db.session.scalars(select(ModeratorClaim)).one()
    since = first.claimed_at

    # Renewed while the page stays open: the look still began when the page was opened.
    assert post_form(ana, url, f"{url}/claim", {}).status_code == 204
    db.session.refresh(first)
    assert first.claimed_at == since and first.expires_at > since + CLAIM_LIFETIME - timedelta(seconds=5)

    db.session.execute(update(ModeratorClaim).values(expires_at=func.now() - timedelta(seconds=1)))
    assert LOOKING not in boris.get("/moderation").get_data(as_text=True)

    ana.post(f"{url}/claim", data={"csrf_token": csrf_token(page)})
    assert LOOKING in boris.get("/moderation").get_data(as_text=True)
    assert ana.post(f"{url}/release", data={"csrf_token": csrf_token(page)}).status_code == 204
    assert LOOKING not in boris.get("/moderation").get_data(as_text=True)


def test_renewing_needs_a_moderator_and_the_csrf_token(app, client):
    sighting = make_sighting()
    assert client.post(f"/moderation/sightings/{sighting.id}/claim").status_code in (302, 400, 401)
    ana = new_client(app)
    sign_in(ana, make_moderator("ana@example.org"))
    assert ana.post(f"/moderation/sightings/{sighting.id}/claim").status_code == 400
    assert db.session.scalars(select(ModeratorClaim)).all() == []
