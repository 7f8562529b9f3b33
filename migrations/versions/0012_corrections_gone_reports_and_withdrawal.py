"""Corrections of cameras, "it is gone" as a state, and withdrawal of a pending report

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-01 13:00:00

Issue 16. A sighting is now a report (a camera seen) or a correction of a camera on the map, with what is said to be
wrong (`kind`, `correction_subject`). "It is gone" becomes the column `reports_gone` instead of a sentence matched
in the note. `withdrawal_hmac` holds a keyed hash of the secret shown on the receipt, so a reporter can withdraw a
pending report; the secret itself is never stored. Existing rows are reports, not gone, and cannot be withdrawn.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('sightings') as batch:
        batch.add_column(sa.Column(
            'kind', sa.Enum('report', 'correction', name='kind', native_enum=False, create_constraint=True, length=32),
            nullable=False, server_default='report'))
        batch.add_column(sa.Column(
            'correction_subject',
            sa.Enum('position', 'camera_type', 'manufacturer_or_model', 'capability', 'operator', 'other',
                    name='correction_subject', native_enum=False, create_constraint=True, length=32),
            nullable=True))
        batch.add_column(sa.Column('reports_gone', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch.add_column(sa.Column('withdrawal_hmac', sa.LargeBinary(length=32), nullable=True))
    op.create_check_constraint(
        op.f('ck_sightings_correction_has_subject'), 'sightings',
        "(kind = 'correction') = (correction_subject IS NOT NULL)")


def downgrade():
    op.drop_constraint(op.f('ck_sightings_correction_has_subject'), 'sightings', type_='check')
    with op.batch_alter_table('sightings') as batch:
        batch.drop_column('withdrawal_hmac')
        batch.drop_column('reports_gone')
        batch.drop_column('correction_subject')
        batch.drop_column('kind')
