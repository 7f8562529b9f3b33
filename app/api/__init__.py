"""The public JSON API, version 1. Errors use the envelope {"error": {"code", "message", "details"}}."""

from flask import Blueprint

from app.security import allow_any_origin

bp = Blueprint("api", __name__, url_prefix="/api/v1")
bp.after_request(allow_any_origin)

# One module per feature registers its routes on bp.
from app.api import (  # noqa: E402,F401
    cameras,
    declared,
    exports,
    moderation,
    municipalities,
    openapi,
    sightings,
)
