"""The report page opened from a camera page's "I saw it too" / "it is gone" links."""

import re

from tests.factories import make_camera


def test_a_camera_page_link_prefills_the_camera_and_its_place(client):
    camera = make_camera(20.4569, 44.8176)

    html = client.get(f"/report?confirms={camera.id}&lang=en").get_data(as_text=True)

    assert f"confirming that camera #{camera.id} is still there" in html
    assert f'value="{camera.id}"' in html
    assert 'value="44.817600"' in html and 'value="20.456900"' in html


def test_an_it_is_gone_link_ticks_the_gone_field_and_leaves_the_note_to_the_reporter(client):
    camera = make_camera()

    html = client.get(f"/report?confirms={camera.id}&gone=1&lang=en").get_data(as_text=True)

    assert f"camera #{camera.id} is gone" in html
    assert re.search(r'<input type="checkbox" name="gone" value="1" id="gone" checked>', html)
    assert re.search(r'<textarea[^>]*id="note"[^>]*>\s*</textarea>', html)


def test_a_saw_it_too_link_leaves_the_gone_field_unticked(client):
    camera = make_camera()

    html = client.get(f"/report?confirms={camera.id}&lang=en").get_data(as_text=True)

    assert 'id="gone" checked' not in html


def test_links_to_unknown_cameras_give_the_empty_form(client):
    html = client.get("/report?confirms=99999999&gone=1&lang=en").get_data(as_text=True)

    assert "confirming-note" not in html
    assert 'id="gone" checked' not in html


def test_links_to_removed_cameras_give_the_empty_form(client):
    from app.vocabulary import CameraStatus

    camera = make_camera(status=CameraStatus.REMOVED)

    html = client.get(f"/report?confirms={camera.id}&lang=en").get_data(as_text=True)

    assert "confirming-note" not in html  # the report would be refused on sending: do not offer it
