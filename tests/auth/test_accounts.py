import pytest
from sqlalchemy import select

from app.auth.services import create_user, password_matches
from app.auth.sessions import load_user_from_cookie
from app.errors import Conflict, ValidationFailed
from app.extensions import db
from app.models import User
from app.models.user import new_session_token
from app.vocabulary import Role


def test_ensure_admin_creates_one_admin_once(runner):
    first = runner.invoke(args=["users", "ensure-admin", "--email", "boss@example.org"])
    second = runner.invoke(args=["users", "ensure-admin", "--email", "other@example.org"])

    assert "One-time password" in first.output
    password = first.output.strip().rsplit(" ", 1)[-1]
    admin = db.session.scalar(select(User).where(User.email == "boss@example.org"))
    assert admin.role is Role.ADMIN
    assert password_matches(admin, password)
    assert not password_matches(admin, password + "x")
    assert "exists already" in second.output
    assert db.session.scalar(select(User).where(User.email == "other@example.org")) is None


def test_passwords_are_stored_as_argon2id_hashes():
    user = create_user("Mod@Example.org", "a long enough password")

    assert user.email == "mod@example.org"
    assert user.password_hash.startswith("$argon2id$")


def test_duplicate_email_and_short_password_are_refused():
    create_user("mod@example.org", "a long enough password")

    with pytest.raises(Conflict):
        create_user("MOD@example.org", "another long password")
    with pytest.raises(ValidationFailed):
        create_user("new@example.org", "short")


def test_a_rotated_session_token_ends_old_sessions():
    user = create_user("mod@example.org", "a long enough password")
    cookie_value = user.get_id()
    assert load_user_from_cookie(cookie_value) == user

    user.session_token = new_session_token()
    db.session.commit()

    assert load_user_from_cookie(cookie_value) is None
    assert load_user_from_cookie(user.get_id()) == user


def test_disabled_users_have_no_session():
    user = create_user("mod@example.org", "a long enough password")
    user.active = False
    db.session.commit()

    assert load_user_from_cookie(user.get_id()) is None
    assert load_user_from_cookie("not-a-number:token") is None
