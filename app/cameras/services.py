"""The public record of one camera: what it is, how we know, and what moderators did (without who)."""

from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from app.database import MISSING
from app.errors import NotFound
from app.extensions import db
from app.geo import COORDINATE_DECIMALS
from app.models import Camera, Photo, Sighting
from app.moderation.events import public_history
from app.vocabulary import DESCRIPTION_FIELDS, PUBLIC_SIGHTING_STATES, osm_tags


@dataclass
class CameraRecord:
    camera: Camera
    photos: list[Photo]
    history: list[dict]  # app.moderation.events.public_history: day, action label, public details
    tags: dict[str, str]
    lon: float
    lat: float


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
        raise NotFound(str(MISSING[Camera]))
    camera, lon, lat = found
    photos = list(
        db.session.scalars(
            select(Photo)
            .where(Photo.sighting_id.in_(_public_sightings(camera_id)))
            .order_by(Photo.sighting_id, Photo.position)
            .limit(24)
        )
    )
    # One definition of what the public may see of the log: no moderators, no free-text reasons.
    history = public_history(camera_id)
    return CameraRecord(camera, photos, history, osm_tags(camera, check_date=camera.last_confirmed_on), lon, lat)


def camera_json(record: CameraRecord) -> dict[str, Any]:
    """The public record of one camera as GET /api/v1/cameras/<id> gives it (an allowlist of fields)."""
    camera, municipality = record.camera, record.camera.municipality
    return {
        "id": camera.id,
        "status": camera.status.value,
        "location": {
            "longitude": round(record.lon, COORDINATE_DECIMALS),
            "latitude": round(record.lat, COORDINATE_DECIMALS),
        },
        "municipality": {"code": municipality.code, "name": municipality.name} if municipality else None,
        **{name: getattr(getattr(camera, name), "value", getattr(camera, name)) for name in DESCRIPTION_FIELDS},
        "capabilities": [
            {"capability": claim.capability.value, "evidence": claim.evidence.value} for claim in camera.capabilities
        ],
        "confirmation_count": camera.confirmation_count,
        "first_confirmed_on": camera.first_confirmed_on.isoformat(),
        "last_confirmed_on": camera.last_confirmed_on.isoformat(),
        "osm_tags": record.tags,
    }


def public_photo(camera_id: int, photo_id: int) -> Photo:
    """A photo of a verified sighting of this camera; NotFound for anything else (pending photos stay private)."""
    photo = db.session.scalar(
        select(Photo).where(Photo.id == photo_id, Photo.sighting_id.in_(_public_sightings(camera_id)))
    )
    if photo is None:
        raise NotFound(_("This photo does not exist."))
    return photo
