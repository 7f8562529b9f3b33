"""The public JSON API, version 1. Errors use the envelope {"error": {"code", "message", "details"}}."""

from flask import Blueprint

bp = Blueprint("api", __name__, url_prefix="/api/v1")

from app.api import (  # noqa: E402
    moderation,  # noqa: F401  (registers the moderation API routes)
    routes,  # noqa: F401  (registers the routes on bp)
)
