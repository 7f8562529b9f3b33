"""The public record of one camera: what it is, how we know, and what moderators did (without who)."""

from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from app.errors import NotFound
from app.extensions import db
from app.models import Camera, ModerationEvent, Photo, Sighting
from app.vocabulary import SightingState, osm_tags


@dataclass(frozen=True)
class PublicEvent:
    action: str
    day: date
    reason: str | None


@dataclass
class CameraRecord:
    camera: Camera
    photos: list[Photo]
    history: list[PublicEvent]
    tags: dict[str, str]
    lon: float
    lat: float


# Sightings whose photos are public: they are part of the camera's verified record.
PUBLIC_SIGHTING_STATES = (SightingState.APPROVED, SightingState.MERGED)


def _public_sightings(camera_id: int):
    return select(Sighting.id).where(Sighting.camera_id == camera_id, Sighting.state.in_(PUBLIC_SIGHTING_STATES))


def camera_record(camera_id: int) -> CameraRecord:
    """Everything the camera page shows; raises NotFound for an unknown id."""
    found = db.session.execute(
        select(Camera, func.ST_X(Camera.location), func.ST_Y(Camera.location))
        .where(Camera.id == camera_id)
        .options(selectinload(Camera.capabilities), selectinload(Camera.municipality))
    ).first()
    if found is None:
        raise NotFound(_("There is no camera with this number."))
    camera, lon, lat = found
    photos = list(
        db.session.scalars(
            select(Photo)
            .where(Photo.sighting_id.in_(_public_sightings(camera_id)))
            .order_by(Photo.sighting_id, Photo.position)
            .limit(24)
        )
    )
    # Actor ids stay out: the public sees what was done and why, never by whom.
    events = db.session.execute(
        select(ModerationEvent.action, ModerationEvent.occurred_at, ModerationEvent.reason)
        .where(
            or_(
                (ModerationEvent.target_type == "camera") & (ModerationEvent.target_id == camera_id),
                (ModerationEvent.target_type == "sighting")
                & ModerationEvent.target_id.in_(_public_sightings(camera_id)),
            )
        )
        .order_by(ModerationEvent.occurred_at, ModerationEvent.id)
    )
    history = [PublicEvent(action, occurred.date(), reason) for action, occurred, reason in events]
    return CameraRecord(camera, photos, history, osm_tags(camera, check_date=camera.last_confirmed_on), lon, lat)


def public_photo(camera_id: int, photo_id: int) -> Photo:
    """A photo of a verified sighting of this camera; NotFound for anything else (pending photos stay private)."""
    photo = db.session.scalar(
        select(Photo).where(Photo.id == photo_id, Photo.sighting_id.in_(_public_sightings(camera_id)))
    )
    if photo is None:
        raise NotFound(_("This photo does not exist."))
    return photo
