"""Within N metres (app.geo.within_metres): exact at the edge of the radius at any latitude, and answered by
the GiST index in every place that asks it (/api/v1/nearby, the moderation page, the OSM import)."""

import json
from contextlib import contextmanager

import pytest
from sqlalchemy import event, select, text
from sqlalchemy.engine import Engine

from app.extensions import db
from app.models import Sighting
from app.moderation import queue
from tests.factories import STARI_GRAD, make_camera, make_moderator, make_sighting, point_from
from tests.web import sign_in

TROMSO = (18.9553, 69.6492)
LONGYEARBYEN = (15.6356, 78.2232)
BEARINGS = (0, 45, 90, 135, 270)
CROWD_CAMERAS = """
INSERT INTO cameras (location, status, first_confirmed_on, last_confirmed_on, confirmation_count, version,
                     surveillance_type)
SELECT ST_SetSRID(ST_MakePoint(19.5 + random() * 3, 42.5 + random() * 2.1), 4326), 'active',
       DATE '2026-11-01', DATE '2026-11-01', 1, 1, 'camera'
FROM generate_series(1, 3000)
"""
CROWD_SIGHTINGS = """
INSERT INTO sightings (reference, location, state, source, submitted_on, version, surveillance_type)
SELECT 'CROWD' || g, ST_SetSRID(ST_MakePoint(19.5 + random() * 3, 42.5 + random() * 2.1), 4326), 'pending',
       'web', DATE '2026-11-01', 1, 'camera'
FROM generate_series(1, 3000) AS g
"""  # east-west is where a degree of longitude shrinks with the latitude


def nearby_ids(client, lon: float, lat: float) -> list[int]:
    response = client.get(f"/api/v1/nearby?lat={lat}&lon={lon}")
    assert response.status_code == 200
    return [camera["id"] for camera in response.json["cameras"]]


@pytest.mark.parametrize("place", [STARI_GRAD, TROMSO, LONGYEARBYEN], ids=["Belgrade", "Tromsø", "Svalbard"])
@pytest.mark.parametrize("bearing", BEARINGS)
def test_nearby_finds_a_camera_at_29_m_and_not_one_at_31_m(client, place, bearing):
    inside = make_camera(*point_from(*place, 29, bearing))
    outside = make_camera(*point_from(*place, 31, bearing))

    found = nearby_ids(client, *place)

    assert inside.id in found
    assert outside.id not in found


def test_nearby_distances_are_metres_on_the_ellipsoid(client):
    make_camera(*point_from(*TROMSO, 20, 90))

    (camera,) = client.get(f"/api/v1/nearby?lat={TROMSO[1]}&lon={TROMSO[0]}").json["cameras"]

    assert camera["distance_m"] == pytest.approx(20, abs=0.2)


@pytest.mark.parametrize("place", [STARI_GRAD, TROMSO], ids=["Belgrade", "Tromsø"])
def test_the_moderation_page_shows_neighbours_within_50_m_at_any_latitude(place):
    sighting = make_sighting(*place)
    camera = make_camera(*point_from(*place, 49, 90))
    far_camera = make_camera(*point_from(*place, 51, 90))
    neighbour = make_sighting(*point_from(*place, 49, 270))
    far_neighbour = make_sighting(*point_from(*place, 51, 270))

    found = queue.nearby(sighting)

    assert [c["id"] for c in found["cameras"]] == [camera.id]
    assert [s["id"] for s in found["pending"]] == [neighbour.id]
    assert far_camera.id and far_neighbour.id


def overpass_file(tmp_path, *nodes: tuple[float, float]):
    elements = [
        {"type": "node", "id": 9200000000 + number, "lat": lat, "lon": lon, "tags": {"man_made": "surveillance"}}
        for number, (lon, lat) in enumerate(nodes, 1)
    ]
    path = tmp_path / "overpass.json"
    path.write_text(json.dumps({"version": 0.6, "elements": elements}))
    return path


