"""Camera density per municipality, read from the counts the database triggers keep (never a spatial join)."""

import threading
from dataclasses import dataclass

from sqlalchemy import text

from app.extensions import db
from app.http import etag_of
from app.vocabulary import Capability, Manufacturer

# Cameras per manufacturer and per capability as columns of their own (municipalities.csv, the API, the ranking):
# column name -> (the kept counts' measure). Vendor names in lower case, as every other column name is.
BREAKDOWN_COLUMNS = {
    **{f"manufacturer_{maker.value.lower()}": f"manufacturer:{maker.value}" for maker in Manufacturer},
    **{f"capability_{capability.value}": f"capability:{capability.value}" for capability in Capability},
}
_BREAKDOWN_SQL = "".join(
    f"       coalesce(c.counts ->> '{measure}', '0')::int AS {column},\n"
    for column, measure in BREAKDOWN_COLUMNS.items()
)

# Shared by the GeoJSON endpoint, the choropleth and the ranking: one row per municipality with its figures.
# The only interpolated text is _BREAKDOWN_SQL, built from the vocabulary's constants, never from a request.
DENSITY_SQL = f"""
SELECT m.id, m.code, m.name, m.name_cyrillic, m.name_sq, m.name_en, m.country, m.unit_type, m.population,
       m.population_year, m.population_unreliable, round(m.area_km2::numeric, 2) AS area_km2,
       coalesce(c.total, 0) AS cameras,
       round(coalesce(c.total, 0) / nullif(m.area_km2, 0)::numeric, 4) AS cameras_per_km2,
       round(coalesce(c.total, 0) * 10000.0 / nullif(m.population, 0), 3) AS cameras_per_10k,
       coalesce((c.by_capability ->> 'facial_recognition')::int, 0) AS facial_recognition,
       coalesce(c.by_capability, '{{}}'::jsonb) AS cameras_by_capability,
       coalesce(c.by_manufacturer, '{{}}'::jsonb) AS cameras_by_manufacturer,
{_BREAKDOWN_SQL}       f.declared AS declared_cameras,
       round(coalesce(c.total, 0)::numeric / nullif(f.declared, 0), 3) AS mapped_over_declared,
       coalesce((cmp.f ->> 'declared_locations')::int, 0) AS declared_locations,
       coalesce((cmp.f ->> 'declared_list_cameras')::int, 0) AS declared_list_cameras,
       coalesce((cmp.f ->> 'matched_locations')::int, 0) AS matched_locations,
       coalesce((cmp.f ->> 'declared_locations')::int, 0) - coalesce((cmp.f ->> 'matched_locations')::int, 0)
           AS declared_not_found,
       coalesce((cmp.f ->> 'matched_cameras')::int, 0) AS matched_cameras,
       coalesce(c.total, 0) - coalesce((cmp.f ->> 'matched_cameras')::int, 0) AS mapped_not_declared
       /*geometry*/
FROM municipalities AS m
LEFT JOIN LATERAL (
    SELECT sum(cameras) FILTER (WHERE measure = 'total') AS total,
           jsonb_object_agg(substr(measure, 12), cameras)
               FILTER (WHERE measure LIKE 'capability:%' AND cameras > 0) AS by_capability,
           jsonb_object_agg(substr(measure, 14), cameras)
               FILTER (WHERE measure LIKE 'manufacturer:%' AND cameras > 0) AS by_manufacturer,
           jsonb_object_agg(measure, cameras) AS counts
    FROM municipality_camera_counts WHERE municipality_id = m.id
) AS c ON true
LEFT JOIN LATERAL (
    -- What officials say exists: the cameras procured in total, or the latest declared total if larger.
    SELECT nullif(greatest(
        coalesce(sum(cameras) FILTER (WHERE kind = 'procured'), 0),
        coalesce((SELECT o.cameras FROM official_figures AS o
                  WHERE o.municipality_id = m.id AND o.kind = 'declared'
                  ORDER BY o.document_date DESC, o.id DESC LIMIT 1), 0)
    ), 0) AS declared
    FROM official_figures WHERE municipality_id = m.id
) AS f ON true
-- The comparison with the current declared lists (app/declared/matching.py), passed in per municipality id.
LEFT JOIN LATERAL (SELECT CAST(:comparison AS jsonb) -> m.id::text AS f) AS cmp ON true
"""  # noqa: S608

