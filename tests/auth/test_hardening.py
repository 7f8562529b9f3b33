"""Hostile input and credential lifetime: redirects after sign-in, API tokens, odd codes and e-mails, TOTP replay."""

import time
from urllib.parse import quote

import pytest
from sqlalchemy import select, text

from app.auth import services, tokens
from app.errors import DomainError
from app.extensions import db
from app.models import ApiToken, User
from app.vocabulary import Role
from tests.factories import make_moderator, totp_now
from tests.web import PASSWORD, csrf_token, new_client, post_form, sign_in, where

API = "/api/v1/moderation/sightings?state=pending"


def _sign_in_with_next(client, user, next_url: str):
    login = f"/login?next={quote(next_url, safe='')}"
    response = post_form(client, "/login", login, {"email": user.email, "password": PASSWORD})
    assert response.status_code == 302, response.get_data(as_text=True)
    return post_form(client, "/login/code", "/login/code", {"code": totp_now(user.totp_secret)})


@pytest.mark.parametrize(
    "next_url",
    [
        "/\t/evil.example",
        "/\n/evil.example",
        "/\r\nLocation: https://evil.example",
        "/ /evil.example",
        "/\\evil.example",
        "//evil.example",
        "https://evil.example/",
        "javascript:alert(1)",
        "/\u200b/evil.example",
        "evil.example",
    ],
)
def test_sign_in_never_redirects_off_site(client, next_url):
    user = make_moderator()

    response = _sign_in_with_next(client, user, next_url)

    assert response.status_code == 302
    assert where(response) == "/moderation"


def test_sign_in_returns_to_the_local_page_asked_for(client):
    user = make_moderator()

    response = _sign_in_with_next(client, user, "/account?tab=tokens")

    assert response.status_code == 302 and where(response) == "/account?tab=tokens"


def _token_works(app, secret: str) -> bool:
    status = new_client(app).get(API, headers={"Authorization": f"Bearer {secret}"}).status_code
    assert status in (200, 401)
    return status == 200


def test_changing_the_password_revokes_every_api_token(app, client):
    user = make_moderator()
    _row, secret = tokens.create_token(user, "scripts")
    assert _token_works(app, secret)
    sign_in(client, user)

    post_form(
        client,
        "/account",
        "/account",
        {"current": PASSWORD, "new": "ein neues langes Passwort", "repeat": "ein neues langes Passwort"},
    )

    assert not _token_works(app, secret)


def test_resetting_the_second_factor_or_disabling_revokes_every_api_token(app):
    admin = make_moderator("admin@example.org", Role.ADMIN)
    moderator = make_moderator()
    _row, first = tokens.create_token(moderator, "first")
    admin_client = new_client(app)
    sign_in(admin_client, admin)

    post_form(admin_client, "/admin/users", f"/admin/users/{moderator.id}/reset-2fa", {})
    assert not _token_works(app, first)

    _row, second = tokens.create_token(moderator, "second")
    post_form(admin_client, "/admin/users", f"/admin/users/{moderator.id}/disable", {})
    post_form(admin_client, "/admin/users", f"/admin/users/{moderator.id}/enable", {})

    assert db.session.get(User, moderator.id).active
    assert not _token_works(app, second)  # re-enabling does not bring old tokens back


def test_signing_out_of_the_browser_keeps_api_tokens(app, client):
    user = make_moderator()
    _row, secret = tokens.create_token(user, "scripts")
    sign_in(client, user)

    client.post("/logout", data={"csrf_token": csrf_token(client.get("/moderation").get_data(as_text=True))})

    assert client.get("/moderation").status_code == 302
    assert _token_works(app, secret)


def _token_count(user: User) -> int:
    return len(db.session.scalars(select(ApiToken).where(ApiToken.user_id == user.id)).all())


@pytest.mark.parametrize("password", ["", "wrong password!"])
def test_creating_an_api_token_asks_for_the_password_again(client, password):
    user = make_moderator()
    sign_in(client, user)

    response = post_form(client, "/account", "/account/tokens", {"name": "scripts", "password": password})

    assert response.status_code == 302 and where(response).endswith("/account")
    assert _token_count(user) == 0
    page = client.get("/account").get_data(as_text=True)
    assert 'role="alert"' in page and "hk_" not in page


