"""Serving stored photos by storage key from our own origin (no directory listing); the answer is app.photos.serving."""

import re

from flask import Blueprint, abort
from flask_login import current_user

from app.photos import services
from app.photos.serving import photo_response

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
    return photo_response(row, "thumb" if key == row.thumb_key else "display")
