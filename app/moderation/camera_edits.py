"""Moderators correct verified cameras: fields, claims and position, directly, from a correction or in a merge.

Every change appends a `camera_edit` event whose details hold the camera's fields before and after (camera data
only: never a reporter's note, and a reporter's position only once it has become the camera's). The public
history shows it as "corrected" with the day; exports and tiles read the camera, so they change at once (every
write to `cameras` or `camera_capabilities` bumps `map_data_version`, which keys the tile and density caches).
"""

from typing import Any

from flask_babel import gettext as _
from sqlalchemy import func, select

from app import geo
from app.database import get_or_404, stale_is_conflict
from app.errors import Conflict, ValidationFailed
from app.extensions import db
from app.input_guards import has_control_characters
from app.models import Camera, CameraCapability, Municipality, Sighting, User
from app.moderation import events
from app.moderation.content import content_hash, coordinates
from app.moderation.reasons import clean_reason
from app.vocabulary import DESCRIPTION_FIELDS, CameraStatus, Capability, Evidence

POSITION = "position"
CAPABILITIES = "capabilities"
# What a moderator may take from a sighting into a camera, one by one (a merge's or a correction's choices).
TAKEABLE = (*DESCRIPTION_FIELDS, POSITION, CAPABILITIES)


def _plain(value: Any) -> Any:
    return getattr(value, "value", value)


def _fields(row: Camera | Sighting) -> dict[str, Any]:
    lon, lat = coordinates(type(row), row.id)
    return {
        **{name: _plain(getattr(row, name)) for name in DESCRIPTION_FIELDS},
        "lon": lon,
        "lat": lat,
        CAPABILITIES: {_plain(c.capability): _plain(c.evidence) for c in row.capabilities},
    }


def camera_fields(camera: Camera) -> dict[str, Any]:
    """The camera's correctable fields as stored: descriptive fields, lon/lat and the claims with their evidence."""
    return _fields(camera)


def proposed_fields(sighting: Sighting) -> dict[str, Any]:
    """A sighting's fields in the shape of camera_fields, to set beside the camera it names."""
    return _fields(sighting)


def covered(lon: float, lat: float) -> bool:
    """Whether a point lies in a municipality we cover."""
    point = geo.point(lon, lat)
    return db.session.scalar(select(func.count()).where(func.ST_Covers(Municipality.boundary, point))) > 0


def _move(camera: Camera, lon: Any, lat: Any, before: dict[str, Any]) -> None:
    try:
        lon, lat = float(lon), float(lat)
    except (TypeError, ValueError) as error:
        raise ValidationFailed(_("Coordinates must be numbers.")) from error
    if not (-180 <= lon <= 180 and -90 <= lat <= 90):
        raise ValidationFailed(_("The coordinates are out of range."))
    if (round(lon, 7), round(lat, 7)) == (before["lon"], before["lat"]):
        return
    if not covered(lon, lat):
        raise ValidationFailed(_("The pin is outside every municipality we cover."))
    camera.location = geo.point(lon, lat)


def apply_changes(
    camera: Camera, changes: dict[str, Any], capabilities: dict[Capability, Evidence] | None, before: dict[str, Any]
) -> None:
    """Write `changes` (model values; "lon"/"lat" move it) and, if given, replace the claims."""
    if any(isinstance(value, str) and has_control_characters(value) for value in changes.values()):
        raise ValidationFailed(_("This contains characters we cannot store."))
    for name, value in changes.items():
        if name in DESCRIPTION_FIELDS:
            setattr(camera, name, value)
    if "lon" in changes or "lat" in changes:
        _move(camera, changes.get("lon", before["lon"]), changes.get("lat", before["lat"]), before)
    if capabilities is not None:
        camera.capabilities = [CameraCapability(capability=c, evidence=e) for c, e in capabilities.items()]


def taken_from(sighting: Sighting, take: set[str]) -> tuple[dict[str, Any], dict[Capability, Evidence] | None]:
    """The changes and claims a moderator chose to take from a sighting (`take`: names from TAKEABLE)."""
    unknown = set(take) - set(TAKEABLE)
    if unknown:
        raise ValidationFailed(_("Unknown field."), {"fields": sorted(unknown)})
    changes: dict[str, Any] = {name: getattr(sighting, name) for name in DESCRIPTION_FIELDS if name in take}
    if POSITION in take:
        changes["lon"], changes["lat"] = coordinates(Sighting, sighting.id)
    claims = {c.capability: c.evidence for c in sighting.capabilities} if CAPABILITIES in take else None
    return changes, claims


def record_edit(
    camera: Camera, before: dict[str, Any], actor: User, reason: str | None, sighting_id: int | None = None
) -> events.ModerationEvent | None:
    """Log the camera's change (None when nothing changed): its fields before and after, and which changed."""
    db.session.flush()
    db.session.refresh(camera, ["location", "municipality_id"])
    after = camera_fields(camera)
    changed = sorted(name for name in after if after[name] != before[name])
    if not changed:
        return None
    details: dict[str, Any] = {"before": before, "after": after, "changed": changed}
    if sighting_id is not None:
        details["sighting_id"] = sighting_id
    return events.record(
        actor,
        events.Action.CAMERA_EDIT,
        "camera",
        camera.id,
        reason=reason,
        before=events.sha256(before),
        after=content_hash(camera),
        details=details,
    )


def _camera_changed() -> Conflict:
    return Conflict(_("Another moderator changed this camera meanwhile. Reload it to see their change."))


_stale_camera_is_conflict = stale_is_conflict(_camera_changed)


@_stale_camera_is_conflict
def edit_camera(
    camera_id: int,
    changes: dict[str, Any],
    capabilities: dict[Capability, Evidence] | None,
    actor: User,
    reason: str | None = None,
    expected_version: int | None = None,
) -> Camera:
    """Correct a verified camera's fields, claims or position directly; refused when nothing changes."""
    reason = clean_reason(reason)
    camera = get_or_404(Camera, camera_id, fresh=True)
    if expected_version is not None and camera.version != expected_version:
        raise _camera_changed()
    before = camera_fields(camera)
    apply_changes(camera, changes, capabilities, before)
    if record_edit(camera, before, actor, reason) is None:
        db.session.rollback()
        raise ValidationFailed(_("Nothing was changed."))
    db.session.commit()
    return camera


@_stale_camera_is_conflict
def set_camera_status(
    camera_id: int, status: str, actor: User, reason: str | None = None, expected_version: int | None = None
) -> Camera:
    """Mark a camera removed, needing a re-survey, or active again; a reason is required."""
    try:
        new_status = CameraStatus(status)
    except ValueError as error:
        raise ValidationFailed(_("Unknown camera status.")) from error
    reason = clean_reason(reason, required=True)
    camera = get_or_404(Camera, camera_id, fresh=True)
    if expected_version is not None and camera.version != expected_version:
        raise _camera_changed()
    if camera.status is new_status:
        raise Conflict(_("The camera already has this status."))
    before = content_hash(camera)
    camera.status = new_status
    db.session.flush()
    events.record(
        actor,
        events.Action.CAMERA_STATUS,
        "camera",
        camera.id,
        reason=reason,
        before=before,
        after=content_hash(camera),
        details={"status": new_status.value},
    )
    db.session.commit()
    return camera
