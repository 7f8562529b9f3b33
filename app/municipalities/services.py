"""Municipality services: load the datasets, find the municipality of a point, list them."""

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import func, literal_column, or_, select, text, update
from sqlalchemy.dialects.postgresql import insert

from app import geo
from app.extensions import db
from app.i18n import COLLATIONS, PLACE_NAME_FIELDS, current_locale
from app.models import Camera, DeclaredLocation, Municipality, Sighting


def boundary_attribution() -> str:
    """The credit of the boundaries and census figures (text) in the reader's language: on every map that draws
    them (the home map's municipalities, the municipalities' own base map), word for word, so Leaflet shows it once."""
    return "© OpenStreetMap " + _("contributors") + " (ODbL); geoBoundaries; RZS 2022; KAS 2024"


class GeodataError(Exception):
    """The datasets cannot be loaded as they are; nothing was changed."""


@dataclass
class DatasetReport:
    key: str
    file: str
    features: int = 0
    inserted: int = 0
    updated: int = 0

    @property
    def unchanged(self) -> int:
        return self.features - self.inserted - self.updated


@dataclass
class LoadReport:
    datasets: list[DatasetReport] = field(default_factory=list)
    total: int = 0
    reassigned: int = 0


def read_manifest(path: str | Path) -> dict[str, Any]:
    with Path(path).open(encoding="utf-8") as handle:
        return json.load(handle)


def _row(dataset: dict[str, Any], feature: dict[str, Any]) -> dict[str, Any]:
    """One municipality row from a feature, through the manifest's property mapping."""
    props = feature.get("properties") or {}
    mapping = dataset["properties"]
    row = {column: props.get(prop) for column, prop in mapping.items()}
    code = row.get("code")
    if not code or not row.get("name"):
        raise GeodataError(f"{dataset['file']}: a feature has no code or name ({props!r:.120})")
    population, year = row.get("population"), row.get("population_year")
    if not isinstance(population, int) or population < 0 or not isinstance(year, int):
        raise GeodataError(f"{dataset['file']}: {code} has no usable population and census year")
    row["code"] = str(code)
    row["country"] = dataset["country"]
    row["unit_type"] = row.get("unit_type") or dataset.get("unit_type", "municipality")
    flag = dataset.get("population_unreliable_if_present")
    row["population_unreliable"] = bool(flag and props.get(flag))
    row["dataset"] = dataset["key"]
    return row


def _read_dataset(directory: Path, dataset: dict[str, Any]) -> list[dict[str, Any]]:
    path = directory / dataset["file"]
    if not path.is_file():
        raise GeodataError(f"{path}: file not found (set GEODATA_DIR)")
    try:
        features = geo.read_features(path)
    except (ValueError, OSError) as error:
        raise GeodataError(f"{path.name}: {error}") from error
    rows, shapes = [], []
    for feature in features:
        row = _row(dataset, feature)
        try:
            shapes.append(geo.multipolygon(feature.get("geometry")))
        except geo.GeometryError as error:
            raise GeodataError(f"{path.name}: {row['code']} {row['name']}: {error}") from error
        rows.append(row)
    codes = [row["code"] for row in rows]
    if len(set(codes)) != len(codes):
        raise GeodataError(f"{path.name}: duplicate municipality codes")
    expected = dataset.get("expected_features")
    if expected is not None and len(rows) != expected:
        raise GeodataError(f"{path.name}: {len(rows)} features, the manifest expects {expected}")
    for row, full, simple in zip(rows, shapes, geo.simplify_coverage(shapes), strict=True):
        row["boundary"] = geo.to_db(full)
        row["boundary_simplified"] = geo.to_db(simple)
    return rows


def load_geodata(directory: str | Path, manifest_path: str | Path) -> LoadReport:
    """Insert or update every municipality of the manifest's datasets, all in one transaction."""
    directory = Path(directory)
    manifest = read_manifest(manifest_path)
    prepared = [(dataset, _read_dataset(directory, dataset)) for dataset in manifest["datasets"]]

    report = LoadReport()
    changed_boundaries = False
    for dataset, rows in prepared:
        dataset_report = DatasetReport(dataset["key"], dataset["file"], features=len(rows))
        for row in rows:
            stmt = insert(Municipality).values(**row)
            assignments = {key: stmt.excluded[key] for key in row if key != "code"}
            differs = [getattr(Municipality, key).is_distinct_from(stmt.excluded[key]) for key in row if key != "code"]
            stmt = stmt.on_conflict_do_update(
                index_elements=[Municipality.code],
                set_={**assignments, "updated_at": func.now()},
                where=or_(*differs),
            ).returning(literal_column("(xmax = 0)").label("inserted"))
            result = db.session.execute(stmt).first()
            if result is None:
                continue
            changed_boundaries = True
            if result.inserted:
                dataset_report.inserted += 1
            else:
                dataset_report.updated += 1
        report.datasets.append(dataset_report)
        report.total += len(rows)

    if changed_boundaries:
        report.reassigned = reassign_locations()
    db.session.commit()
    return report


def reassign_locations() -> int:
    """Re-run the municipality assignment trigger for every camera, sighting and declared location (after
    boundaries change)."""
    count = 0
    for model in (Camera, Sighting, DeclaredLocation):
        result = db.session.execute(update(model).values(location=model.location))
        count += result.rowcount or 0
    return count


def municipality_at(lon: float, lat: float) -> Municipality | None:
    """The municipality covering a WGS84 point, or None outside every loaded boundary."""
    return db.session.scalar(
        select(Municipality)
        .where(func.ST_Covers(Municipality.boundary, geo.point(lon, lat)))
        .order_by(Municipality.id)
        .limit(1)
    )


def list_municipalities() -> list[Municipality]:
    return list(db.session.scalars(select(Municipality).order_by(Municipality.country.desc(), Municipality.name)))


def municipality_choices() -> list[tuple[str, str]]:
    """Every municipality as (code, name in the reader's language), in the order of the reader's alphabet."""
    locale = current_locale()
    column = getattr(Municipality, PLACE_NAME_FIELDS.get(locale, "name"))
    label = func.coalesce(column, Municipality.name)
    ordered = select(Municipality.code, label).order_by(label.collate(COLLATIONS.get(locale, "und-x-icu")))
    return [(code, name) for code, name in db.session.execute(ordered)]


def count_municipalities() -> int:
    return db.session.scalar(select(func.count()).select_from(Municipality)) or 0


def boundaries_geojson() -> str:
    """All municipalities as a GeoJSON FeatureCollection string, built by PostGIS."""
    sql = text(
        """
        SELECT json_build_object(
            'type', 'FeatureCollection',
            'features', coalesce(json_agg(ST_AsGeoJSON(m.*, 'geom', 5)::json ORDER BY m.code), '[]'::json)
        )::text
        FROM (
            SELECT code, name, name_cyrillic, name_sq, country, unit_type, population, population_year,
                   population_unreliable, round(area_km2::numeric, 2) AS area_km2,
                   boundary_simplified AS geom
            FROM municipalities
        ) AS m
        """
    )
    return db.session.execute(sql).scalar_one()
