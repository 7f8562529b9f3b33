"""The comparison of a declared list with the mapped cameras: per-municipality figures against counts made in the test
(never by the code under test), one-to-one nearest-first matching, and the exports and pages that carry them."""

import csv
import io
import math
import random
from datetime import date

from sqlalchemy import text

from app.declared import services
from app.extensions import db
from app.municipalities import density
from app.vocabulary import CameraStatus
from tests.factories import BECEJ, STARI_GRAD, make_camera

TOLERANCE = 50
FIGURES = (
    "declared_locations",
    "declared_list_cameras",
    "matched_locations",
    "declared_not_found",
    "matched_cameras",
    "mapped_not_declared",
    "cameras",
)


def _offset(lon: float, lat: float, metres: float, bearing: float) -> tuple[float, float]:
    """A point about `metres` away (a local flat approximation, good to a fraction of a metre at this range)."""
    north = metres * math.cos(math.radians(bearing)) / 111_320
    east = metres * math.sin(math.radians(bearing)) / (111_320 * math.cos(math.radians(lat)))
    return lon + east, lat + north


def _municipality_of(points: list[tuple[float, float]]) -> list[str | None]:
    """Each point's municipality code, by a plain point-in-polygon query (lowest id where boundaries overlap)."""
    rows = db.session.execute(
        text(
            "SELECT p.n, (SELECT m.code FROM municipalities m "
            "WHERE ST_Covers(m.boundary, ST_SetSRID(ST_MakePoint(p.lon, p.lat), 4326)) ORDER BY m.id LIMIT 1) "
            "FROM unnest(CAST(:lons AS float8[]), CAST(:lats AS float8[])) WITH ORDINALITY AS p(lon, lat, n) "
            "ORDER BY p.n"
        ),
        {"lons": [p[0] for p in points], "lats": [p[1] for p in points]},
    ).all()
    return [code for _n, code in rows]


def _generated_list_and_cameras():
    """500 declared points on a grid over Serbia (cells ~1 km apart), 300 cameras: 200 within 40 m of a declared
    point, 100 in cells of their own. Returns the expected figures per municipality, counted here."""
    rng = random.Random(17)
    cells = [(19.3 + i * 0.01, 42.3 + j * 0.01) for i in range(360) for j in range(380)]
    rng.shuffle(cells)
    candidates = cells[:2500]
    inside = [cell for cell, code in zip(candidates, _municipality_of(candidates), strict=True) if code]
    declared, far = inside[:500], inside[500:600]
    counts = [rng.randint(1, 4) for _ in declared]
    near = [_offset(*point, rng.uniform(0, 40), rng.uniform(0, 360)) for point in declared[:200]]
    lines = ["longitude,latitude,cameras,label"]
    lines += [
        f"{lon:.6f},{lat:.6f},{n},Lokacija {i}" for i, ((lon, lat), n) in enumerate(zip(declared, counts, strict=True))
    ]
    services.import_list(
        "\n".join(lines).encode(),
        source="Generated list",
        document_date=date(2021, 3, 1),
        licence="test",
        file_name="g.csv",
    )
    for lon, lat in near + far:
        make_camera(round(lon, 6), round(lat, 6))

    expected: dict[str, dict[str, int]] = {}

    def add(code, figure, amount=1):
        if code is not None:
            row = expected.setdefault(code, dict.fromkeys(FIGURES, 0))
            row[figure] += amount

    for index, code in enumerate(_municipality_of(declared)):
        add(code, "declared_locations")
        add(code, "declared_list_cameras", counts[index])
        add(code, "matched_locations" if index < 200 else "declared_not_found")
    for code in _municipality_of(near):
        add(code, "matched_cameras")
        add(code, "cameras")
    for code in _municipality_of(far):
        add(code, "mapped_not_declared")
        add(code, "cameras")
    return expected


def _check(rows_by_code: dict[str, dict], expected: dict[str, dict[str, int]]) -> None:
    assert len(rows_by_code) == 199
    for code, row in rows_by_code.items():
        wanted = expected.get(code, dict.fromkeys(FIGURES, 0))
        assert {figure: int(row[figure]) for figure in FIGURES} == wanted, code


