"""Store only a SHA-256 of each report's Idempotency-Key, never the key itself

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01 09:00:00

A client's key was stored as sent, so a time-based (version 1) UUID told anyone who could read the table when the
report was made. Keys are now random (version 4) only, and the table keeps a digest: enough to recognise a retry,
nothing to read back. Existing keys are hashed in place (sha256 of the canonical text form, as the application
computes it). Downgrading cannot bring the keys back: the column returns empty, so retries of reports made before
the downgrade would be stored twice.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade():
    op.add_column('sightings', sa.Column('idempotency_key_sha256', sa.LargeBinary(length=32), nullable=True))
    op.execute(
        "UPDATE sightings SET idempotency_key_sha256 = sha256(convert_to(idempotency_key::text, 'UTF8')) "
        "WHERE idempotency_key IS NOT NULL"
    )
    op.drop_constraint('uq_sightings_idempotency_key', 'sightings', type_='unique')
    op.drop_column('sightings', 'idempotency_key')
    op.create_unique_constraint(op.f('uq_sightings_idempotency_key_sha256'), 'sightings', ['idempotency_key_sha256'])
    op.create_check_constraint(
        op.f('ck_sightings_idempotency_key_sha256_length'),
        'sightings',
        'idempotency_key_sha256 IS NULL OR octet_length(idempotency_key_sha256) = 32',
    )


def downgrade():
    op.drop_constraint(op.f('ck_sightings_idempotency_key_sha256_length'), 'sightings', type_='check')
    op.drop_constraint(op.f('uq_sightings_idempotency_key_sha256'), 'sightings', type_='unique')
    op.drop_column('sightings', 'idempotency_key_sha256')
    op.add_column('sightings', sa.Column('idempotency_key', sa.Uuid(), nullable=True))
    op.create_unique_constraint('uq_sightings_idempotency_key', 'sightings', ['idempotency_key'])
