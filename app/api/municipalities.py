"""`GET /api/v1/municipalities`: every municipality's boundary and density figures."""

from app.api import bp
from app.http import json_response
from app.municipalities import density


@bp.get("/municipalities")
def municipalities_geojson():
    """All municipalities with simplified boundaries, camera counts and densities, as GeoJSON (cached)."""
    cached = density.density_geojson()
    return json_response(cached.body, max_age=300, etag=cached.etag)
