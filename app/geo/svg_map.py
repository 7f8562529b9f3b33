"""Maps drawn as SVG on the server, so they need no script: PostGIS projects the boundaries and writes the paths.

The projection is equirectangular with longitudes shortened by the cosine of the region's middle latitude: at
Serbia's and Kosovo's size (4° of latitude) shapes and areas look right, and a degree box maps to a pixel box.
"""

import math
from dataclasses import dataclass

from markupsafe import escape
from sqlalchemy import func, select

from app.extensions import db
from app.geo import region
from app.models import Municipality

WIDTH = 600  # SVG user units; the image scales to its box
LEGEND_HEIGHT = 24  # per legend line
TOP = 30  # the caption's line above the map
PRECISION = 1  # decimals of a path's (relative) coordinates: a tenth of a unit is finer than the boundaries are


@dataclass(frozen=True)
class Area:
    """How one municipality is drawn: fill colour, hover title, link, and a dashed outline when flagged."""

    colour: str
    title: str
    href: str
    dashed: bool = False


def _frame() -> tuple[float, float, float]:
    """SVG units per degree of longitude and of latitude, and the drawing's height."""
    (south, west), (north, east) = region.BOUNDS
    shrink = math.cos(math.radians((south + north) / 2))
    scale = WIDTH / ((east - west) * shrink)
    return scale * shrink, scale, (north - south) * scale


def municipality_paths() -> tuple[dict[str, str], float]:
    """Each municipality's simplified boundary as SVG path data, by code, and the drawing's height."""
    x_scale, y_scale, height = _frame()
    (_south, west), (north, _east) = region.BOUNDS
    # ST_AsSVG writes y as -y (SVG's y grows downwards): so y is mapped to (lat - north) * scale here.
    projected = func.ST_Affine(
        Municipality.boundary_simplified, x_scale, 0, 0, y_scale, -west * x_scale, -north * y_scale
    )
    rows = db.session.execute(
        select(Municipality.code, func.ST_AsSVG(projected, 1, PRECISION)).order_by(Municipality.code)
    )
    return {code: path for code, path in rows}, height


def choropleth_size(legend_lines: int) -> tuple[int, int]:
    """The width and height of a choropleth with that many legend lines, in the units of its SVG: the page's <img>
    takes them as its width and height, so the image's box is kept before the image arrives."""
    height = _frame()[2]
    return WIDTH, round(TOP + height + 10 + LEGEND_HEIGHT * (legend_lines + 1) + 10)


def choropleth_svg(areas: dict[str, Area], caption: str, legend: list[tuple[str, str]], credit: str) -> str:
    """A standalone SVG document: the municipalities filled by `areas`, the caption above, the legend and the
    credit below. Municipalities missing from `areas` are drawn grey."""
    paths, height = municipality_paths()
    top = TOP
    bottom = top + height + 10
    total = choropleth_size(len(legend))[1]
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {total:.0f}" width="{WIDTH}" '
        f'height="{total:.0f}" role="img" aria-label="{escape(caption)}" font-family="sans-serif" font-size="14">',
        f"<title>{escape(caption)}</title>",
        f'<rect width="{WIDTH}" height="{total:.0f}" fill="#ffffff"/>',
        f'<text x="8" y="20" font-weight="bold">{escape(caption)}</text>',
        f'<g transform="translate(0 {top})" stroke="#555555" stroke-width="0.6" stroke-linejoin="round">',
    ]
    for code, path in paths.items():
        area = areas.get(code) or Area("#bdbdbd", code, "")
        dash = ' stroke-dasharray="4 3" stroke="#333333"' if area.dashed else ""
        shape = (
            f'<path d="{path}" fill="{escape(area.colour)}"{dash} data-code="{escape(code)}">'
            f"<title>{escape(area.title)}</title></path>"
        )
        out.append(f'<a href="{escape(area.href)}">{shape}</a>' if area.href else shape)
    out.append("</g>")
    for index, (colour, label) in enumerate(legend):
        y = bottom + index * LEGEND_HEIGHT
        out.append(
            f'<rect x="8" y="{y:.0f}" width="18" height="14" fill="{escape(colour)}" stroke="#555555" '
            f'stroke-width="0.6"/><text x="34" y="{y + 12:.0f}">{escape(label)}</text>'
        )
    y = bottom + len(legend) * LEGEND_HEIGHT
    out.append(f'<text x="8" y="{y + 14:.0f}" font-size="11" fill="#555555">{escape(credit)}</text>')
    out.append("</svg>")
    return "\n".join(out) + "\n"
