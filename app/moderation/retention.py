"""Retention: drop idempotency keys of sightings decided over a week ago, and purge rejected sightings' photos.

A decided sighting keeps its idempotency key and payload hash for IDEMPOTENCY_KEY_DAYS, so a phone's offline
queue retrying a report whose answer was lost gets the original receipt instead of creating a new sighting.
"""

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select, update

from app.extensions import db
from app.models import Photo, Sighting
from app.models.columns import today
from app.moderation import events
from app.photos.services import photo_transaction
from app.vocabulary import SightingState

REJECTED_PHOTO_DAYS = 30
IDEMPOTENCY_KEY_DAYS = 7


@dataclass
class RetentionResult:
    keys_dropped: int
    photos_purged: int
    sightings_purged: int


def run_retention(on_day=None) -> RetentionResult:
    """Idempotent: safe to run daily (cron or systemd timer)."""
    on_day = on_day or today()
    dropped = db.session.execute(
        update(Sighting)
        .where(Sighting.state != SightingState.PENDING)
        .where(Sighting.decided_on < on_day - timedelta(days=IDEMPOTENCY_KEY_DAYS))
        .where((Sighting.idempotency_key_sha256.is_not(None)) | (Sighting.payload_hash.is_not(None)))
        .values(idempotency_key_sha256=None, payload_hash=None)
        .execution_options(synchronize_session=False)
    ).rowcount
    cutoff = on_day - timedelta(days=REJECTED_PHOTO_DAYS)
    rows = db.session.execute(
        select(Photo.id, Photo.sighting_id, Photo.display_key, Photo.thumb_key)
        .join(Sighting, Sighting.id == Photo.sighting_id)
        .where(Sighting.state == SightingState.REJECTED, Sighting.decided_on < cutoff)
        .order_by(Photo.sighting_id, Photo.id)
    ).all()
    by_sighting: dict[int, int] = {}
    with photo_transaction() as change:
        for row in rows:
            by_sighting[row.sighting_id] = by_sighting.get(row.sighting_id, 0) + 1
            change.delete_after_commit(row.display_key, row.thumb_key)
            db.session.delete(db.session.get(Photo, row.id))
        for sighting_id, count in by_sighting.items():
            events.record(
                None,
                events.Action.RETENTION_PURGE_PHOTOS,
                "sighting",
                sighting_id,
                reason=f"rejected more than {REJECTED_PHOTO_DAYS} days ago",
                details={"photos": count},
            )
    return RetentionResult(dropped, len(rows), len(by_sighting))
