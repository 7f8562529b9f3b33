"""The data model, one module per aggregate. Importing this package registers every table."""

from app.models.api_token import ApiToken
from app.models.camera import Camera, CameraCapability
from app.models.camera_cell import CameraCell
from app.models.declared import DeclaredList, DeclaredLocation
from app.models.density import FigureKind, MapDataVersion, MunicipalityCameraCount, OfficialFigure
from app.models.moderation_event import ModerationEvent
from app.models.moderator_claim import ModeratorClaim
from app.models.municipality import Municipality
from app.models.photo import Photo
from app.models.photo_deletion import PhotoDeletionRequest
from app.models.sighting import Sighting, SightingCapability
from app.models.user import User

__all__ = [
    "ApiToken",
    "Camera",
    "CameraCapability",
    "CameraCell",
    "DeclaredList",
    "DeclaredLocation",
    "FigureKind",
    "MapDataVersion",
    "ModerationEvent",
    "ModeratorClaim",
    "Municipality",
    "MunicipalityCameraCount",
    "OfficialFigure",
    "Photo",
    "PhotoDeletionRequest",
    "Sighting",
    "SightingCapability",
    "User",
]
