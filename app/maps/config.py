"""What every map page's script needs (base map, API addresses, region, palette): one dict, read by the templates."""

from flask import url_for

from app.basemap.services import basemap_settings
from app.geo import region
from app.municipalities.palette import COLOURS
from app.municipalities.services import boundary_attribution


def map_config() -> dict:
    """What the map's JavaScript needs, passed as data attributes (no inline scripts under our CSP)."""
    return {
        "basemap": basemap_settings(),
        "cameras_url": url_for("api.cameras_in_viewport"),
        # Page addresses the script completes with an id; it adds the reader's language itself.
        "camera_page_url": url_for("cameras.detail", camera_id=0, lang=None).removesuffix("0"),
        "municipality_page_url": url_for("municipalities.detail", code="CODE", lang=None).removesuffix("CODE"),
        "region": region.BOUNDS,
        "region_with_margin": region.BOUNDS_WITH_MARGIN,
        "palette": COLOURS,
        "boundary_attribution": boundary_attribution(),
    }


def country_view_url() -> str:
    """The cameras of the home map's first view, the whole region: one cluster per municipality (zoom 6 is below
    MAP_MUNICIPAL_CLUSTERS_BELOW_ZOOM), the same answer for every screen, since that view shows every municipality.
    The page preloads it, so it is on its way while Leaflet loads; map.js asks for it as its first view."""
    (south, west), (north, east) = region.BOUNDS_WITH_MARGIN
    return url_for("api.cameras_in_viewport", bbox=f"{west:.4f},{south:.4f},{east:.4f},{north:.4f}", zoom=6)
