"""An installation from before 0009 converts: its plain TOTP secrets are sealed by the migration, a real `pg_dump`
of the committed database holds none of them, and its moderators sign in before and after a key rotation.

Runs on the scratch database of tests/test_migrations.py (committed data: pg_dump is another connection)."""

import subprocess
from pathlib import Path

import flask_migrate
import pyotp
import sqlalchemy as sa
from sqlalchemy.engine import make_url

from app.auth import sealing
from app.auth.passwords import hash_password
from app.extensions import db
from tests.auth.test_second_factor import assert_nowhere
from tests.test_migrations import scratch  # noqa: F401  (the fixture)
from tests.web import PASSWORD, new_client, sign_in


class Moderator:
    """What sign_in needs of an account: its e-mail, and the secret its authenticator app holds."""

    def __init__(self, email: str, totp_secret: str) -> None:
        self.email, self.totp_secret = email, totp_secret


def pg_dump() -> str:
    """`pg_dump --data-only` of the whole database, by the cluster's own (newest) pg_dump."""
    binary = max(Path("/usr/lib/postgresql").glob("*/bin/pg_dump"), key=lambda path: int(path.parts[-3]))
    url = make_url(db.engine.url)
    command = [str(binary), "--data-only", "-h", url.query["host"], "-U", url.username, url.database]
    return subprocess.run(command, capture_output=True, text=True, check=True).stdout


def add_moderator_before_0009(email: str) -> Moderator:
    secret = pyotp.random_base32()
    with db.engine.begin() as connection:
        connection.execute(
            sa.text(
                "INSERT INTO users (email, password_hash, role, active, totp_secret, must_change_password, "
                "session_token, created_at) VALUES (:email, :hash, 'moderator', true, :secret, false, :token, now())"
            ),
            {"email": email, "hash": hash_password(PASSWORD), "secret": secret, "token": email},
        )
    return Moderator(email, secret)


def test_plain_secrets_are_sealed_by_the_migration_and_survive_a_rotation(scratch, tmp_path):  # noqa: F811
    key_file = tmp_path / "instance" / "totp.key"
    scratch.config["TOTP_KEY_FILE"] = str(key_file)
    flask_migrate.upgrade(revision="0008")
    moderators = [add_moderator_before_0009(f"mod{n}@example.org") for n in range(2)]
    assert moderators[0].totp_secret in pg_dump()  # the leak this revision closes

    flask_migrate.upgrade(revision="0009")

    dump = pg_dump()
    assert "totp_secret_sealed" in dump and key_file.read_text().split()[1] not in dump
    for moderator in moderators:
        assert_nowhere(moderator.totp_secret, dump)
    assert sign_in(new_client(scratch), moderators[0]).status_code == 302

    result = scratch.test_cli_runner().invoke(args=["users", "rotate-totp-key"])

    assert result.exit_code == 0 and "Re-sealed 2 TOTP secrets under key 2" in result.output, result.output
    for moderator in moderators:
        assert_nowhere(moderator.totp_secret, pg_dump())
    assert sign_in(new_client(scratch), moderators[0], step=1).status_code == 302
    assert sign_in(new_client(scratch), moderators[1]).status_code == 302

    db.session.remove()  # the requests' session must not hold the table the downgrade alters
    flask_migrate.downgrade(revision="0008")  # the old code reads plain secrets again
    with db.engine.connect() as connection:
        plain = set(connection.scalars(sa.text("SELECT totp_secret FROM users")))
    assert plain == {moderator.totp_secret for moderator in moderators}
    assert list(sealing.read_ring().keys) == [2]
