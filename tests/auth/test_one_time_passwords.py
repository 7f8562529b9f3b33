"""Generated one-time passwords: replaced right after the first sign-in, and useless after 72 hours."""

import re
from datetime import timedelta

import pyotp
from sqlalchemy import select

from app.auth import services, tokens
from app.extensions import db
from app.models import User
from app.models.columns import utcnow
from app.vocabulary import Role
from tests.factories import make_moderator, make_user
from tests.web import PASSWORD, csrf_token, new_client, post_form, sign_in, where

NEW_PASSWORD = "mein eigenes langes Passwort"


def _change(client, current: str, new: str, repeat: str | None = None):
    return post_form(
        client,
        "/account/password",
        "/account/password",
        {"current": current, "new": new, "repeat": new if repeat is None else repeat},
    )


def _one_time_moderator(**fields) -> User:
    """An enrolled moderator still on a one-time password (as if invited and half-way through the first sign-in)."""
    return make_moderator(must_change_password=True, password_expires_at=utcnow() + timedelta(hours=72), **fields)


def test_an_invited_moderator_must_choose_a_password_before_reaching_moderation(app):
    admin = make_moderator("admin@example.org", Role.ADMIN)
    admin_client, client = new_client(app), new_client(app)
    sign_in(admin_client, admin)
    page = post_form(admin_client, "/admin/users", "/admin/users", {"email": "new@example.org", "role": "moderator"})
    password = re.search(r'class="one-time-password">([^<]+)<', page.get_data(as_text=True)).group(1)

    login = post_form(client, "/login", "/login", {"email": "new@example.org", "password": password})
    assert where(login).endswith("/login/enrol")
    enrol_page = client.get("/login/enrol").get_data(as_text=True)
    secret = re.search(r'data-secret="([A-Z2-7]+)"', enrol_page).group(1)
    client.post("/login/enrol", data={"csrf_token": csrf_token(enrol_page), "code": pyotp.TOTP(secret).now()})

    for path in ("/moderation", "/account", "/", "/admin/users"):
        response = client.get(path)
        assert response.status_code == 302 and "/account/password" in where(response), path
    assert "Choose your password" in client.get("/account/password?lang=en").get_data(as_text=True)

    assert _change(client, password, password).status_code == 422  # the one-time password again
    assert _change(client, password, "short").status_code == 422  # the usual password rules
    assert client.get("/moderation").status_code == 302
    done = _change(client, password, NEW_PASSWORD)

    assert done.status_code == 302
    assert client.get("/moderation").status_code == 200
    assert client.get("/account").status_code == 200
    user = db.session.scalar(select(User).where(User.email == "new@example.org"))
    assert user.must_change_password is False and user.password_expires_at is None
    assert services.password_matches(user, NEW_PASSWORD) and not services.password_matches(user, password)


def test_the_forced_change_returns_to_the_page_asked_for(app):
    user = _one_time_moderator()
    client = new_client(app)
    sign_in(client, user)

    detour = where(client.get("/moderation?state=pending"))
    done = post_form(client, detour, detour, {"current": PASSWORD, "new": NEW_PASSWORD, "repeat": NEW_PASSWORD})

    assert where(done) == "/moderation?state=pending"


def test_changing_the_one_time_password_ends_other_sessions_and_tokens(app):
    user = _one_time_moderator()
    first, second = new_client(app), new_client(app)
    sign_in(first, user)
    sign_in(second, user, step=1)  # someone else who also knew the one-time password
    _row, secret = tokens.create_token(user, "made before the change")

    assert _change(first, PASSWORD, NEW_PASSWORD).status_code == 302

    assert first.get("/moderation").status_code == 200
    assert where(second.get("/moderation")).startswith("/login")
    assert tokens.user_for_bearer(f"Bearer {secret}") is None


def test_after_the_change_signing_in_again_goes_straight_to_moderation(app):
    user = _one_time_moderator()
    client = new_client(app)
    sign_in(client, user)
    _change(client, PASSWORD, NEW_PASSWORD)
    post_form(client, "/moderation", "/logout", {})

    response = sign_in(client, user, password=NEW_PASSWORD, step=1)

    assert where(response).endswith("/moderation")
    assert client.get("/moderation").status_code == 200


def test_an_expired_one_time_password_cannot_sign_in(client):
    user, password = services.invite("late@example.org", Role.MODERATOR)
    user.password_expires_at = utcnow() - timedelta(minutes=1)
    db.session.commit()

    expired = post_form(client, "/login?lang=en", "/login?lang=en", {"email": user.email, "password": password})
    wrong = post_form(client, "/login?lang=en", "/login?lang=en", {"email": user.email, "password": password + "x"})
    unknown = post_form(client, "/login?lang=en", "/login?lang=en", {"email": "nobody@example.org", "password": "x"})

    assert expired.status_code == wrong.status_code == unknown.status_code == 401
    assert "The e-mail or password is wrong." in expired.get_data(as_text=True)
    assert _flash(expired) == _flash(wrong) == _flash(unknown)
    assert where(client.get("/login/enrol")).endswith("/login")


def test_a_one_time_password_that_expires_during_the_session_ends_it(app):
    user = _one_time_moderator()
    client = new_client(app)
    sign_in(client, user)
    user.password_expires_at = utcnow() - timedelta(seconds=1)
    db.session.commit()

    response = client.get("/moderation")

    assert where(response).endswith("/login")
    assert where(client.get("/account/password")).startswith("/login")


def test_the_services_give_generated_passwords_72_hours(runner):
    services.invite("invited@example.org", Role.MODERATOR)
    created = runner.invoke(args=["users", "create", "cli@example.org"])
    admin = runner.invoke(args=["users", "ensure-admin", "--email", "boss@example.org"])

    assert "72 hours" in created.output and "72 hours" in admin.output
    for email in ("invited@example.org", "cli@example.org", "boss@example.org"):
        user = db.session.scalar(select(User).where(User.email == email))
        assert user.must_change_password is True
        assert timedelta(hours=71, minutes=59) < user.password_expires_at - utcnow() <= timedelta(hours=72)
    assert make_user("factory@example.org").must_change_password is False  # accounts made directly are not


def test_reset_password_issues_a_new_one_time_password(runner):
    user = make_moderator()
    _row, secret = tokens.create_token(user, "script")

    result = runner.invoke(args=["users", "reset-password", user.email.upper()])

    password = result.output.strip().rsplit(" ", 1)[-1]
    user = db.session.get(User, user.id)
    assert services.password_matches(user, password) and not services.password_matches(user, PASSWORD)
    assert user.must_change_password is True and user.password_expires_at > utcnow()
    assert tokens.user_for_bearer(f"Bearer {secret}") is None
    assert "no such account" in runner.invoke(args=["users", "reset-password", "nobody@example.org"]).output


def test_accounts_without_a_one_time_password_are_not_held_up(client):
    user = make_moderator()
    sign_in(client, user)

    assert client.get("/moderation").status_code == 200
    page = client.get("/account/password?lang=en").get_data(as_text=True)
    assert "Change password" in page and "one-time password" not in page


def _flash(response) -> str:
    return re.search(r'<p class="flash flash-error"[^>]*>([^<]*)</p>', response.get_data(as_text=True)).group(1)
