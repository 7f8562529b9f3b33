"""One-time passwords must be changed at the first sign-in and expire

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-23 12:29:15

Existing accounts keep working as before (must_change_password false, no expiry): the database cannot tell a
handed-out one-time password from one the user chose, and forcing every moderator to change passwords at once
is not wanted. An operator who suspects a printed password was never replaced runs `flask users reset-password`.
New rows default to true, so an account inserted outside the application is treated as one-time too.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade():
    # Existing rows get false; the default for rows inserted from now on is true.
    op.add_column('users', sa.Column('must_change_password', sa.Boolean(), server_default=sa.false(), nullable=False))
    op.alter_column('users', 'must_change_password', server_default=sa.true())
    op.add_column('users', sa.Column('password_expires_at', sa.DateTime(timezone=True), nullable=True))


def downgrade():
    op.drop_column('users', 'password_expires_at')
    op.drop_column('users', 'must_change_password')
