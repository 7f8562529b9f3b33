"""The one HTTP answer for a photo's bytes, whichever page links to it (/photos, a camera page, moderation).

Who may cache it follows from the photo's sighting, not from the route: a verified sighting's photo is public
but revalidated (a moderator may blur a bystander's face at any moment, and the blurred version must replace
the old one within minutes, never a day later); any other photo (pending, rejected) is never stored by a cache.
The ETag is the photo's content hash and variant, so it changes with every blur or rotation and tells nothing
about where the file lives.
"""

from flask import Response, request
from flask_babel import gettext as _

from app.errors import NotFound
from app.models import Photo
from app.photos.storage import storage
from app.vocabulary import PUBLIC_SIGHTING_STATES

PUBLIC_MAX_AGE = 300
VARIANTS = ("display", "thumb")


def is_public(photo: Photo) -> bool:
    return photo.sighting is not None and photo.sighting.state in PUBLIC_SIGHTING_STATES


def stored_bytes(photo: Photo, variant: str = "display") -> bytes:
    """The bytes of a photo's display or thumbnail file; NotFound when the file is gone."""
    try:
        return storage().open(photo.thumb_key if variant == "thumb" else photo.display_key)
    except KeyError as error:
        raise NotFound(_("The photo file is missing.")) from error


def photo_response(photo: Photo, variant: str) -> Response:
    """The display or thumbnail image of a photo the caller has already allowed this visitor to see."""
    response = Response(stored_bytes(photo, variant), mimetype=photo.content_type)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response.headers["Content-Disposition"] = "inline"
    if not is_public(photo):
        response.headers["Cache-Control"] = "private, no-store"
        return response
    response.set_etag(f"{photo.sha256[:32]}-{variant}")
    response.cache_control.public = True
    response.cache_control.max_age = PUBLIC_MAX_AGE
    return response.make_conditional(request)
