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
