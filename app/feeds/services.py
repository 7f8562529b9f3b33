"""Which cameras a feed lists: the newest verifications, read from the moderation log's approvals."""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.models import Camera, Municipality
from app.moderation.events import approvals

# At most this many entries a feed: a reader polls it, a researcher wanting everything downloads the data.
FEED_LENGTH = 50


@dataclass
class VerifiedCamera:
    camera: Camera
    verified_on: date  # the day (UTC) a moderator approved it; the moment stays in the moderation log
    lon: float
    lat: float


def newly_verified(municipality: Municipality | None = None, limit: int = FEED_LENGTH) -> list[VerifiedCamera]:
    """Cameras on the map, newest verification first (the order of the approvals in the log), at most `limit`."""
    approval = approvals()
    query = (
        select(Camera, approval.c.verified_on, func.ST_X(Camera.location), func.ST_Y(Camera.location))
        .join(approval, approval.c.camera_id == Camera.id)
        .where(Camera.on_map)
        .options(selectinload(Camera.capabilities), selectinload(Camera.municipality))
        .order_by(approval.c.event_id.desc())
        .limit(limit)
    )
    if municipality is not None:
        query = query.where(Camera.municipality_id == municipality.id)
    return [VerifiedCamera(camera, day, lon, lat) for camera, day, lon, lat in db.session.execute(query)]
