"""Initial schema: municipalities, cameras, sightings, photos, users, moderation log

Revision ID: 0001
Revises:
Create Date: 2026-11-23 10:58:39.469202

"""
from alembic import op
import sqlalchemy as sa
from geoalchemy2 import Geometry
from sqlalchemy.dialects import postgresql

# revision identifiers, used by Alembic.
revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


ASSIGN_MUNICIPALITY = """
CREATE FUNCTION assign_municipality() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- The municipality is fixed when a location is written, so no query ever needs a point-in-polygon join.
    -- Neighbouring boundaries may overlap by a few metres along the Serbia/Kosovo line: the lowest id wins.
    NEW.municipality_id := (
        SELECT m.id FROM municipalities AS m
        WHERE ST_Covers(m.boundary, NEW.location)
        ORDER BY m.id
        LIMIT 1
    );
    RETURN NEW;
END
$$;
"""

FORBID_CHANGE = """
CREATE FUNCTION forbid_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only: % is not allowed', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'insufficient_privilege';
END
$$;
"""


def upgrade():
    op.execute("CREATE EXTENSION IF NOT EXISTS postgis")
    op.create_geospatial_table('municipalities',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('country', sa.String(length=2), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('name_cyrillic', sa.String(length=120), nullable=True),
    sa.Column('name_sq', sa.String(length=120), nullable=True),
    sa.Column('name_en', sa.String(length=120), nullable=True),
    sa.Column('unit_type', sa.String(length=40), nullable=False),
    sa.Column('parent_city', sa.String(length=80), nullable=True),
    sa.Column('district_code', sa.String(length=8), nullable=True),
    sa.Column('district_name', sa.String(length=120), nullable=True),
    sa.Column('population', sa.Integer(), nullable=False),
    sa.Column('population_year', sa.SmallInteger(), nullable=False),
    sa.Column('population_source', sa.Text(), nullable=True),
    sa.Column('population_unreliable', sa.Boolean(), nullable=False),
    sa.Column('population_note', sa.Text(), nullable=True),
    sa.Column('boundary', Geometry(geometry_type='MULTIPOLYGON', srid=4326, dimension=2, spatial_index=False, from_text='ST_GeomFromEWKT', name='geometry', nullable=False), nullable=False),
    sa.Column('boundary_simplified', Geometry(geometry_type='MULTIPOLYGON', srid=4326, dimension=2, spatial_index=False, from_text='ST_GeomFromEWKT', name='geometry', nullable=False), nullable=False),
    sa.Column('area_km2', sa.Double(), sa.Computed('ST_Area(boundary::geography) / 1000000.0', persisted=True), nullable=False),
    sa.Column('dataset', sa.String(length=80), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('ST_IsValid(boundary)', name=op.f('ck_municipalities_boundary_valid')),
    sa.CheckConstraint('population >= 0', name=op.f('ck_municipalities_population_not_negative')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_municipalities')),
    sa.UniqueConstraint('code', name=op.f('uq_municipalities_code'))
    )
    with op.batch_alter_table('municipalities', schema=None) as batch_op:
        batch_op.create_geospatial_index('idx_municipalities_boundary', ['boundary'], unique=False, postgresql_using='gist', postgresql_ops={})

    op.create_table('users',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('password_hash', sa.String(length=255), nullable=False),
    sa.Column('role', sa.Enum('moderator', 'admin', name='role', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('totp_secret', sa.String(length=64), nullable=True),
    sa.Column('session_token', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_users'))
    )
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.create_index('uq_users_email_lower', [sa.literal_column('lower(email)')], unique=True)

    op.create_geospatial_table('cameras',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('location', Geometry(geometry_type='POINT', srid=4326, dimension=2, spatial_index=False, from_text='ST_GeomFromEWKT', name='geometry', nullable=False), nullable=False),
    sa.Column('municipality_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.Enum('active', 'removed', 'needs_resurvey', name='status', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('first_confirmed_on', sa.Date(), nullable=False),
    sa.Column('last_confirmed_on', sa.Date(), nullable=False),
    sa.Column('confirmation_count', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('surveillance_type', sa.Enum('camera', 'ALPR', 'guard', 'gunshot_detector', name='surveillance_type', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('camera_type', sa.Enum('fixed', 'dome', 'panning', name='camera_type', native_enum=False, create_constraint=True, length=32), nullable=True),
    sa.Column('mount', sa.Enum('pole', 'wall', 'ceiling', 'street_light', 'roof', 'other', name='mount', native_enum=False, create_constraint=True, length=32), nullable=True),
    sa.Column('direction', sa.SmallInteger(), nullable=True),
    sa.Column('setting', sa.Enum('public', 'outdoor', 'indoor', name='setting', native_enum=False, create_constraint=True, length=32), nullable=True),
    sa.Column('zone', sa.Enum('town', 'traffic', 'parking', 'school', 'building', 'entrance', 'shop', 'bank', 'transport', 'other', name='zone', native_enum=False, create_constraint=True, length=32), nullable=True),
    sa.Column('operator', sa.Enum('police', 'municipality', 'public_company', 'school', 'private', 'unknown', name='operator', native_enum=False, create_constraint=True, length=32), nullable=True),
    sa.Column('operator_name', sa.String(length=120), nullable=True),
    sa.Column('manufacturer', sa.Enum('Huawei', 'Dahua', 'Hikvision', 'Uniview', 'Axis', 'Bosch', 'Hanwha', 'other', 'unknown', name='manufacturer', native_enum=False, create_constraint=True, length=32), nullable=True),
    sa.Column('model', sa.String(length=80), nullable=True),
    sa.CheckConstraint('confirmation_count >= 1', name=op.f('ck_cameras_confirmation_count_positive')),
    sa.CheckConstraint('direction BETWEEN 0 AND 359', name=op.f('ck_cameras_direction_range')),
    sa.CheckConstraint('first_confirmed_on <= last_confirmed_on', name=op.f('ck_cameras_confirmed_dates_ordered')),
    sa.ForeignKeyConstraint(['municipality_id'], ['municipalities.id'], name=op.f('fk_cameras_municipality_id_municipalities')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cameras'))
    )
    with op.batch_alter_table('cameras', schema=None) as batch_op:
        batch_op.create_geospatial_index('idx_cameras_location', ['location'], unique=False, postgresql_using='gist', postgresql_ops={})
        batch_op.create_index(batch_op.f('ix_cameras_municipality_id'), ['municipality_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_cameras_status'), ['status'], unique=False)

    op.create_table('moderation_events',
    sa.Column('id', sa.BigInteger(), sa.Identity(always=False), nullable=False),
    sa.Column('occurred_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('action', sa.String(length=40), nullable=False),
    sa.Column('target_type', sa.String(length=20), nullable=False),
    sa.Column('target_id', sa.Integer(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('before_hash', sa.String(length=64), nullable=True),
    sa.Column('after_hash', sa.String(length=64), nullable=True),
    sa.Column('details', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.Column('content_hash', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_moderation_events_actor_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_moderation_events'))
    )
    with op.batch_alter_table('moderation_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_moderation_events_actor_id'), ['actor_id'], unique=False)
        batch_op.create_index('ix_moderation_events_target', ['target_type', 'target_id'], unique=False)

    op.create_table('camera_capabilities',
    sa.Column('camera_id', sa.Integer(), nullable=False),
    sa.Column('capability', sa.Enum('facial_recognition', 'number_plate_recognition', 'behaviour_analytics', 'audio', 'infrared', 'ptz_zoom', name='capability', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('evidence', sa.Enum('model_identified', 'procurement_document', 'official_statement', 'suspected', name='evidence', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.ForeignKeyConstraint(['camera_id'], ['cameras.id'], name=op.f('fk_camera_capabilities_camera_id_cameras'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('camera_id', 'capability', name=op.f('pk_camera_capabilities'))
    )
    with op.batch_alter_table('camera_capabilities', schema=None) as batch_op:
        batch_op.create_index('ix_camera_capabilities_capability', ['capability', 'camera_id'], unique=False)

    op.create_geospatial_table('sightings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('reference', sa.String(length=16), nullable=False),
    sa.Column('idempotency_key', sa.Uuid(), nullable=True),
    sa.Column('payload_hash', sa.String(length=64), nullable=True),
    sa.Column('location', Geometry(geometry_type='POINT', srid=4326, dimension=2, spatial_index=False, from_text='ST_GeomFromEWKT', name='geometry', nullable=False), nullable=False),
    sa.Column('municipality_id', sa.Integer(), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('submitted_on', sa.Date(), nullable=False),
    sa.Column('source', sa.String(length=20), nullable=False),
    sa.Column('source_ref', sa.String(length=40), nullable=True),
    sa.Column('state', sa.Enum('pending', 'approved', 'rejected', 'merged', name='state', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('confirms_camera_id', sa.Integer(), nullable=True),
    sa.Column('camera_id', sa.Integer(), nullable=True),
    sa.Column('decided_on', sa.Date(), nullable=True),
    sa.Column('decision_reason', sa.Text(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('surveillance_type', sa.Enum('camera', 'ALPR', 'guard', 'gunshot_detector', name='surveillance_type', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('camera_type', sa.Enum('fixed', 'dome', 'panning', name='camera_type', native_enum=False, create_constraint=True, length=32), nullable=True),
    sa.Column('mount', sa.Enum('pole', 'wall', 'ceiling', 'street_light', 'roof', 'other', name='mount', native_enum=False, create_constraint=True, length=32), nullable=True),
    sa.Column('direction', sa.SmallInteger(), nullable=True),
    sa.Column('setting', sa.Enum('public', 'outdoor', 'indoor', name='setting', native_enum=False, create_constraint=True, length=32), nullable=True),
    sa.Column('zone', sa.Enum('town', 'traffic', 'parking', 'school', 'building', 'entrance', 'shop', 'bank', 'transport', 'other', name='zone', native_enum=False, create_constraint=True, length=32), nullable=True),
    sa.Column('operator', sa.Enum('police', 'municipality', 'public_company', 'school', 'private', 'unknown', name='operator', native_enum=False, create_constraint=True, length=32), nullable=True),
    sa.Column('operator_name', sa.String(length=120), nullable=True),
    sa.Column('manufacturer', sa.Enum('Huawei', 'Dahua', 'Hikvision', 'Uniview', 'Axis', 'Bosch', 'Hanwha', 'other', 'unknown', name='manufacturer', native_enum=False, create_constraint=True, length=32), nullable=True),
    sa.Column('model', sa.String(length=80), nullable=True),
    sa.CheckConstraint("(state IN ('approved', 'merged')) = (camera_id IS NOT NULL) OR state = 'rejected'", name=op.f('ck_sightings_decided_has_camera')),
    sa.CheckConstraint('char_length(note) <= 2000', name=op.f('ck_sightings_note_length')),
    sa.CheckConstraint('direction BETWEEN 0 AND 359', name=op.f('ck_sightings_direction_range')),
    sa.ForeignKeyConstraint(['camera_id'], ['cameras.id'], name=op.f('fk_sightings_camera_id_cameras'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['confirms_camera_id'], ['cameras.id'], name=op.f('fk_sightings_confirms_camera_id_cameras'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['municipality_id'], ['municipalities.id'], name=op.f('fk_sightings_municipality_id_municipalities')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sightings')),
    sa.UniqueConstraint('idempotency_key', name=op.f('uq_sightings_idempotency_key')),
    sa.UniqueConstraint('reference', name=op.f('uq_sightings_reference')),
    sa.UniqueConstraint('source', 'source_ref', name='uq_sightings_source_ref')
    )
    with op.batch_alter_table('sightings', schema=None) as batch_op:
        batch_op.create_geospatial_index('idx_sightings_location', ['location'], unique=False, postgresql_using='gist', postgresql_ops={})
        batch_op.create_index(batch_op.f('ix_sightings_camera_id'), ['camera_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_sightings_municipality_id'), ['municipality_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_sightings_state'), ['state'], unique=False)

    op.create_table('photos',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('sighting_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.SmallInteger(), nullable=False),
    sa.Column('content_type', sa.String(length=20), nullable=False),
    sa.Column('display_key', sa.String(length=80), nullable=False),
    sa.Column('thumb_key', sa.String(length=80), nullable=False),
    sa.Column('display_bytes', sa.Integer(), nullable=False),
    sa.Column('thumb_bytes', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('width', sa.Integer(), nullable=False),
    sa.Column('height', sa.Integer(), nullable=False),
    sa.CheckConstraint('width > 0 AND height > 0', name=op.f('ck_photos_dimensions_positive')),
    sa.ForeignKeyConstraint(['sighting_id'], ['sightings.id'], name=op.f('fk_photos_sighting_id_sightings'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_photos')),
    sa.UniqueConstraint('display_key', name=op.f('uq_photos_display_key')),
    sa.UniqueConstraint('sighting_id', 'position', name='uq_photos_sighting_position'),
    sa.UniqueConstraint('thumb_key', name=op.f('uq_photos_thumb_key'))
    )
    with op.batch_alter_table('photos', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_photos_sighting_id'), ['sighting_id'], unique=False)

    op.create_table('sighting_capabilities',
    sa.Column('sighting_id', sa.Integer(), nullable=False),
    sa.Column('capability', sa.Enum('facial_recognition', 'number_plate_recognition', 'behaviour_analytics', 'audio', 'infrared', 'ptz_zoom', name='capability', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('evidence', sa.Enum('model_identified', 'procurement_document', 'official_statement', 'suspected', name='evidence', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.ForeignKeyConstraint(['sighting_id'], ['sightings.id'], name=op.f('fk_sighting_capabilities_sighting_id_sightings'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('sighting_id', 'capability', name=op.f('pk_sighting_capabilities'))
    )

    op.execute(ASSIGN_MUNICIPALITY)
    for table in ("cameras", "sightings"):
        op.execute(
            f"CREATE TRIGGER {table}_assign_municipality BEFORE INSERT OR UPDATE OF location ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION assign_municipality()"
        )

    # The moderation log is evidence: the application may add to it, never change or remove it.
    op.execute(FORBID_CHANGE)
    op.execute(
        "CREATE TRIGGER moderation_events_append_only BEFORE UPDATE OR DELETE ON moderation_events "
        "FOR EACH ROW EXECUTE FUNCTION forbid_change()"
    )
    op.execute(
        "CREATE TRIGGER moderation_events_no_truncate BEFORE TRUNCATE ON moderation_events "
        "FOR EACH STATEMENT EXECUTE FUNCTION forbid_change()"
    )


def downgrade():
    op.execute("DROP TRIGGER moderation_events_no_truncate ON moderation_events")
    op.execute("DROP TRIGGER moderation_events_append_only ON moderation_events")
    op.execute("DROP FUNCTION forbid_change()")
    for table in ("cameras", "sightings"):
        op.execute(f"DROP TRIGGER {table}_assign_municipality ON {table}")
    op.execute("DROP FUNCTION assign_municipality()")
    op.drop_table('sighting_capabilities')
    with op.batch_alter_table('photos', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_photos_sighting_id'))

    op.drop_table('photos')
    with op.batch_alter_table('sightings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sightings_state'))
        batch_op.drop_index(batch_op.f('ix_sightings_municipality_id'))
        batch_op.drop_index(batch_op.f('ix_sightings_camera_id'))
        batch_op.drop_geospatial_index('idx_sightings_location', postgresql_using='gist', column_name='location')

    op.drop_geospatial_table('sightings')
    with op.batch_alter_table('camera_capabilities', schema=None) as batch_op:
        batch_op.drop_index('ix_camera_capabilities_capability')

    op.drop_table('camera_capabilities')
    with op.batch_alter_table('moderation_events', schema=None) as batch_op:
        batch_op.drop_index('ix_moderation_events_target')
        batch_op.drop_index(batch_op.f('ix_moderation_events_actor_id'))

    op.drop_table('moderation_events')
    with op.batch_alter_table('cameras', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_cameras_status'))
        batch_op.drop_index(batch_op.f('ix_cameras_municipality_id'))
        batch_op.drop_geospatial_index('idx_cameras_location', postgresql_using='gist', column_name='location')

    op.drop_geospatial_table('cameras')
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_index('uq_users_email_lower')

    op.drop_table('users')
    with op.batch_alter_table('municipalities', schema=None) as batch_op:
        batch_op.drop_geospatial_index('idx_municipalities_boundary', postgresql_using='gist', column_name='boundary')

    op.drop_geospatial_table('municipalities')
