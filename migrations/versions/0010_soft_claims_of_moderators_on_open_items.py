"""Soft claims: which moderator has which pending sighting open, until when

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-05 10:00:00

The queue and the item page show that another moderator has an item open, so that two people do not work on the
same report. A claim lapses after a few minutes unless the open page renews it; it never blocks a decision and is
not a moderation event (the append-only log records decisions, not who looked).
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('moderator_claims',
    sa.Column('sighting_id', sa.Integer(), nullable=False),
    sa.Column('moderator_id', sa.Integer(), nullable=False),
    sa.Column('claimed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['moderator_id'], ['users.id'], name=op.f('fk_moderator_claims_moderator_id_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['sighting_id'], ['sightings.id'], name=op.f('fk_moderator_claims_sighting_id_sightings'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('sighting_id', 'moderator_id', name=op.f('pk_moderator_claims'))
    )


def downgrade():
    op.drop_table('moderator_claims')
