"""What every map page's script needs (tiles, API addresses, region, palette): one dict, read by the templates."""

from flask import current_app, url_for

from app.geo import region
from app.municipalities.profiles import COLOURS


def map_config() -> dict:
    """What the map's JavaScript needs, passed as data attributes (no inline scripts under our CSP)."""
    return {
        "tile_url": current_app.config["TILE_URL"],
        "tile_attribution": current_app.config["TILE_ATTRIBUTION"],
        "tile_max_zoom": current_app.config["TILE_MAX_ZOOM"],
        "cameras_url": url_for("api.cameras_in_viewport"),
        # Page addresses the script completes with an id; it adds the reader's language itself.
        "camera_page_url": url_for("cameras.detail", camera_id=0, lang=None).removesuffix("0"),
        "municipality_page_url": url_for("municipalities.detail", code="CODE", lang=None).removesuffix("CODE"),
        "region": region.BOUNDS,
        "region_with_margin": region.BOUNDS_WITH_MARGIN,
        "palette": COLOURS,
    }
