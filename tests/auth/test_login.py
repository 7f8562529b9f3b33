import re
import time

import pyotp
import pytest
from sqlalchemy import select

from app.auth import second_factor, services
from app.errors import ValidationFailed
from app.extensions import db
from app.models import User
from app.vocabulary import Role
from tests.factories import make_moderator, make_user, totp_now
from tests.web import PASSWORD, csrf_token, new_client, post_form, sign_in, where


def test_password_then_totp_signs_in_and_the_cookie_is_hardened(client):
    user = make_moderator()

    response = sign_in(client, user)

    assert response.status_code == 302 and where(response).endswith("/moderation")
    cookie = next(h for h in response.headers.getlist("Set-Cookie") if h.startswith("session="))
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert client.get("/moderation").status_code == 200


def test_production_cookies_are_secure(app):
    from app.config import ProductionConfig

    assert ProductionConfig.SESSION_COOKIE_SECURE is True


def test_the_password_alone_is_not_a_session(client):
    user = make_moderator()
    post_form(client, "/login", "/login", {"email": user.email, "password": PASSWORD})

    assert client.get("/moderation").status_code == 302


def test_a_wrong_or_replayed_code_is_refused(client):
    user = make_moderator()
    code = totp_now(user.totp_secret)
    post_form(client, "/login", "/login", {"email": user.email, "password": PASSWORD})
    wrong = post_form(client, "/login/code", "/login/code", {"code": "000000" if code != "000000" else "111111"})
    assert wrong.status_code == 401
    assert post_form(client, "/login/code", "/login/code", {"code": code}).status_code == 302
    client.post("/logout", data={"csrf_token": csrf_token(client.get("/moderation").get_data(as_text=True))})

    post_form(client, "/login", "/login", {"email": user.email, "password": PASSWORD})
    replay = post_form(client, "/login/code", "/login/code", {"code": code})

    assert replay.status_code == 401
    assert "already used" in replay.get_data(as_text=True) or "već" in replay.get_data(as_text=True)


def _session_cookie_contents(cookie: str) -> str:
    """What anyone holding the cookie can read: Flask's session is base64 (zlib-compressed when it starts with .)."""
    import base64
    import zlib

    payload = cookie.lstrip(".").split(".", 1)[0]
    raw = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
    return (zlib.decompress(raw) if cookie.startswith(".") else raw).decode("utf-8", "replace")


def test_first_login_requires_enrolling_an_authenticator(client):
    user = make_user("new@example.org")  # no TOTP yet

    response = post_form(client, "/login", "/login", {"email": user.email, "password": PASSWORD})
    assert where(response).endswith("/login/enrol")
    page = client.get("/login/enrol").get_data(as_text=True)
    assert "<svg" in page and "http" not in page.split("<svg", 1)[1].split("</svg>")[0].replace(
        "http://www.w3.org/2000/svg", ""
    )
    secret = re.search(r'data-secret="([A-Z2-7]+)"', page).group(1)
    assert client.get("/moderation").status_code == 302  # nothing is usable before enrolment
    # The session cookie is signed, not encrypted: the secret being enrolled travels in it sealed.
    cookie = client.get_cookie("session").value
    assert secret not in _session_cookie_contents(cookie) and secret not in cookie
    assert re.search(r'data-secret="([A-Z2-7]+)"', client.get("/login/enrol").get_data(as_text=True)).group(1) == secret

    done = client.post("/login/enrol", data={"csrf_token": csrf_token(page), "code": pyotp.TOTP(secret).now()})

    assert done.status_code == 302 and client.get("/moderation").status_code == 200
    enrolled = db.session.get(User, user.id)
    assert second_factor.totp_secret_of(enrolled) == secret and secret.encode() not in enrolled.totp_secret_sealed


