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
