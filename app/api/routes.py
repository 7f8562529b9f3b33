"""API routes: thin adapters from HTTP to the feature services."""

import hashlib

from flask import Response, request

from app.api import bp
from app.api.http import json_response
from app.municipalities import density


def cacheable_json(body: str, max_age: int = 300) -> Response:
    """A JSON response with a strong ETag, answered with 304 when the client has it already."""
    response = Response(body, mimetype="application/json")
    response.set_etag(hashlib.sha256(body.encode()).hexdigest()[:32])
    response.cache_control.public = True
    response.cache_control.max_age = max_age
    return response.make_conditional(request)


@bp.get("/municipalities")
def municipalities_geojson():
    """All municipalities with simplified boundaries, camera counts and densities, as GeoJSON (cached)."""
    cached = density.density_geojson()
    return json_response(cached.body, max_age=300, etag=cached.etag, gzipped=cached.gzipped)
