"""The report page opened from a camera page's "I saw it too" / "it is gone" links."""

from tests.factories import make_camera


def test_a_camera_page_link_prefills_the_camera_and_its_place(client):
    camera = make_camera(20.4569, 44.8176)

    html = client.get(f"/report?confirms={camera.id}&lang=en").get_data(as_text=True)

    assert f"confirming that camera #{camera.id} is still there" in html
    assert f'value="{camera.id}"' in html
    assert 'value="44.817600"' in html and 'value="20.456900"' in html


def test_an_it_is_gone_link_says_so_in_the_note(client):
    camera = make_camera()

    html = client.get(f"/report?confirms={camera.id}&gone=1&lang=en").get_data(as_text=True)

    assert f"camera #{camera.id} is gone" in html
    assert "This camera is no longer there." in html


def test_links_to_unknown_cameras_give_the_empty_form(client):
    html = client.get("/report?confirms=99999999&gone=1&lang=en").get_data(as_text=True)

    assert "confirming-note" not in html
    assert "no longer there" not in html


def test_links_to_removed_cameras_give_the_empty_form(client):
    from app.vocabulary import CameraStatus

    camera = make_camera(status=CameraStatus.REMOVED)

    html = client.get(f"/report?confirms={camera.id}&lang=en").get_data(as_text=True)

    assert "confirming-note" not in html  # the report would be refused on sending: do not offer it
