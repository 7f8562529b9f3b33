from app import geo
from app.extensions import db
from app.models import Camera
from tests.factories import BECEJ, BUDAPEST, make_camera


def test_a_camera_gets_its_municipality_when_written():
    camera = make_camera()

    assert camera.municipality.name == "Stari grad"


def test_moving_a_camera_reassigns_it():
    camera = make_camera()

    camera.location = geo.point(*BECEJ)
    db.session.flush()
    db.session.refresh(camera)

    assert camera.municipality.name == "Bečej"


def test_a_camera_outside_every_municipality_has_none():
    camera = make_camera(*BUDAPEST)

    assert camera.municipality_id is None


def test_capabilities_and_vocabulary_round_trip():
    camera = make_camera()
    db.session.expire_all()

    stored = db.session.get(Camera, camera.id)
    assert [(c.capability.value, c.evidence.value) for c in stored.capabilities] == [
        ("facial_recognition", "model_identified")
    ]
    assert stored.manufacturer.value == "Huawei"
