"""Seal TOTP secrets under a key outside the database; the plain column goes

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01 10:21:18

A dump of the users table held every moderator's TOTP secret, enough to make their codes. The secrets are now
sealed (XChaCha20-Poly1305, app/auth/sealing.py) under the key ring in TOTP_KEY_FILE (instance/totp.key), which is
made here when there are secrets to seal. Existing secrets are sealed in place, in this revision's transaction, and
the plain column is dropped with it: no state in which a plain secret survives, no second step an operator could
forget, and no code reading two columns (0007 hashed the idempotency keys in place the same way). This is not data
loading (that stays a CLI command): it moves the column's own values to their new form, which needs the key file,
so this revision cannot run in offline (--sql) mode. Moderators sign in as before.

Downgrading opens every secret with the key file and writes it back in plain text (the old code reads only that).
"""
import sqlalchemy as sa
from alembic import context, op

from app.auth import sealing


# revision identifiers, used by Alembic.
revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def _move(source: str, target: str, ring, convert) -> None:
    """Fill `target` with convert(value of `source`, user id, ring()); ring() is asked only when there are rows."""
    if context.is_offline_mode():
        raise RuntimeError("0009 seals the TOTP secrets with the key file: run it online, not with --sql")
    bind = op.get_bind()
    rows = list(bind.execute(sa.text(f"SELECT id, {source} FROM users WHERE {source} IS NOT NULL")))
    if rows:
        keys = ring()
        bind.execute(
            sa.text(f"UPDATE users SET {target} = :value WHERE id = :id"),
            [{"id": user_id, "value": convert(value, user_id, keys)} for user_id, value in rows],
        )


def upgrade():
    op.add_column('users', sa.Column('totp_secret_sealed', sa.LargeBinary(), nullable=True))
    _move('totp_secret', 'totp_secret_sealed', sealing.ring_for_sealing, sealing.seal)
    op.drop_column('users', 'totp_secret')


def downgrade():
    op.add_column('users', sa.Column('totp_secret', sa.String(length=64), nullable=True))
    _move('totp_secret_sealed', 'totp_secret', sealing.read_ring, sealing.open_sealed)
    op.drop_column('users', 'totp_secret_sealed')
