"""One verified camera as public JSON: descriptive fields, capabilities with evidence, OSM tags."""

from typing import Any

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, selectinload

from app.errors import NotFound
from app.extensions import db
from app.input_guards import INT4_MAX
from app.models import Camera
from app.opendata.exports import COORDINATE_DECIMALS, DESCRIPTIVE_FIELDS
from app.vocabulary import osm_tags

MAX_ID = INT4_MAX  # the cameras.id column is a PostgreSQL integer


def _plain(value: Any) -> Any:
    return value.value if hasattr(value, "value") else value


def camera_detail(camera_id: int) -> dict[str, Any]:
    """The public record of one camera (an allowlist of fields); raises NotFound."""
    camera = None
    if 1 <= camera_id <= MAX_ID:
        camera = db.session.scalar(
            select(Camera)
            .where(Camera.id == camera_id)
            .options(selectinload(Camera.capabilities), joinedload(Camera.municipality))
        )
    if camera is None:
        raise NotFound(_("There is no camera with this number."), {"id": camera_id})
    lon, lat = db.session.execute(
        select(func.ST_X(Camera.location), func.ST_Y(Camera.location)).where(Camera.id == camera.id)
    ).one()
    municipality = camera.municipality
    return {
        "id": camera.id,
        "status": camera.status.value,
        "location": {
            "longitude": round(lon, COORDINATE_DECIMALS),
            "latitude": round(lat, COORDINATE_DECIMALS),
        },
        "municipality": {"code": municipality.code, "name": municipality.name} if municipality else None,
        **{name: _plain(getattr(camera, name)) for name in DESCRIPTIVE_FIELDS},
        "capabilities": [
            {"capability": claim.capability.value, "evidence": claim.evidence.value} for claim in camera.capabilities
        ],
        "confirmation_count": camera.confirmation_count,
        "first_confirmed_on": camera.first_confirmed_on.isoformat(),
        "last_confirmed_on": camera.last_confirmed_on.isoformat(),
        "osm_tags": osm_tags(camera, check_date=camera.last_confirmed_on),
    }
