from datetime import date
from types import SimpleNamespace

from app.vocabulary import CameraMount, CameraType, Manufacturer, Operator, Setting, SurveillanceType, Zone, osm_tags


def test_osm_tags_follow_the_man_made_surveillance_scheme():
    camera = SimpleNamespace(
        surveillance_type=SurveillanceType.CAMERA,
        camera_type=CameraType.DOME,
        mount=CameraMount.POLE,
        direction=270,
        setting=Setting.PUBLIC,
        zone=Zone.TRAFFIC,
        operator=Operator.POLICE,
        operator_name=None,
        manufacturer=Manufacturer.HUAWEI,
        model="IPC6625-Z30",
    )

    assert osm_tags(camera, check_date=date(2026, 11, 1)) == {
        "man_made": "surveillance",
        "surveillance:type": "camera",
        "camera:type": "dome",
        "camera:mount": "pole",
        "camera:direction": "270",
        "surveillance": "public",
        "surveillance:zone": "traffic",
        "operator": "Ministarstvo unutrašnjih poslova",
        "manufacturer": "Huawei",
        "model": "IPC6625-Z30",
        "check_date": "2026-11-01",
    }


def test_unknown_values_are_left_out_of_osm_tags():
    camera = SimpleNamespace(
        surveillance_type=SurveillanceType.CAMERA,
        camera_type=None,
        mount=None,
        direction=None,
        setting=None,
        zone=None,
        operator=Operator.UNKNOWN,
        operator_name=None,
        manufacturer=Manufacturer.UNKNOWN,
        model=None,
    )

    assert osm_tags(camera) == {"man_made": "surveillance", "surveillance:type": "camera"}


def test_the_database_and_the_application_agree_on_which_cameras_are_on_the_map(app):
    """camera_counted(status) keeps the counts and tile cells; MAPPED_CAMERA_STATUSES filters every query."""
    from sqlalchemy import text

    from app.extensions import db
    from app.vocabulary import MAPPED_CAMERA_STATUSES, CameraStatus

    in_database = {
        status for status in CameraStatus if db.session.scalar(text("SELECT camera_counted(:s)"), {"s": status.value})
    }
    assert in_database == set(MAPPED_CAMERA_STATUSES)
    functions = db.session.execute(
        text("SELECT proname, prosrc FROM pg_proc WHERE proname IN ('count_camera', 'camera_cells_track')")
    ).all()
    assert {name for name, _ in functions} == {"count_camera", "camera_cells_track"}
    assert all("camera_counted(" in body and "'removed'" not in body for _, body in functions)
