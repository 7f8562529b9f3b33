"""Serving stored photos from our own origin, with a strict Content-Type and no directory listing."""

import re

from flask import Blueprint, Response, abort
from flask_login import current_user

from app.photos import services
from app.photos.storage import storage

bp = Blueprint("photos", __name__, url_prefix="/photos")

KEY = re.compile(r"^[0-9a-f]{2}/[0-9a-f]{32}\.(jpg|webp)$")


@bp.get("/<path:key>")
def photo(key: str):
    """One stored image; only keys a photo row names, and pending sightings' photos only to moderators."""
    if not KEY.match(key):
        abort(404)
    row = services.find_servable(key, moderator=bool(current_user.is_authenticated))
    if row is None:
        abort(404)
    try:
        data = storage().open(key)
    except KeyError:
        abort(404)
    response = Response(data, mimetype=row.content_type)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response.headers["Content-Disposition"] = "inline"
    if row.sighting.state.value == "pending":
        response.headers["Cache-Control"] = "private, no-store"
    else:
        response.headers["Cache-Control"] = "public, max-age=86400, immutable"
    return response
