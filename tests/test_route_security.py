"""Every route in app.url_map, for every kind of caller: nothing private answers 2xx to the wrong person,
every state-changing route refuses a request without a CSRF token, and no GET changes the database.

Routes added later are covered automatically. A route meant for everyone must be added to PUBLIC_ENDPOINTS
(or its blueprint to PUBLIC_BLUEPRINTS) on purpose, in review.
"""

import pytest
from sqlalchemy import text
from werkzeug.routing import AnyConverter, IntegerConverter, PathConverter

from app.auth import tokens
from app.extensions import db
from app.vocabulary import Role
from tests.factories import make_camera, make_moderator, make_sighting
from tests.web import csrf_token, new_client, sign_in

# Blueprints whose every GET route is meant for everyone (their other methods are still checked).
PUBLIC_BLUEPRINTS = {
    "api_docs",
    "assets",
    "basemap",
    "camera_list",
    "cameras",
    "feeds",
    "health",
    "maps",
    "municipalities",
    "opendata",
    "pages",
    "photos",
    "submissions",
    "tiles",
}
# Single public routes, any method: the open API, citizens' reports (no account on purpose), and the
# sign-in steps, which must be reachable before signing in.
PUBLIC_ENDPOINTS = {
    "static",
    "api.camera",
    "api.cameras_in_viewport",
    "api.create_sighting",
    "api.export_cameras_csv",
    "api.export_cameras_geojson",
    "api.export_cameras_osm",
    "api.export_municipalities_csv",
    "api.municipalities_geojson",
    "api.nearby",
    "api.openapi_json",
    "submissions.send_report",
    "auth.login",
    "auth.second_factor",
    "auth.enrol",
}
ADMIN_ONLY = {"moderation.audit", "declared.admin", "declared.import_list"}
ADMIN_BLUEPRINTS = {"admin"}
STATE_CHANGING = {"POST", "PUT", "PATCH", "DELETE"}
ROLES = ("anonymous", "moderator", "admin", "disabled moderator")


def is_public(rule, method: str) -> bool:
    if rule.endpoint in PUBLIC_ENDPOINTS:
        return True
    return method == "GET" and rule.endpoint.split(".")[0] in PUBLIC_BLUEPRINTS


def is_admin_only(rule) -> bool:
    return rule.endpoint in ADMIN_ONLY or rule.endpoint.split(".")[0] in ADMIN_BLUEPRINTS


@pytest.fixture
def world(app):
    """One of everything a URL can name."""
    moderator = make_moderator("mod@example.org")
    admin = make_moderator("admin@example.org", Role.ADMIN)
    disabled = make_moderator("gone@example.org")
    other = make_moderator("other@example.org")
    sighting = make_sighting(photos=1)
    camera = make_camera()
    token, _secret = tokens.create_token(moderator, "matrix")
    db.session.commit()
    return {
        "users": {"moderator": moderator, "admin": admin, "disabled moderator": disabled},
        "ids": {
            "sighting_id": sighting.id,
            "camera_id": camera.id,
            "photo_id": sighting.photos[0].id,
            "user_id": other.id,
            "token_id": token.id,
        },
    }


def build_url(app, rule, ids: dict) -> str:
    values = {}
    for name in rule.arguments:
        converter = rule._converters[name]
        if isinstance(converter, IntegerConverter):
            values[name] = ids.get(name, ids["sighting_id"])
        elif isinstance(converter, AnyConverter):
            values[name] = sorted(converter.items)[0]
        elif isinstance(converter, PathConverter):
            values[name] = "leaflet.js"
        else:
            values[name] = "leaflet" if name == "package" else "x"
    return app.url_map.bind("localhost").build(rule.endpoint, values, method=next(iter(rule.methods)))


def client_for(app, role: str, world):
    client = new_client(app)
    if role == "anonymous":
        return client
    user = world["users"][role]
    sign_in(client, user)
    if role == "disabled moderator":
        user.active = False  # disabled after signing in: the live session must stop working
        db.session.commit()
    return client


def routes(app):
    # Signing out last, so it does not end the session the other checks use.
    return sorted(app.url_map.iter_rules(), key=lambda rule: (rule.endpoint == "auth.logout", rule.rule))


