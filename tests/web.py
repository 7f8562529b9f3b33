"""Helpers for driving the HTML pages with Flask's test client, CSRF tokens included."""

import re
from urllib.parse import parse_qsl, urlencode, urlsplit

from flask import g
from flask.testing import FlaskClient

from tests.factories import totp_now

PASSWORD = "correct horse battery"


def hidden(html: str, name: str) -> str:
    """The value of a hidden input in a rendered form."""
    return re.search(rf'name="{name}"[^>]*value="([^"]*)"|value="([^"]*)"[^>]*name="{name}"', html).group(1)


def csrf_token(html: str) -> str:
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html) or re.search(
        r'name="csrf_token" value="([^"]+)"', html
    )
    assert match, "no CSRF token in the page"
    return match.group(1)


def where(response) -> str:
    """Where a redirect goes, without the language every URL of the site carries (?lang=)."""
    parts = urlsplit(response.headers["Location"])
    query = urlencode([(key, value) for key, value in parse_qsl(parts.query) if key != "lang"])
    return parts.path + (f"?{query}" if query else "")


def post_form(client, page_url: str, action_url: str, data: dict, **kwargs):
    """GET a page for its CSRF token, then POST `data` to `action_url`."""
    token = csrf_token(client.get(page_url).get_data(as_text=True))
    return client.post(action_url, data={"csrf_token": token, **data}, **kwargs)


def post_report(client, data: dict, action: str = "/report?lang=en", **kwargs):
    """GET the report page as a browser would, then POST its form (CSRF token and Idempotency-Key included)."""
    page = client.get("/report?lang=en").get_data(as_text=True)
    form = {"csrf_token": hidden(page, "csrf_token"), "idempotency_key": hidden(page, "idempotency_key"), **data}
    return client.post(action, data=form, **kwargs)


def sign_in(client, user, password: str = PASSWORD, step: int = 0):
    """Password, then the TOTP code; returns the response of the second step."""
    response = post_form(client, "/login", "/login", {"email": user.email, "password": password})
    assert response.status_code == 302, response.get_data(as_text=True)
    assert where(response).endswith("/login/code")
    return post_form(client, "/login/code", "/login/code", {"code": totp_now(user.totp_secret, step)})


class FreshClient(FlaskClient):
    """A test client whose every request starts with an empty `g`, as in production.

    The test's `transaction` fixture keeps an app context pushed, and Flask reuses it for test-client requests,
    so `g` (Flask-Login's cached user, Flask-WTF's CSRF token) would otherwise leak from one request to the next.
    """

    def open(self, *args, **kwargs):
        for key in list(g):
            g.pop(key, None)
        return super().open(*args, **kwargs)


def new_client(app) -> FreshClient:
    return FreshClient(app, app.response_class, use_cookies=True)
