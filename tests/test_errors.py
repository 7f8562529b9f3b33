import pytest

from app import create_app
from app.config import ProductionConfig


def test_unknown_page_is_an_html_error_in_serbian(client):
    response = client.get("/nope")

    assert response.status_code == 404
    assert response.mimetype == "text/html"
    assert "Ova stranica ne postoji." in response.get_data(as_text=True)


def test_unknown_api_route_is_a_json_envelope_in_the_request_language(client):
    response = client.get("/api/v1/nope", headers={"Accept-Language": "en"})

    assert response.status_code == 404
    assert response.get_json() == {
        "error": {"code": "not_found", "message": "This page does not exist.", "details": {}}
    }


def test_wrong_method_on_api_is_a_json_envelope(client):
    response = client.post("/api/v1/municipalities")

    assert response.status_code == 405
    assert response.get_json()["error"]["code"] == "method_not_allowed"


@pytest.fixture
def failing_app(app):
    fresh = create_app("testing")

    @fresh.get("/boom")
    def boom():
        raise RuntimeError("secret internals")

    @fresh.get("/api/v1/boom")
    def api_boom():
        raise RuntimeError("secret internals")

    return fresh


def test_a_crash_shows_no_stack_trace(failing_app):
    client = failing_app.test_client()

    page = client.get("/boom")
    api = client.get("/api/v1/boom")

    assert page.status_code == 500 and api.status_code == 500
    assert "secret internals" not in page.get_data(as_text=True)
    assert "Traceback" not in page.get_data(as_text=True)
    assert api.get_json()["error"]["code"] == "internal_error"
    assert "secret internals" not in api.get_data(as_text=True)


def test_debug_is_off_outside_development(app):
    class Production(ProductionConfig):
        SQLALCHEMY_DATABASE_URI = app.config["SQLALCHEMY_DATABASE_URI"]

    assert create_app(Production).debug is False
    assert create_app("testing").debug is False


def _subclasses(kind: type) -> list[type]:
    return [sub for direct in kind.__subclasses__() for sub in (direct, *_subclasses(direct))]


def test_every_domain_error_is_in_the_one_catalogue(app):
    """A feature that defines its own error class would have a code and status nobody can look up."""
    from app import errors

    everywhere = _subclasses(errors.DomainError)

    assert everywhere, "the app defines domain errors"
    assert {kind.__module__ for kind in everywhere} == {"app.errors"}
    assert set(everywhere) <= set(errors.CATALOGUE)
    codes = [errors.error_code(kind) for kind in errors.CATALOGUE]
    assert len(codes) == len(set(codes))
    assert errors.PhotoTooLarge("x").code == "photo_too_large" and errors.PhotoTooLarge("x").status == 413


def test_the_api_token_error_says_how_to_authenticate(client):
    response = client.get("/api/v1/moderation/sightings", headers={"Accept-Language": "en"})

    assert response.status_code == 401
    assert response.get_json()["error"]["code"] == "unauthorized"
    assert response.headers["WWW-Authenticate"] == 'Bearer realm="moderation"'
