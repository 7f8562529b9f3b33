"""Canonical content of sightings, cameras and photos, and its hash: the before/after of every event.

A sighting's hash is keyed (HMAC-SHA256 under the site's key): the log is append-only and outlives the sighting
(withdrawn, or purged after rejection), and a plain SHA-256 of a position with few other fields set could be
found again by trying every point of a street. Cameras and photos are public; their hashes stay plain SHA-256.
"""

import hashlib
import hmac
import json
from typing import Any

from flask import current_app
from sqlalchemy import func, select

from app.extensions import db
from app.models import Camera, Photo, Sighting
from app.vocabulary import DESCRIPTION_FIELDS


def canonical_json(data: Any) -> str:
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def sha256(data: Any) -> str:
    return hashlib.sha256(canonical_json(data).encode()).hexdigest()


def keyed_sha256(data: Any) -> str:
    """HMAC-SHA256 of the canonical JSON under the site's key: what the log keeps of a sighting's content."""
    key = current_app.config["SECRET_KEY"]
    key = key.encode() if isinstance(key, str) else key
    return hmac.new(key, b"sighting-content\0" + canonical_json(data).encode(), hashlib.sha256).hexdigest()


def _value(value: Any) -> Any:
    return getattr(value, "value", value)


def coordinates(model: type[Sighting] | type[Camera], row_id: int) -> tuple[float, float]:
    """(lon, lat) of a stored row, read from PostGIS (the ORM attribute may still be an SQL expression)."""
    db.session.flush()
    row = db.session.execute(
        select(func.ST_X(model.location), func.ST_Y(model.location)).where(model.id == row_id)
    ).one()
    return round(row[0], 7), round(row[1], 7)


def description(obj: Sighting | Camera) -> dict[str, Any]:
    return {name: _value(getattr(obj, name)) for name in DESCRIPTION_FIELDS}


def sighting_content(sighting: Sighting) -> dict[str, Any]:
    lon, lat = coordinates(Sighting, sighting.id)
    return {
        **description(sighting),
        "lon": lon,
        "lat": lat,
        "note": sighting.note,
        "state": _value(sighting.state),
        "camera_id": sighting.camera_id,
        "decision_reason": sighting.decision_reason,
        "capabilities": {_value(c.capability): _value(c.evidence) for c in sighting.capabilities},
        "photos": [photo.sha256 for photo in sighting.photos],
    }


def camera_content(camera: Camera) -> dict[str, Any]:
    lon, lat = coordinates(Camera, camera.id)
    return {
        **description(camera),
        "lon": lon,
        "lat": lat,
        "status": _value(camera.status),
        "confirmation_count": camera.confirmation_count,
        "first_confirmed_on": camera.first_confirmed_on.isoformat(),
        "last_confirmed_on": camera.last_confirmed_on.isoformat(),
        "capabilities": {_value(c.capability): _value(c.evidence) for c in camera.capabilities},
    }


def photo_content(photo: Photo) -> dict[str, Any]:
    return {"sha256": photo.sha256, "width": photo.width, "height": photo.height, "sighting_id": photo.sighting_id}


def content_hash(obj: Sighting | Camera | Photo | None) -> str | None:
    if obj is None:
        return None
    if isinstance(obj, Sighting):
        return keyed_sha256(sighting_content(obj))
    if isinstance(obj, Camera):
        return sha256(camera_content(obj))
    return sha256(photo_content(obj))