GEOJSON_SQL = (
    "SELECT json_build_object('type', 'FeatureCollection', 'features', "
    "coalesce(json_agg(ST_AsGeoJSON(d.*, 'geom', 5)::json ORDER BY d.code), '[]'::json))::text "
    "FROM (" + DENSITY_SQL.replace("/*geometry*/", ", m.boundary_simplified AS geom") + ") AS d"
)

# The comparison with the declared lists, under the same names in the API, municipalities.csv and the pages.
COMPARISON_COLUMNS = (
    "declared_locations",
    "declared_list_cameras",
    "matched_locations",
    "declared_not_found",
    "matched_cameras",
    "mapped_not_declared",
)
MEASURES = (
    "cameras",
    "cameras_per_km2",
    "cameras_per_10k",
    "facial_recognition",
    "mapped_over_declared",
    "mapped_not_declared",
)
# Measures that divide by the census population: meaningless where the count is flagged unreliable.
PER_CAPITA = {"cameras_per_10k"}


@dataclass(frozen=True)
class CachedBody:
    key: tuple
    body: bytes
    etag: str


_lock = threading.Lock()
_geojson_cache: CachedBody | None = None


def data_version() -> tuple:
    """Changes whenever cameras, counts, figures or boundaries do; read in the caller's snapshot.

    The row's xmin is part of it because a rolled-back transaction can leave the counter at a value another
    transaction later reaches with different data; no two transactions share an xmin.
    """
    return tuple(db.session.execute(text("SELECT version, xmin::text FROM map_data_version")).one())


def _execute(sql: str):
    """Run the density SQL with the comparison of the declared lists for the same snapshot."""
    from app.declared import matching  # here: app.declared's routes reach back to this module

    comparison = matching.comparison(data_version())
    return db.session.execute(text(sql), {"comparison": comparison.figures_json})


def density_rows() -> list[dict]:
    """Every municipality with its camera figures (no geometry), ordered by code."""
    result = _execute(DENSITY_SQL + " ORDER BY m.code")
    return [dict(row._mapping) for row in result]


def geojson_text() -> str:
    """The municipalities GeoJSON with every figure, as PostGIS writes it (uncached)."""
    return _execute(GEOJSON_SQL).scalar_one()


def density_geojson() -> CachedBody:
    """The municipalities GeoJSON with counts and densities: built by PostGIS once per data version."""
    global _geojson_cache
    from app.declared import matching

    key = matching.comparison(data_version()).key
    cached = _geojson_cache
    if cached is not None and cached.key == key:
        return cached
    body = geojson_text().encode()
    cached = CachedBody(key, body, etag_of(body))
    with _lock:
        _geojson_cache = cached
    return cached


def quantile_breaks(values: list[float], classes: int = 5) -> list[float]:
    """Upper bounds of up to `classes` quantile classes over the positive values (zero gets its own class)."""
    positive = sorted(v for v in values if v and v > 0)
    if not positive:
        return []
    breaks = []
    for i in range(1, classes + 1):
        index = min(len(positive) - 1, round(i * len(positive) / classes) - 1)
        value = positive[max(index, 0)]
        if not breaks or value > breaks[-1]:
            breaks.append(value)
    return breaks


def class_of(value: float | None, breaks: list[float]) -> int | None:
    """0 for no cameras, 1..n for the quantile class, None when there is no value to show."""
    if value is None:
        return None
    if value <= 0:
        return 0
    for index, upper in enumerate(breaks, start=1):
        if value <= upper:
            return index
    return len(breaks)
