"""The data model, one module per aggregate. Importing this package registers every table."""

from app.models.camera import Camera, CameraCapability
from app.models.camera_cell import CameraCell
from app.models.density import FigureKind, MapDataVersion, MunicipalityCameraCount, OfficialFigure
from app.models.moderation_event import ModerationEvent
from app.models.municipality import Municipality
from app.models.photo import Photo
from app.models.sighting import Sighting, SightingCapability
from app.models.user import User

__all__ = [
    "Camera",
    "CameraCapability",
    "CameraCell",
    "FigureKind",
    "MapDataVersion",
    "ModerationEvent",
    "Municipality",
    "MunicipalityCameraCount",
    "OfficialFigure",
    "Photo",
    "Sighting",
    "SightingCapability",
    "User",
]
