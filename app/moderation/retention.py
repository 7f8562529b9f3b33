"""Retention: drop idempotency keys of sightings decided over a week ago, and delete rejected sightings entirely.

A decided sighting keeps its idempotency key and payload hash for IDEMPOTENCY_KEY_DAYS, so a phone's offline
queue retrying a report whose answer was lost gets the original receipt instead of creating a new sighting.
A rejected sighting is deleted with its photos, claims and capabilities REJECTED_RETENTION_DAYS (configurable,
30 by default) after the rejection. The log keeps one event per sighting without content; the earlier events of
that sighting hold only keyed hashes of its content (app/moderation/content.py).
"""

from dataclasses import dataclass
from datetime import date, timedelta

from flask import current_app
from sqlalchemy import select, update

from app.extensions import db
from app.models import Sighting
from app.models.columns import today
from app.moderation import events
from app.photos.services import photo_transaction
from app.vocabulary import SightingState

IDEMPOTENCY_KEY_DAYS = 7


@dataclass
class RetentionResult:
    keys_dropped: int
    photos_purged: int
    sightings_purged: int


def rejected_retention_days() -> int:
    """How long a rejected sighting is kept after the rejection (REJECTED_RETENTION_DAYS)."""
    return current_app.config["REJECTED_RETENTION_DAYS"]


def _drop_keys(on_day: date) -> int:
    return db.session.execute(
        update(Sighting)
        .where(Sighting.state != SightingState.PENDING)
        .where(Sighting.decided_on < on_day - timedelta(days=IDEMPOTENCY_KEY_DAYS))
        .where((Sighting.idempotency_key_sha256.is_not(None)) | (Sighting.payload_hash.is_not(None)))
        .values(idempotency_key_sha256=None, payload_hash=None)
        .execution_options(synchronize_session=False)
    ).rowcount


def run_retention(on_day: date | None = None) -> RetentionResult:
    """Idempotent: safe to run daily (cron or systemd timer)."""
    on_day = on_day or today()
    cutoff = on_day - timedelta(days=rejected_retention_days())
    expired = (
        select(Sighting)
        .where(Sighting.state == SightingState.REJECTED, Sighting.decided_on < cutoff)
        .order_by(Sighting.id)
        .with_for_update(skip_locked=True)
    )
    photos = 0
    with photo_transaction() as change:
        dropped = _drop_keys(on_day)
        sightings = list(db.session.scalars(expired))
        for sighting in sightings:
            for photo in sighting.photos:
                change.delete_after_commit(photo.display_key, photo.thumb_key)
            photos += len(sighting.photos)
            sighting_id = sighting.id
            db.session.delete(sighting)
            db.session.flush()
            # No reason, hashes or details: only that a rejected sighting with this id is gone.
            events.record(None, events.Action.RETENTION_PURGE, "sighting", sighting_id)
    return RetentionResult(dropped, photos, len(sightings))
