"""Cameras for the map tests, and their count per municipality made without the app's code."""

from sqlalchemy import text

from app.extensions import db
from app.vocabulary import CameraType, Capability, Evidence, Manufacturer
from tests.factories import BECEJ, STARI_GRAD, make_camera

FACE = {Capability.FACIAL_RECOGNITION: Evidence.MODEL_IDENTIFIED}
PLATE = {Capability.NUMBER_PLATE_RECOGNITION: Evidence.PROCUREMENT_DOCUMENT}


def seed_cameras() -> None:
    """Three cameras close together in Stari grad, a scatter over Belgrade and one in Bečej."""
    lon, lat = STARI_GRAD
    make_camera(lon, lat, camera_type=CameraType.DOME, capabilities=FACE, direction=200)
    make_camera(lon + 0.0012, lat + 0.0004, camera_type=CameraType.FIXED, capabilities=PLATE, direction=90,
                manufacturer=Manufacturer.DAHUA)  # fmt: skip
    make_camera(lon - 0.0010, lat - 0.0006, camera_type=CameraType.PANNING, capabilities={})
    for i in range(24):
        make_camera(20.35 + (i % 6) * 0.03, 44.74 + (i // 6) * 0.03, capabilities=FACE if i % 3 else PLATE)
    make_camera(*BECEJ, manufacturer=Manufacturer.DAHUA)


def mapped_in(code: str) -> int:
    """Counted independently of the app: a point-in-polygon join over the real boundary."""
    return db.session.execute(
        text(
            "SELECT count(*) FROM cameras c JOIN municipalities m ON ST_Covers(m.boundary, c.location) "
            "WHERE m.code = :code AND c.status IN ('active', 'needs_resurvey')"
        ),
        {"code": code},
    ).scalar_one()
