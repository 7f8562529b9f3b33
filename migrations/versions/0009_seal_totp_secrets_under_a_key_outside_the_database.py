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


def _rows(column: str) -> list:
    if context.is_offline_mode():
        raise RuntimeError("0009 seals the TOTP secrets with the key file: run it online, not with --sql")
    return list(op.get_bind().execute(sa.text(f"SELECT id, {column} FROM users WHERE {column} IS NOT NULL")))


def upgrade():
    op.add_column('users', sa.Column('totp_secret_sealed', sa.LargeBinary(), nullable=True))
    if rows := _rows('totp_secret'):
        ring = sealing.ring_for_sealing()
        op.get_bind().execute(
            sa.text("UPDATE users SET totp_secret_sealed = :sealed WHERE id = :id"),
            [{"id": user_id, "sealed": sealing.seal(secret, user_id, ring)} for user_id, secret in rows],
        )
    op.drop_column('users', 'totp_secret')


def downgrade():
    op.add_column('users', sa.Column('totp_secret', sa.String(length=64), nullable=True))
    if rows := _rows('totp_secret_sealed'):
        ring = sealing.read_ring()
        op.get_bind().execute(
            sa.text("UPDATE users SET totp_secret = :secret WHERE id = :id"),
            [{"id": user_id, "secret": sealing.open_sealed(sealed, user_id, ring)} for user_id, sealed in rows],
        )
    op.drop_column('users', 'totp_secret_sealed')
