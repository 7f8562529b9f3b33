"""Declared lists of camera locations (police lists, procurement annexes) and their locations

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-01 12:45:00

An official list says where cameras are, point by point; the site compares it with the mapped cameras. Each import
of a list is a version: the newest by document date is current, older ones are kept. Locations get their
municipality from the same trigger as cameras and sightings (`assign_municipality`, migration 0001), and changes to
either table bump `map_data_version` (migration 0004), which keys the caches of the comparison and the choropleth.

Self-contained: it only adds two tables and their triggers, and uses functions of 0001 and 0004.
"""
from alembic import op
import sqlalchemy as sa
from geoalchemy2 import Geometry


# revision identifiers, used by Alembic.
revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None

VERSIONED_TABLES = ("declared_lists", "declared_locations")


def upgrade():
    op.create_table('declared_lists',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('source', sa.String(length=300), nullable=False),
    sa.Column('source_url', sa.String(length=500), nullable=True),
    sa.Column('document_date', sa.Date(), nullable=False),
    sa.Column('licence', sa.String(length=200), nullable=False),
    sa.Column('content_sha256', sa.String(length=64), nullable=False),
    sa.Column('file_name', sa.String(length=200), nullable=True),
    sa.Column('is_current', sa.Boolean(), nullable=False),
    sa.Column('imported_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('imported_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint('char_length(licence) BETWEEN 1 AND 200', name=op.f('ck_declared_lists_licence_length')),
    sa.CheckConstraint('char_length(source) BETWEEN 1 AND 300', name=op.f('ck_declared_lists_source_length')),
    sa.CheckConstraint("source_url IS NULL OR source_url ~ '^https?://'", name=op.f('ck_declared_lists_source_url_is_web_address')),
    sa.ForeignKeyConstraint(['imported_by_id'], ['users.id'], name=op.f('fk_declared_lists_imported_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_declared_lists')),
    sa.UniqueConstraint('source', 'content_sha256', name='one_version_per_content')
    )
    op.create_index('ix_declared_lists_one_current', 'declared_lists', ['source'], unique=True,
                    postgresql_where=sa.text('is_current'))
    op.create_geospatial_table('declared_locations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('list_id', sa.Integer(), nullable=False),
    sa.Column('line', sa.Integer(), nullable=False),
    sa.Column('location', Geometry(geometry_type='POINT', srid=4326, dimension=2, spatial_index=False, from_text='ST_GeomFromEWKT', name='geometry', nullable=False), nullable=False),
    sa.Column('municipality_id', sa.Integer(), nullable=True),
    sa.Column('cameras', sa.Integer(), nullable=False),
    sa.Column('label', sa.String(length=300), nullable=True),
    sa.Column('address', sa.String(length=300), nullable=True),
    sa.CheckConstraint('cameras BETWEEN 1 AND 10000', name=op.f('ck_declared_locations_cameras_range')),
    sa.ForeignKeyConstraint(['list_id'], ['declared_lists.id'], name=op.f('fk_declared_locations_list_id_declared_lists'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['municipality_id'], ['municipalities.id'], name=op.f('fk_declared_locations_municipality_id_municipalities')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_declared_locations'))
    )
    with op.batch_alter_table('declared_locations', schema=None) as batch_op:
        batch_op.create_geospatial_index('idx_declared_locations_location', ['location'], unique=False, postgresql_using='gist', postgresql_ops={})
        batch_op.create_index(batch_op.f('ix_declared_locations_list_id'), ['list_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_declared_locations_municipality_id'), ['municipality_id'], unique=False)

    op.execute(
        "CREATE TRIGGER declared_locations_assign_municipality BEFORE INSERT OR UPDATE OF location "
        "ON declared_locations FOR EACH ROW EXECUTE FUNCTION assign_municipality()"
    )
    for table in VERSIONED_TABLES:
        op.execute(
            f"CREATE TRIGGER {table}_bump_map_data_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION bump_map_data_version()"
        )


def downgrade():
    for table in VERSIONED_TABLES:
        op.execute(f"DROP TRIGGER {table}_bump_map_data_version ON {table}")
    op.execute("DROP TRIGGER declared_locations_assign_municipality ON declared_locations")
    with op.batch_alter_table('declared_locations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_declared_locations_municipality_id'))
        batch_op.drop_index(batch_op.f('ix_declared_locations_list_id'))
        batch_op.drop_geospatial_index('idx_declared_locations_location', postgresql_using='gist', column_name='location')
    op.drop_geospatial_table('declared_locations')
    op.drop_index('ix_declared_lists_one_current', table_name='declared_lists', postgresql_where=sa.text('is_current'))
    op.drop_table('declared_lists')