def test_failed_logins_lock_the_account_for_a_while(client):
    user = make_moderator()
    for _ in range(services.FREE_ATTEMPTS):
        assert (
            post_form(client, "/login", "/login", {"email": user.email, "password": "wrong password!"}).status_code
            == 401
        )

    locked = post_form(client, "/login", "/login", {"email": user.email, "password": PASSWORD})

    # Refused even with the right password, with the same answer as a wrong one (no hint which e-mails exist).
    assert locked.status_code == 401 and "/login/code" not in locked.headers.get("Location", "")
    assert db.session.get(User, user.id).locked_until is not None
    user.locked_until = None
    db.session.commit()
    assert post_form(client, "/login", "/login", {"email": user.email, "password": PASSWORD}).status_code == 302


def test_common_and_email_derived_passwords_are_refused():
    for password in ("password1234", "Beograd12345", "aaaaaaaaaaaaaaa", "milica.petrovic-2026"):
        with pytest.raises(ValidationFailed):
            services.create_user("milica.petrovic@example.org", password)
    services.create_user("milica.petrovic@example.org", "plava tramvajska šina 7")


def test_logout_ends_every_session_and_a_replayed_cookie_is_refused(app):
    user = make_moderator()
    laptop, phone = new_client(app), new_client(app)
    sign_in(laptop, user)
    sign_in(phone, user, step=1)
    captured = laptop.get_cookie("session").value

    token = csrf_token(laptop.get("/moderation").get_data(as_text=True))
    assert laptop.post("/logout", data={"csrf_token": token}).status_code == 302

    replay = new_client(app)
    replay.set_cookie("session", captured)
    assert replay.get("/moderation").status_code == 302
    assert phone.get("/moderation").status_code == 302


def test_sessions_end_after_30_idle_minutes(client, app):
    user = make_moderator()
    sign_in(client, user)
    assert client.get("/moderation").status_code == 200

    with client.session_transaction() as session:
        session["_seen"] = int(time.time()) - app.config["SESSION_IDLE_SECONDS"] - 1

    assert client.get("/moderation").status_code == 302


def test_changing_the_password_ends_sessions(app):
    user = make_moderator()
    first, second = new_client(app), new_client(app)
    sign_in(first, user)
    sign_in(second, user, step=1)

    response = post_form(
        first,
        "/account",
        "/account",
        {"current": PASSWORD, "new": "ein neues langes Passwort", "repeat": "ein neues langes Passwort"},
    )

    assert response.status_code == 302 and where(response).endswith("/login")
    assert second.get("/moderation").status_code == 302
    assert services.password_matches(db.session.get(User, user.id), "ein neues langes Passwort")


def test_admins_invite_disable_and_reset_second_factor(app):
    admin = make_moderator("admin@example.org", Role.ADMIN)
    moderator = make_moderator()
    mod_client, admin_client = new_client(app), new_client(app)
    sign_in(mod_client, moderator)
    sign_in(admin_client, admin)

    invited = post_form(admin_client, "/admin/users", "/admin/users", {"email": "new@example.org", "role": "moderator"})
    assert invited.status_code == 200 and "one-time-password" in invited.get_data(as_text=True)
    new_user = db.session.scalar(select(User).where(User.email == "new@example.org"))
    assert not new_user.has_second_factor and new_user.role is Role.MODERATOR

    post_form(admin_client, "/admin/users", f"/admin/users/{moderator.id}/reset-2fa", {})
    assert not db.session.get(User, moderator.id).has_second_factor
    assert mod_client.get("/moderation").status_code == 302  # resetting 2FA ends sessions too

    post_form(admin_client, "/admin/users", f"/admin/users/{moderator.id}/disable", {})
    assert db.session.get(User, moderator.id).active is False
    login = post_form(mod_client, "/login", "/login", {"email": moderator.email, "password": PASSWORD})
    assert login.status_code == 401


def test_the_token_command_prints_a_token_that_is_stored_hashed(runner):
    from app.models import ApiToken

    user = make_moderator()
    result = runner.invoke(args=["users", "token", user.email, "--name", "scripts"])

    secret = result.output.strip().rsplit(" ", 1)[-1]
    assert secret.startswith("hk_")
    stored = db.session.scalar(select(ApiToken).where(ApiToken.user_id == user.id))
    assert stored.token_hash != secret and secret not in stored.token_hash
    assert runner.invoke(args=["users", "revoke-token", str(stored.id)]).exit_code == 0
    assert stored.revoked
