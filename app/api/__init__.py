"""The public JSON API, version 1. Errors use the envelope {"error": {"code", "message", "details"}}."""

from flask import Blueprint

bp = Blueprint("api", __name__, url_prefix="/api/v1")

from app.api import routes  # noqa: E402,F401,I001  (registers the routes on bp; one import per feature module)
from app.api import sightings  # noqa: E402,F401  (reporting: POST /sightings, GET /nearby)