def test_the_osm_import_flags_nodes_within_10_m_of_a_camera_and_not_at_11_m(runner, tmp_path):
    camera = make_camera(*STARI_GRAD)
    path = overpass_file(tmp_path, point_from(*STARI_GRAD, 9, 90), point_from(*STARI_GRAD, 11, 0))

    result = runner.invoke(args=["osm", "import", str(path)])

    assert result.exit_code == 0, result.output
    assert "flagged as possible duplicates" in result.output
    notes = db.session.scalars(select(Sighting.note).where(Sighting.source == "openstreetmap").order_by(Sighting.id))
    near, far = notes.all()
    assert f"camera #{camera.id}" in near
    assert "Possible duplicate" not in far


@contextmanager
def distance_queries():
    """Every SQL statement run meanwhile that tests a distance (ST_DWithin), with its parameters."""
    seen: list[tuple[str, object]] = []

    def record(_connection, _cursor, statement, parameters, _context, _executemany):
        if "ST_DWithin" in statement:
            seen.append((statement, parameters))

    event.listen(Engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(Engine, "before_cursor_execute", record)


@pytest.fixture
def crowded(owner_statement):
    """Thousands of cameras and pending sightings south of Belgrade, counted by ANALYZE, so the planner weighs
    the location indexes against the others (the state index, the primary keys) as on the real tables."""
    db.session.execute(text(CROWD_CAMERAS))
    db.session.execute(text(CROWD_SIGHTINGS))
    owner_statement("ANALYZE cameras, sightings")  # only a table's owner may ANALYZE it


def plan_nodes(statement: str, parameters) -> list[dict]:
    """The nodes of the statement's plan when sequential scans cost as much as the planner allows."""
    connection = db.session.connection()
    connection.exec_driver_sql("SET LOCAL enable_seqscan = off")
    try:
        (plan,) = connection.exec_driver_sql("EXPLAIN (FORMAT JSON) " + statement, parameters).scalar()
    finally:
        connection.exec_driver_sql("SET LOCAL enable_seqscan = on")
    nodes, stack = [], [plan["Plan"]]
    while stack:
        node = stack.pop()
        nodes.append(node)
        stack.extend(node.get("Plans", []))
    return nodes


def assert_uses_index(statement: str, parameters, table: str, index: str) -> None:
    """The plan reads `table` through `index` and never scans it whole (primary-key lookups may come too)."""
    nodes = plan_nodes(statement, parameters)
    scans = [(n["Node Type"], n.get("Index Name")) for n in nodes if n.get("Relation Name") == table]
    assert any(name == index for _type, name in scans), f"{table} is not read through {index}: {scans}"
    assert all(kind != "Seq Scan" for kind, _name in scans), scans


def test_nearby_reads_cameras_through_the_location_index(client, crowded):
    make_camera()
    with distance_queries() as seen:
        nearby_ids(client, *STARI_GRAD)

    assert len(seen) == 1
    assert_uses_index(*seen[0], "cameras", "idx_cameras_location")


def test_the_moderation_page_reads_neighbours_through_the_location_indexes(client, crowded):
    sign_in(client, make_moderator())
    sighting = make_sighting()
    with distance_queries() as seen:
        assert client.get(f"/moderation/sightings/{sighting.id}").status_code == 200

    tables = {("cameras" if "FROM cameras" in sql else "sightings"): (sql, params) for sql, params in seen}
    assert set(tables) == {"cameras", "sightings"}
    assert_uses_index(*tables["cameras"], "cameras", "idx_cameras_location")
    assert_uses_index(*tables["sightings"], "sightings", "idx_sightings_location")


def test_the_osm_import_looks_for_duplicates_through_the_location_index(runner, tmp_path, crowded):
    make_camera()
    with distance_queries() as seen:
        runner.invoke(args=["osm", "import", str(overpass_file(tmp_path, STARI_GRAD))])

    assert len(seen) == 1
    assert_uses_index(*seen[0], "cameras", "idx_cameras_location")
