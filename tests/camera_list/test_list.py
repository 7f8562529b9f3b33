"""The camera list without JavaScript: filters from the map's vocabulary, pages, links to every camera's page."""

import re
import xml.etree.ElementTree as ET

from app.extensions import db
from app.municipalities.profiles import COLOURS
from app.vocabulary import CameraStatus, Capability, Evidence, Manufacturer
from tests.factories import BECEJ, BECEJ_CODE, STARI_GRAD, STARI_GRAD_CODE, make_camera

PLATE = {Capability.NUMBER_PLATE_RECOGNITION: Evidence.PROCUREMENT_DOCUMENT}


def _listed(client, query: str = "") -> list[int]:
    page = client.get(f"/cameras/?lang=en{query}")
    assert page.status_code == 200
    return [int(i) for i in re.findall(r'<tr data-camera="(\d+)">', page.get_data(as_text=True))]


def test_the_list_filters_by_municipality_vendor_capability_type_and_status(client):
    huawei = make_camera(*STARI_GRAD)
    dahua = make_camera(*BECEJ, manufacturer=Manufacturer.DAHUA, capabilities=PLATE)
    removed = make_camera(20.46, 44.82, status=CameraStatus.REMOVED)
    db.session.commit()

    assert _listed(client) == [dahua.id, huawei.id]  # newest first; removed cameras are not on the map
    assert _listed(client, f"&municipality={BECEJ_CODE}") == [dahua.id]
    assert _listed(client, "&manufacturer=Huawei") == [huawei.id]
    assert _listed(client, "&capability=number_plate_recognition") == [dahua.id]
    assert _listed(client, "&camera_type=dome&manufacturer=Dahua") == [dahua.id]
    assert _listed(client, "&status=removed") == [removed.id]
    assert _listed(client, f"&municipality={STARI_GRAD_CODE}&manufacturer=Dahua") == []
    assert client.get("/cameras/?capability=mind_reading").status_code == 400


def test_the_list_pages_and_links_each_camera_and_keeps_the_filters(client):
    cameras = [make_camera(20.40 + i * 0.001, 44.80) for i in range(53)]
    db.session.commit()
    first = client.get("/cameras/?lang=en&manufacturer=Huawei").get_data(as_text=True)
    assert "53 cameras" in first and "Page 1 of 2" in first
    assert f'href="/cameras/{cameras[-1].id}?lang=en"' in first
    assert 'rel="next" href="/cameras/?page=2&amp;manufacturer=Huawei&amp;lang=en"' in first
    assert _listed(client, "&manufacturer=Huawei&page=2") == [c.id for c in reversed(cameras[:3])]
    assert _listed(client, "&page=99")[-1] == cameras[0].id  # past the end: the last page


def test_a_municipality_page_lists_its_cameras_with_links(client):
    inside = make_camera(*BECEJ)
    make_camera(*STARI_GRAD)
    db.session.commit()
    page = client.get(f"/municipalities/{BECEJ_CODE}?lang=en").get_data(as_text=True)
    section = page[page.index('id="cameras"') :]
    assert re.findall(r'<tr data-camera="(\d+)">', section) == [str(inside.id)]
    assert f'href="/cameras/{inside.id}?lang=en"' in section
    assert "1 verified camera, newest first." in section


def test_a_camera_page_gives_coordinates_a_map_for_scripts_and_a_plain_link_to_openstreetmap(client):
    camera = make_camera(*STARI_GRAD)
    db.session.commit()
    page = client.get(f"/cameras/{camera.id}?lang=en").get_data(as_text=True)
    assert '<data id="coordinates" value="44.817600,20.456900"' in page
    # Without scripts static/css/noscript.css removes the map's box; with them it is there from the first paint.
    assert '<div id="camera-map" class="camera-map"' in page and "js/camera-map.js" in page
    assert "css/noscript.css" in page
    assert 'href="https://www.openstreetmap.org/?mlat=44.817600&amp;mlon=20.456900#map=19/44.817600/20.456900"' in page
    # The page loads nothing from another host: the link is only followed when the reader clicks it.
    assert not re.search(r'src="(https?:)?//', page)


def test_the_choropleth_image_is_an_svg_with_every_municipality_in_its_place(client):
    make_camera(*BECEJ)
    db.session.commit()
    response = client.get("/municipalities/map.svg?lang=en")
    assert response.mimetype == "image/svg+xml"
    svg = ET.fromstring(response.data)  # noqa: S314 (our own answer)
    ns = {"svg": "http://www.w3.org/2000/svg"}
    paths = {path.get("data-code"): path for path in svg.iterfind(".//svg:path", ns)}
    assert len(paths) == 199
    assert paths[BECEJ_CODE].get("fill") != COLOURS[0] and paths[STARI_GRAD_CODE].get("fill") == COLOURS[0]

    def first_y(path) -> float:
        return float(path.get("d").split()[2])

    assert first_y(paths[BECEJ_CODE]) < first_y(paths[STARI_GRAD_CODE])  # Bečej lies north of Belgrade
    assert svg.find("svg:title", ns).text == "Cameras"
