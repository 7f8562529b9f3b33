import pytest

from tests.factories import make_camera


@pytest.mark.parametrize(
    "url",
    [
        "/cameras/2147483648",
        "/cameras/1/photos/99999999999/thumb",
        "/api/v1/cameras/99999999999",
        "/moderation/sightings/99999999999",
    ],
)
def test_ids_beyond_a_database_integer_are_not_found(client, url):
    assert client.get(url).status_code in (401, 404)


@pytest.mark.parametrize(
    "url",
    [
        "/municipalities/%00",
        "/municipalities/%00/map",
        "/report/thanks/%00",
        "/api/v1/cameras?bbox=20,44,20.5,44.5&zoom=12&municipality=%00",
        "/api/v1/nearby?lat=44.8%00&lon=20.4",
    ],
)
def test_nul_bytes_are_refused_up_front(client, url):
    response = client.get(url)

    assert response.status_code == 400
    if url.startswith("/api/"):
        assert response.get_json()["error"]["code"] == "bad_request"


def test_ordinary_ids_still_route(client):
    camera = make_camera()

    assert client.get(f"/cameras/{camera.id}").status_code == 200