def test_creating_an_api_token_with_the_password_shows_it_once(client):
    user = make_moderator()
    sign_in(client, user)

    response = post_form(client, "/account", "/account/tokens", {"name": "scripts", "password": PASSWORD})

    assert response.status_code == 200 and "hk_" in response.get_data(as_text=True)
    assert _token_count(user) == 1


@pytest.mark.parametrize("code", ["١٢٣٤٥٦", "１２３４５６", "12345６", "123 ٤٥٦"])
def test_non_ascii_digits_are_a_form_error(client, code):
    user = make_moderator()
    post_form(client, "/login", "/login", {"email": user.email, "password": PASSWORD})

    response = post_form(client, "/login/code", "/login/code", {"code": code})

    assert response.status_code == 200
    assert "field-error" in response.get_data(as_text=True)
    assert client.get("/moderation").status_code == 302


def test_non_ascii_digits_are_refused_by_the_service():
    user = make_moderator()
    with pytest.raises(DomainError):
        services.verify_second_factor(user, "١٢٣٤٥٦")
    assert db.session.get(User, user.id).failed_logins == 1


@pytest.mark.parametrize(
    "email", ["mod@example.org\x00", "mod\x00@example.org", "mod@exa\x07mple.org", "mod@\u202eexample.org"]
)
def test_control_characters_in_the_email_are_a_form_error(client, email):
    make_moderator()

    response = post_form(client, "/login", "/login", {"email": email, "password": PASSWORD})

    assert response.status_code == 200
    assert "field-error" in response.get_data(as_text=True)


def test_a_code_used_by_a_concurrent_request_is_refused():
    """Another request stored the step after this one read the user: the write must notice and refuse."""
    user = make_moderator()
    code = totp_now(user.totp_secret)
    step = int(time.time()) // 30
    assert user.totp_last_step is None
    # The concurrent request's write, made behind this session's back (the loaded user still says None).
    db.session.execute(text("UPDATE users SET totp_last_step = :s WHERE id = :id"), {"s": step + 1, "id": user.id})

    with pytest.raises(DomainError):
        services.verify_second_factor(user, code)


def test_a_locked_account_answers_like_an_unknown_email(client):
    user = make_moderator()
    for _ in range(services.FREE_ATTEMPTS):
        post_form(client, "/login", "/login", {"email": user.email, "password": "wrong password!"})
    assert db.session.get(User, user.id).locked_until is not None

    locked = post_form(client, "/login", "/login", {"email": user.email, "password": "wrong password!"})
    locked_right = post_form(client, "/login", "/login", {"email": user.email, "password": PASSWORD})
    unknown = post_form(client, "/login", "/login", {"email": "nobody@example.org", "password": "wrong password!"})

    assert locked.status_code == locked_right.status_code == unknown.status_code == 401

    def message(response):
        return response.get_data(as_text=True).split('role="alert"', 1)[1].split("</", 1)[0]

    assert message(locked) == message(locked_right) == message(unknown)
    assert client.get("/moderation").status_code == 302


def test_guessing_the_password_on_the_account_page_locks_it_like_a_sign_in(client):
    user = make_moderator()
    sign_in(client, user)
    for _ in range(services.FREE_ATTEMPTS):
        post_form(client, "/account", "/account/tokens", {"name": "scripts", "password": "wrong password!"})

    response = post_form(client, "/account", "/account/tokens", {"name": "scripts", "password": PASSWORD})

    assert response.status_code == 302 and _token_count(user) == 0
    assert db.session.get(User, user.id).locked_until is not None


def test_sign_in_attempts_are_limited_per_client_across_accounts(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", False)
    monkeypatch.setitem(app.config, "LOGIN_RATE_LIMIT", "3 per minute")

    def attempt(email, address="198.51.100.9"):
        data = {"email": email, "password": "not the password at all"}
        return client.post("/login", data=data, environ_base={"REMOTE_ADDR": address}).status_code

    # Different accounts each time, so no account's own lock is reached: the client is what is slowed down.
    assert [attempt(f"guess{n}@example.org") for n in range(4)] == [401, 401, 401, 429]
    assert attempt("guess9@example.org", address="198.51.100.10") == 401  # another client is not affected