def test_every_municipality_figure_of_a_generated_list_equals_an_independent_count(client):
    expected = _generated_list_and_cameras()
    assert sum(row["matched_locations"] for row in expected.values()) == 200
    assert sum(row["declared_not_found"] for row in expected.values()) == 300
    assert sum(row["mapped_not_declared"] for row in expected.values()) == 100

    api = client.get("/api/v1/municipalities").get_json()
    _check({f["properties"]["code"]: f["properties"] for f in api["features"]}, expected)

    body = client.get("/api/v1/export/municipalities.csv").get_data(as_text=True)
    _check({row["code"]: row for row in csv.DictReader(io.StringIO(body))}, expected)

    busiest = max(expected, key=lambda code: expected[code]["declared_locations"])
    page = client.get(f"/municipalities/{busiest}?lang=en").get_data(as_text=True)
    figures = expected[busiest]
    assert f'id="declared-locations">{figures["declared_locations"]}<' in page
    assert f'id="declared-not-found">{figures["declared_not_found"]}<' in page
    assert f'id="mapped-not-declared">{figures["mapped_not_declared"]}<' in page
    assert "Generated list" in page


def test_matching_is_one_to_one_nearest_first_and_a_location_takes_at_most_its_cameras():
    lon, lat = STARI_GRAD
    a, b = (lon, lat), _offset(lon, lat, 30, 90)
    between = _offset(lon, lat, 10, 90)  # 10 m from a, 20 m from b: a takes it
    junction = BECEJ
    rows = [f"{a[0]:.6f},{a[1]:.6f},1", f"{b[0]:.6f},{b[1]:.6f},1", f"{junction[0]:.6f},{junction[1]:.6f},2"]
    services.import_list(
        ("lon,lat,cameras\n" + "\n".join(rows)).encode(),
        source="Small list",
        document_date=date(2022, 1, 1),
        licence="test",
        file_name="s.csv",
    )
    make_camera(*between)
    for metres in (5, 12, 20):  # three cameras at a junction declared with two
        make_camera(*_offset(*junction, metres, 200))
    make_camera(*_offset(*junction, TOLERANCE + 5, 0))  # just beyond the tolerance
    make_camera(*_offset(*junction, 8, 90), status=CameraStatus.REMOVED)  # not on the map: never matched

    rows = {row["code"]: row for row in density.density_rows()}
    stari_grad, becej = rows["70246"], rows["80110"]
    assert (stari_grad["declared_locations"], stari_grad["matched_locations"], stari_grad["declared_not_found"]) == (
        2,
        1,
        1,
    )
    assert (stari_grad["matched_cameras"], stari_grad["mapped_not_declared"]) == (1, 0)
    assert (becej["declared_locations"], becej["declared_list_cameras"], becej["matched_locations"]) == (1, 2, 1)
    assert (becej["cameras"], becej["matched_cameras"], becej["mapped_not_declared"]) == (4, 2, 2)


def test_the_layers_give_the_declared_points_and_the_unmatched_of_each_kind(client):
    lon, lat = STARI_GRAD
    near = _offset(lon, lat, 15, 45)
    services.import_list(
        f"lat,lon,label\n{lat},{lon},Trg\n{lat + 0.003},{lon},Drugi trg\n".encode(),
        source="L",
        document_date=date(2022, 1, 1),
        licence="test",
        file_name="l.csv",
    )
    found = make_camera(*near)
    lonely = make_camera(lon - 0.004, lat)
    bbox = f"bbox={lon - 0.01},{lat - 0.01},{lon + 0.01},{lat + 0.01}&zoom=15"
    declared = client.get(f"/api/v1/declared/layers/declared?{bbox}").get_json()
    assert sorted((f["properties"]["label"], f["properties"]["found"]) for f in declared["features"]) == [
        ("Drugi trg", False),
        ("Trg", True),
    ]
    not_found = client.get(f"/api/v1/declared/layers/declared_not_found?{bbox}").get_json()
    assert [f["properties"]["label"] for f in not_found["features"]] == ["Drugi trg"]
    cameras = client.get(f"/api/v1/declared/layers/mapped_not_declared?{bbox}").get_json()
    assert [f["id"] for f in cameras["features"]] == [lonely.id]
    assert found.id not in [f["id"] for f in cameras["features"]]
    assert client.get(f"/api/v1/declared/layers/everything?{bbox}").status_code == 404
    assert client.get("/api/v1/declared/layers/declared?bbox=1,2").status_code == 400
