"""TOTP secrets are sealed at rest: nothing in the users table gives a secret away, the key rotates online, and a
missing or wrong key is explained rather than taken for a wrong code."""

import base64
import logging
import re
import stat

import pyotp
import pytest
from sqlalchemy import text

from app.auth import sealing, second_factor
from app.extensions import db
from app.models import User
from tests.factories import make_moderator, make_user
from tests.web import PASSWORD, csrf_token, new_client, post_form, sign_in, where


def encodings(secret: str) -> list[str]:
    """The forms a leaked secret would take in a dump or a SELECT: as typed, raw bytes in hex, base64."""
    raw = base64.b32decode(secret)
    return [
        secret,
        secret.encode().hex(),
        raw.hex(),
        base64.b64encode(raw).decode(),
        base64.b64encode(secret.encode()).decode(),
    ]


def users_table_text() -> str:
    """Every column of every row of users, as PostgreSQL prints them (bytea in hex, as pg_dump writes it)."""
    return "\n".join(db.session.scalars(text("SELECT u::text FROM users u")))


def assert_nowhere(secret: str, dump: str) -> None:
    leaks = [form for form in encodings(secret) if str(form).lower() in dump.lower()]
    assert not leaks, f"the TOTP secret is readable in the dump as {leaks}"


def test_an_enrolled_secret_signs_in_and_the_users_table_holds_no_trace_of_it(client, totp_key_file):
    user = make_user("new@example.org")
    post_form(client, "/login", "/login", {"email": user.email, "password": PASSWORD})
    page = client.get("/login/enrol").get_data(as_text=True)
    secret = re.search(r'data-secret="([A-Z2-7]+)"', page).group(1)
    client.post("/login/enrol", data={"csrf_token": csrf_token(page), "code": pyotp.TOTP(secret).now()})
    user.totp_secret = secret

    assert sign_in(new_client(client.application), user, step=1).status_code == 302
    assert_nowhere(secret, users_table_text())
    assert stat.S_IMODE(totp_key_file.stat().st_mode) == 0o600


def test_after_a_rotation_sign_in_works_and_the_old_key_opens_nothing(app, runner, totp_key_file):
    users = [make_moderator(f"mod{n}@example.org") for n in range(3)]
    assert sign_in(new_client(app), users[0]).status_code == 302
    old_ring = sealing.read_ring()

    result = runner.invoke(args=["users", "rotate-totp-key"])

    assert result.exit_code == 0, result.output
    assert "Re-sealed 3 TOTP secrets under key 2" in result.output
    new_ring = sealing.read_ring()
    assert list(new_ring.keys) == [2] and new_ring.keys[2] != old_ring.keys[1]
    for user in users:
        sealed = db.session.get(User, user.id).totp_secret_sealed
        assert sealed[0] == 2
        with pytest.raises(sealing.SealingError):
            sealing.open_sealed(sealed, user.id, old_ring)
    assert sign_in(new_client(app), users[0], step=1).status_code == 302
    assert sign_in(new_client(app), users[1]).status_code == 302
    assert stat.S_IMODE(totp_key_file.stat().st_mode) == 0o600


def test_a_rotation_interrupted_after_writing_the_new_key_is_finished_by_running_it_again(app, runner):
    user = make_moderator()
    sealing.write_ring(sealing.read_ring().with_new_key())  # as if the process died right after its first step

    assert second_factor.totp_secret_of(user) == user.totp_secret  # both keys open meanwhile
    assert runner.invoke(args=["users", "rotate-totp-key"]).exit_code == 0
    assert list(sealing.read_ring().keys) == [3]
    assert sign_in(new_client(app), user).status_code == 302


def test_a_missing_key_file_is_explained_to_the_moderator_and_the_operator(client, runner, totp_key_file, caplog):
    user = make_moderator()
    totp_key_file.unlink()
    caplog.set_level(logging.ERROR)

    response = sign_in(client, user)

    page = response.get_data(as_text=True)
    assert response.status_code == 503 and "Obavestite administratora sajta" in page  # Serbian, the default
    assert f"the TOTP key file {totp_key_file} is missing" in caplog.text
    assert db.session.get(User, user.id).failed_logins == 0  # not the moderator's fault: no lock comes closer
    check = runner.invoke(args=["users", "check-totp-key"])
    assert check.exit_code == 1 and "is missing: restore it from the backup" in check.output
    assert runner.invoke(args=["users", "rotate-totp-key"]).exit_code == 1
    assert not totp_key_file.exists()  # a rotation never invents a key the secrets were not sealed with

    # The way back without the key: the account enrols again after its password (a new key is made then).
    assert runner.invoke(args=["users", "reset-second-factor", user.email]).exit_code == 0
    response = post_form(
        new_client(client.application), "/login", "/login", {"email": user.email, "password": PASSWORD}
    )
    assert where(response).endswith("/login/enrol")


def test_a_wrong_key_is_explained_and_a_rotation_changes_nothing(client, runner, totp_key_file):
    user = make_moderator()
    totp_key_file.write_text(f"1 {base64.b64encode(bytes(32)).decode()}\n")  # another key under the same id
    before = totp_key_file.read_text()

    assert sign_in(client, user).status_code == 503
    check = runner.invoke(args=["users", "check-totp-key"])
    assert check.exit_code == 1 and "mod@example.org" in check.output
    rotation = runner.invoke(args=["users", "rotate-totp-key"])
    assert rotation.exit_code == 1 and "Nothing was re-sealed" in rotation.output
    assert totp_key_file.read_text() == before


def test_a_sealed_secret_copied_onto_another_account_does_not_open(app):
    victim, attacker = make_moderator("victim@example.org"), make_moderator("attacker@example.org")
    db.session.execute(
        text("UPDATE users SET totp_secret_sealed = :sealed WHERE id = :id"),
        {"sealed": attacker.totp_secret_sealed, "id": victim.id},
    )
    db.session.expire(victim, ["totp_secret_sealed"])
    victim.totp_secret = attacker.totp_secret  # the attacker's app makes the codes

    with pytest.raises(sealing.SealingError):
        sealing.open_sealed(victim.totp_secret_sealed, victim.id, sealing.read_ring())
    assert sign_in(new_client(app), victim).status_code == 503
