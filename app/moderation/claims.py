"""Soft claims: a moderator who opens a pending sighting claims it for a few minutes, renewed while the page stays
open. Others see "X is looking at this"; nobody is ever stopped from deciding. Claims are not moderation events."""

from collections import defaultdict
from datetime import timedelta

from sqlalchemy import case, delete, func, select
from sqlalchemy.dialects.postgresql import insert

from app.database import get_or_404
from app.extensions import db
from app.models import ModeratorClaim, Sighting, User
from app.vocabulary import SightingState

CLAIM_LIFETIME = timedelta(minutes=10)
# How often an open item page renews its claim: well within the lifetime, so one lost request does not drop it.
RENEW_EVERY = timedelta(minutes=3)


def claim(sighting_id: int, moderator: User) -> None:
    """Record, or renew, that `moderator` has the sighting open (only while it is pending)."""
    sighting = get_or_404(Sighting, sighting_id)
    if sighting.state is not SightingState.PENDING:
        return
    now = func.now()
    statement = insert(ModeratorClaim).values(
        sighting_id=sighting_id, moderator_id=moderator.id, claimed_at=now, expires_at=now + CLAIM_LIFETIME
    )
    # A renewal keeps the time the look began; a claim that had lapsed starts a new look.
    statement = statement.on_conflict_do_update(
        index_elements=[ModeratorClaim.sighting_id, ModeratorClaim.moderator_id],
        set_={
            "expires_at": statement.excluded.expires_at,
            "claimed_at": case(
                (ModeratorClaim.expires_at < now, statement.excluded.claimed_at), else_=ModeratorClaim.claimed_at
            ),
        },
    )
    db.session.execute(statement)
    db.session.commit()


def release(sighting_id: int, moderator: User) -> None:
    """The moderator left the item: their claim ends now."""
    db.session.execute(
        delete(ModeratorClaim).where(
            ModeratorClaim.sighting_id == sighting_id, ModeratorClaim.moderator_id == moderator.id
        )
    )
    db.session.commit()


def others_looking(sighting_ids: list[int], moderator: User) -> defaultdict[int, list[ModeratorClaim]]:
    """Live claims of other moderators on these sightings, by sighting, the earliest look first."""
    query = (
        select(ModeratorClaim)
        .where(
            ModeratorClaim.sighting_id.in_(sighting_ids),
            ModeratorClaim.moderator_id != moderator.id,
            ModeratorClaim.expires_at > func.now(),
        )
        .order_by(ModeratorClaim.claimed_at)
    )
    looking: defaultdict[int, list[ModeratorClaim]] = defaultdict(list)
    for found in db.session.scalars(query):
        looking[found.sighting_id].append(found)
    return looking
