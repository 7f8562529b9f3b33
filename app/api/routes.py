"""API routes: thin adapters from HTTP to the feature services."""

import hashlib

from flask import Response, request

from app.api import bp
from app.municipalities import services as municipalities


def cacheable_json(body: str, max_age: int = 300) -> Response:
    """A JSON response with a strong ETag, answered with 304 when the client has it already."""
    response = Response(body, mimetype="application/json")
    response.set_etag(hashlib.sha256(body.encode()).hexdigest()[:32])
    response.cache_control.public = True
    response.cache_control.max_age = max_age
    return response.make_conditional(request)


@bp.get("/municipalities")
def municipalities_geojson():
    """All municipalities with simplified boundaries, as GeoJSON."""
    return cacheable_json(municipalities.boundaries_geojson())
