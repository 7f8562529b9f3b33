import json
import shutil
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import Municipality
from app.municipalities.services import GeodataError, load_geodata, municipality_at
from tests.factories import BECEJ, BUDAPEST, STARI_GRAD


def _load(app, directory=None):
    return load_geodata(directory or app.config["GEODATA_DIR"], app.config["GEODATA_MANIFEST"])


def _copy_geodata(app, tmp_path: Path) -> Path:
    for name in ("serbia-municipalities.geojson", "kosovo-municipalities.geojson"):
        shutil.copy(Path(app.config["GEODATA_DIR"]) / name, tmp_path / name)
    return tmp_path


def test_all_199_municipalities_are_loaded_with_valid_boundaries_and_population():
    by_country = dict(
        db.session.execute(select(Municipality.country, func.count()).group_by(Municipality.country)).all()
    )
    assert by_country == {"RS": 161, "XK": 38}
    invalid = db.session.scalar(
        select(func.count()).where(~func.ST_IsValid(Municipality.boundary) | (Municipality.population <= 0))
    )
    assert invalid == 0


def test_census_totals_and_areas_match_the_sources():
    totals = dict(
        db.session.execute(select(Municipality.country, func.sum(Municipality.population)).group_by("country")).all()
    )
    assert totals == {"RS": 6_647_003, "XK": 1_585_566}
    serbia_km2 = db.session.scalar(select(func.sum(Municipality.area_km2)).where(Municipality.country == "RS"))
    assert serbia_km2 == pytest.approx(77_436, rel=0.01)  # SOURCES.md: the union covers 77,436 km²


def test_northern_kosovo_populations_are_flagged_unreliable():
    flagged = set(db.session.scalars(select(Municipality.name).where(Municipality.population_unreliable)))
    assert flagged == {"Leposavić", "Zubin Potok", "Zvečan", "Severna Mitrovica"}


def test_kosovo_units_carry_serbian_and_albanian_names():
    ferizaj = db.session.scalar(select(Municipality).where(Municipality.name_sq == "Ferizaj"))
    assert ferizaj.name == "Uroševac"
    assert ferizaj.name_cyrillic == "Урошевац"


@pytest.mark.parametrize(
    ("point", "expected"),
    [(STARI_GRAD, "Stari grad"), (BECEJ, "Bečej"), ((20.135, 45.598), "Novi Bečej"), ((21.1655, 42.6629), "Prishtinë")],
)
def test_points_fall_in_the_right_municipality(point, expected):
    municipality = municipality_at(*point)
    assert municipality is not None
    assert expected in (municipality.name, municipality.name_sq)


def test_points_outside_every_boundary_have_no_municipality():
    assert municipality_at(*BUDAPEST) is None


def test_reloading_updates_in_place_and_never_duplicates(app):
    before = db.session.scalar(select(func.max(Municipality.id)))

    report = _load(app)

    assert report.total == 199
    assert [(d.inserted, d.updated, d.unchanged) for d in report.datasets] == [(0, 0, 161), (0, 0, 38)]
    assert db.session.scalar(select(func.count()).select_from(Municipality)) == 199
    assert db.session.scalar(select(func.max(Municipality.id))) == before


def test_a_changed_population_is_updated(app, tmp_path):
    directory = _copy_geodata(app, tmp_path)
    path = directory / "serbia-municipalities.geojson"
    data = json.loads(path.read_text())
    becej = next(f for f in data["features"] if f["properties"]["name"] == "Bečej")
    becej["properties"]["population"] = 12345
    path.write_text(json.dumps(data))

    report = _load(app, directory)

    assert (report.datasets[0].updated, report.datasets[0].inserted) == (1, 0)
    assert db.session.scalar(select(Municipality.population).where(Municipality.name == "Bečej")) == 12345


def test_an_invalid_boundary_is_refused_and_nothing_changes(app, tmp_path):
    directory = _copy_geodata(app, tmp_path)
    path = directory / "kosovo-municipalities.geojson"
    data = json.loads(path.read_text())
    data["features"][0]["properties"]["population"] = 1
    # A self-intersecting "bow tie" polygon in the last feature: the whole load must be refused.
    data["features"][-1]["geometry"] = {
        "type": "Polygon",
        "coordinates": [[[20, 42], [21, 43], [21, 42], [20, 43], [20, 42]]],
    }
    path.write_text(json.dumps(data))

    with pytest.raises(GeodataError, match="invalid geometry"):
        _load(app, directory)

    assert db.session.scalar(select(func.min(Municipality.population)).where(Municipality.country == "XK")) > 1


def test_a_missing_directory_is_a_clear_error(app, tmp_path):
    with pytest.raises(GeodataError, match="file not found"):
        _load(app, tmp_path / "nowhere")


def test_the_cli_reports_counts(runner):
    result = runner.invoke(args=["geodata", "load"])

    assert result.exit_code == 0, result.output
    assert "serbia-municipalities.geojson: 161 municipalities (0 new, 0 updated, 161 unchanged)" in result.output
    assert "kosovo-municipalities.geojson: 38 municipalities" in result.output


def test_the_cli_fails_cleanly_on_a_bad_directory(runner, tmp_path):
    result = runner.invoke(args=["geodata", "load", "--dir", str(tmp_path)])

    assert result.exit_code != 0
    assert "file not found" in result.output
    assert "nothing was changed" in result.output
