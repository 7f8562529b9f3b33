"""What a shared cache may keep: anonymous public answers carry no Vary: Cookie and no Set-Cookie, public HTML a
short Cache-Control; anything of a session, and the report, sign-in and moderation pages, no-store."""

import pytest

from app.basemap.services import basemap_settings
from tests.factories import make_moderator, make_sighting
from tests.web import new_client, sign_in


def _vary(response) -> set[str]:
    return {value.strip() for value in response.headers.get("Vary", "").split(",") if value.strip()}


@pytest.mark.parametrize(
    "path", ["/?lang=en", "/municipalities/?lang=sr-Latn", "/about", "/api/v1/municipalities", "/cameras/", "/data"]
)
def test_an_anonymous_public_answer_can_be_shared(client, path):
    response = client.get(path)
    assert response.status_code == 200
    assert "Cookie" not in _vary(response) and "Set-Cookie" not in response.headers
    if response.mimetype == "text/html":
        assert response.headers["Cache-Control"] == "public, max-age=60"


def test_a_base_map_tile_can_be_shared(app, client):
    with app.test_request_context():
        url = basemap_settings()["url"].format(z=8, x=142, y=92)
    response = client.get(url, headers={"Accept-Encoding": "gzip"})
    assert "Cookie" not in _vary(response) and "Set-Cookie" not in response.headers
    assert "immutable" in response.headers["Cache-Control"]


@pytest.mark.parametrize("path", ["/report?lang=en", "/login"])
def test_pages_whose_form_keeps_a_token_in_the_session_are_not_stored(client, path):
    response = client.get(path)
    assert response.headers["Cache-Control"] == "no-store"
    assert "Set-Cookie" in response.headers  # the CSRF token's session


def test_the_receipt_is_never_stored(client):
    sighting = make_sighting()
    response = new_client(client.application).get(f"/report/thanks/{sighting.reference}")
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"


def test_everything_a_signed_in_moderator_gets_is_not_stored(client):
    sign_in(client, make_moderator())
    for path in ("/?lang=en", "/moderation", "/municipalities/", "/account"):
        response = client.get(path)
        assert response.headers["Cache-Control"] == "no-store", path  # the page shows who is signed in
        assert "Cookie" in _vary(response), path
    # Data that is the same for everyone keeps the policy its view declared.
    assert client.get("/api/v1/municipalities").headers["Cache-Control"] == "public, max-age=300"
