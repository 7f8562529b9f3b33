"""OpenStreetMap both ways: the OSM XML for JOSM and `flask osm import`."""

import json
import xml.etree.ElementTree as ET
from pathlib import Path

from sqlalchemy import select

from app.extensions import db
from app.models import Sighting
from app.vocabulary import CameraType, Manufacturer, Operator, SightingState
from tests.factories import STARI_GRAD, make_camera, make_sighting

OVERPASS = Path(__file__).parent.parent / "data" / "overpass-three-cameras.json"


def imported() -> list[Sighting]:
    return list(db.session.scalars(select(Sighting).where(Sighting.source == "openstreetmap").order_by(Sighting.id)))


def test_import_creates_pending_sightings_and_flags_the_one_near_a_camera(runner):
    camera = make_camera(*STARI_GRAD)  # node 9100000001 is about 3 m from it

    result = runner.invoke(args=["osm", "import", str(OVERPASS)])

    assert result.exit_code == 0, result.output
    assert "created 3 pending sightings" in result.output
    sightings = imported()
    assert [s.source_ref for s in sightings] == ["9100000001", "9100000002", "9100000003"]
    assert all(s.state is SightingState.PENDING for s in sightings)
    flagged = [s for s in sightings if "Possible duplicate" in (s.note or "")]
    assert [s.source_ref for s in flagged] == ["9100000001"]
    assert f"camera #{camera.id}" in flagged[0].note
    first, second, third = sightings
    assert (first.camera_type, first.manufacturer, first.model) == (CameraType.DOME, Manufacturer.HUAWEI, "IPC6625-Z30")
    assert first.operator is Operator.POLICE
    assert second.direction == 225  # "SW"
    assert (third.operator_name, third.direction, third.municipality.name) == ("Opština Bečej", 270, "Bečej")


def test_import_twice_skips_nodes_already_imported(runner):
    runner.invoke(args=["osm", "import", str(OVERPASS)])
    result = runner.invoke(args=["osm", "import", str(OVERPASS)])
    assert "created 0 pending sightings; skipped 3 already imported" in result.output
    assert len(imported()) == 3


def test_import_skips_nodes_outside_serbia_and_kosovo_and_untagged_nodes(runner, tmp_path):
    path = tmp_path / "overpass.json"
    path.write_text(
        json.dumps(
            {
                "elements": [
                    {"type": "node", "id": 1, "lat": 47.4979, "lon": 19.0402, "tags": {"man_made": "surveillance"}},
                    {"type": "node", "id": 2, "lat": 44.81, "lon": 20.46, "tags": {"amenity": "bench"}},
                    {"type": "way", "id": 3, "nodes": [1, 2]},
                ]
            }
        )
    )
    result = runner.invoke(args=["osm", "import", str(path)])
    assert result.exit_code == 0
    assert "1 outside Serbia and Kosovo, 1 not man_made=surveillance" in result.output
    assert imported() == []


def test_import_refuses_a_file_that_is_not_overpass_json_and_stores_nothing(runner, tmp_path):
    path = tmp_path / "broken.json"
    path.write_text('{"elements": [{"type": "node", "id": 5, "lat": 44.8, "lon": 20.4,')
    result = runner.invoke(args=["osm", "import", str(path)])
    assert result.exit_code == 1
    path.write_text(
        json.dumps(
            {
                "elements": [
                    {"type": "node", "id": 6, "lat": 44.81, "lon": 20.46, "tags": {"man_made": "surveillance"}},
                    {"type": "node", "id": "x", "lat": 44.8, "lon": 20.4},
                ]
            }
        )
    )
    result = runner.invoke(args=["osm", "import", str(path)])
    assert result.exit_code == 1
    assert imported() == []


def test_osm_xml_lists_new_nodes_with_negative_ids_and_tags_for_josm(client):
    camera = make_camera(last_confirmed_on=__import__("datetime").date(2026, 11, 20))
    from_osm = make_camera(20.47, 44.81)
    make_sighting(
        20.47, 44.81, source="openstreetmap", source_ref="42", state=SightingState.APPROVED, camera_id=from_osm.id
    )

    response = client.get("/api/v1/export/cameras.osm")

    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    root = ET.fromstring(response.data)  # noqa: S314  (our own response)
    assert root.tag == "osm" and root.get("version") == "0.6"
    nodes = root.findall("node")
    assert [n.get("id") for n in nodes] == [f"-{camera.id}"]  # the camera from OSM is not sent back
    tags = {t.get("k"): t.get("v") for t in nodes[0].findall("tag")}
    assert tags["man_made"] == "surveillance"
    assert tags["camera:type"] == "dome" and tags["manufacturer"] == "Huawei"
    assert tags["check_date"] == "2026-11-20"
    assert abs(float(nodes[0].get("lat")) - STARI_GRAD[1]) < 1e-6