@pytest.mark.parametrize("role", ROLES)
def test_no_private_route_answers_2xx_to_the_wrong_caller(app, world, role):
    client = client_for(app, role, world)
    token = csrf_token(client.get("/login").get_data(as_text=True)) if role != "moderator" and role != "admin" else None
    if token is None:
        token = csrf_token(client.get("/account").get_data(as_text=True))
    unexpected, checked = [], 0
    for rule in routes(app):
        url = build_url(app, rule, world["ids"])
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            if is_public(rule, method):
                continue
            response = client.open(url, method=method, data={"csrf_token": token} if method != "GET" else None)
            checked += 1
            allowed = role == "admin" or (role == "moderator" and not is_admin_only(rule))
            if 200 <= response.status_code < 300 and not allowed:
                unexpected.append(f"{method} {url} ({rule.endpoint}) -> {response.status_code}")
            if allowed and method == "GET" and not rule.rule.startswith("/api/"):
                assert response.status_code == 200, f"{role} cannot open {url}: {response.status_code}"
    assert checked > 20
    assert unexpected == []


def _database_signature() -> dict:
    """Per table: row count and the physical row versions (any INSERT, UPDATE or DELETE changes them)."""
    tables = [table.name for table in db.metadata.sorted_tables]
    signature = {}
    for table in tables:
        signature[table] = db.session.execute(
            text(f"SELECT count(*), md5(string_agg(ctid::text, ',' ORDER BY ctid)) FROM \"{table}\"")  # noqa: S608
        ).one()
    return signature


@pytest.mark.parametrize("role", ["moderator", "admin"])
def test_no_get_changes_the_database(app, world, role):
    client = client_for(app, role, world)
    before = _database_signature()

    for rule in routes(app):
        if "GET" in rule.methods:
            client.get(build_url(app, rule, world["ids"]))

    assert _database_signature() == before


def test_every_state_changing_route_refuses_a_missing_csrf_token(app, world):
    client = client_for(app, "admin", world)
    before = _database_signature()
    checked = []

    for rule in routes(app):
        for method in sorted(rule.methods & STATE_CHANGING):
            url = build_url(app, rule, world["ids"])
            response = client.open(url, method=method, data={"reason": "x", "category": "spam", "camera_id": "1"})
            checked.append(url)
            if rule.rule.startswith("/api/"):
                # The API takes no cookies: without a Bearer token it refuses before anything else.
                assert 400 <= response.status_code < 500, f"{method} {url} -> {response.status_code}"
            else:
                assert response.status_code == 400, f"{method} {url} -> {response.status_code}"
                assert "Obrazac je istekao" in response.get_data(as_text=True)

    assert len(checked) > 15
    assert _database_signature() == before
    assert client.get("/moderation").status_code == 200  # still signed in: the refusals were about CSRF


@pytest.mark.parametrize(
    ("headers", "refused"),
    [
        ({"Origin": "https://evil.example"}, True),
        ({"Origin": "null"}, True),  # a sandboxed frame or a no-referrer page of another site
        ({"Referer": "https://evil.example/page"}, True),
        ({"Origin": "http://localhost"}, False),  # the configured public origin
        ({"Referer": "http://localhost/account"}, False),
        ({}, False),  # neither header (privacy tools strip both): the CSRF token alone decides
    ],
)
def test_a_state_changing_request_from_another_site_is_refused_even_with_a_valid_token(app, headers, refused):
    client = new_client(app)
    sign_in(client, make_moderator())
    token = csrf_token(client.get("/account?tab=tokens").get_data(as_text=True))

    response = client.post("/account", data={"csrf_token": token, "name": "x", "password": "wrong"}, headers=headers)

    assert (response.status_code == 403) is refused, response.status_code


def test_the_host_a_proxy_passes_does_not_make_an_origin_ours(app):
    from werkzeug.exceptions import Forbidden

    from app.security import check_origin

    forged = {"Origin": "https://evil.example", "Host": "evil.example", "X-Forwarded-Host": "evil.example"}
    with app.test_request_context("/account", method="POST", headers=forged), pytest.raises(Forbidden):
        check_origin()
    with app.test_request_context("/account", method="POST", headers={"Origin": "http://localhost"}):
        assert check_origin() is None


def test_the_cookieless_api_is_not_subject_to_the_origin_check(client):
    response = client.post("/api/v1/moderation/sightings/1/approve", headers={"Origin": "https://evil.example"})

    assert response.status_code == 401  # the token decides, as for any API client
