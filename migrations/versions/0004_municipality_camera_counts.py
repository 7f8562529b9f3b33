"""Camera counts per municipality kept by triggers, official figures

The density map and the municipality pages read counts that database triggers keep current whoever writes
cameras (approve, merge, remove, reassignment after a boundary reload), so no request ever counts cameras with a
point-in-polygon join. A one-row version counter, bumped in the same transactions, keys the caches.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23 11:07:23.768699

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


COUNT_FUNCTIONS = """
CREATE FUNCTION camera_counted(status varchar) RETURNS boolean IMMUTABLE LANGUAGE sql AS $$
    SELECT status IN ('active', 'needs_resurvey')
$$;

CREATE FUNCTION add_camera_counts(muni integer, camera integer, maker varchar, delta integer)
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    IF muni IS NULL THEN
        RETURN;
    END IF;
    IF delta < 0 THEN
        -- An UPDATE, not an upsert: the CHECK (cameras >= 0) would refuse the negative row proposed for insertion.
        UPDATE municipality_camera_counts SET cameras = cameras + delta
        WHERE municipality_id = muni AND measure IN (
            SELECT 'total'
            UNION ALL SELECT 'manufacturer:' || coalesce(maker, 'unknown')
            UNION ALL SELECT 'capability:' || cc.capability FROM camera_capabilities AS cc WHERE cc.camera_id = camera
        );
        RETURN;
    END IF;
    INSERT INTO municipality_camera_counts AS c (municipality_id, measure, cameras)
    SELECT muni, measures.measure, delta FROM (
        SELECT 'total' AS measure
        UNION ALL SELECT 'manufacturer:' || coalesce(maker, 'unknown')
        UNION ALL SELECT 'capability:' || cc.capability FROM camera_capabilities AS cc WHERE cc.camera_id = camera
    ) AS measures
    ON CONFLICT (municipality_id, measure) DO UPDATE SET cameras = c.cameras + EXCLUDED.cameras;
END
$$;

CREATE FUNCTION count_camera() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- Deletion runs BEFORE the row goes, while its capabilities (removed by the cascade) are still there.
    IF TG_OP IN ('UPDATE', 'DELETE') AND camera_counted(OLD.status) THEN
        PERFORM add_camera_counts(OLD.municipality_id, OLD.id, OLD.manufacturer, -1);
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') AND camera_counted(NEW.status) THEN
        PERFORM add_camera_counts(NEW.municipality_id, NEW.id, NEW.manufacturer, 1);
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END
$$;

CREATE FUNCTION count_camera_capability() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    cam record;
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        -- Not found when the camera itself is being deleted: its BEFORE DELETE trigger already subtracted.
        SELECT municipality_id, status INTO cam FROM cameras WHERE id = OLD.camera_id;
        IF FOUND AND cam.municipality_id IS NOT NULL AND camera_counted(cam.status) THEN
            UPDATE municipality_camera_counts SET cameras = cameras - 1
            WHERE municipality_id = cam.municipality_id AND measure = 'capability:' || OLD.capability;
        END IF;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        SELECT municipality_id, status INTO cam FROM cameras WHERE id = NEW.camera_id;
        IF FOUND AND cam.municipality_id IS NOT NULL AND camera_counted(cam.status) THEN
            INSERT INTO municipality_camera_counts AS c (municipality_id, measure, cameras)
            VALUES (cam.municipality_id, 'capability:' || NEW.capability, 1)
            ON CONFLICT (municipality_id, measure) DO UPDATE SET cameras = c.cameras + 1;
        END IF;
    END IF;
    RETURN NULL;
END
$$;

CREATE FUNCTION recount_municipality_cameras() RETURNS void LANGUAGE sql AS $$
    DELETE FROM municipality_camera_counts;
    INSERT INTO municipality_camera_counts (municipality_id, measure, cameras)
    SELECT municipality_id, measure, count(*) FROM (
        SELECT c.municipality_id, 'total' AS measure FROM cameras AS c
        WHERE camera_counted(c.status) AND c.municipality_id IS NOT NULL
        UNION ALL
        SELECT c.municipality_id, 'manufacturer:' || coalesce(c.manufacturer, 'unknown') FROM cameras AS c
        WHERE camera_counted(c.status) AND c.municipality_id IS NOT NULL
        UNION ALL
        SELECT c.municipality_id, 'capability:' || cc.capability
        FROM cameras AS c JOIN camera_capabilities AS cc ON cc.camera_id = c.id
        WHERE camera_counted(c.status) AND c.municipality_id IS NOT NULL
    ) AS measures
    GROUP BY municipality_id, measure;
$$;

CREATE FUNCTION bump_map_data_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE map_data_version SET version = version + 1;
    RETURN NULL;
END
$$;
"""

VERSIONED_TABLES = ("cameras", "camera_capabilities", "official_figures", "municipalities")


def upgrade():
    op.create_table('map_data_version',
    sa.Column('id', sa.Boolean(), nullable=False),
    sa.Column('version', sa.BigInteger(), nullable=False),
    sa.CheckConstraint('id', name=op.f('ck_map_data_version_single_row')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_map_data_version'))
    )
    op.create_table('municipality_camera_counts',
    sa.Column('municipality_id', sa.Integer(), nullable=False),
    sa.Column('measure', sa.String(length=48), nullable=False),
    sa.Column('cameras', sa.Integer(), nullable=False),
    sa.CheckConstraint('cameras >= 0', name=op.f('ck_municipality_camera_counts_cameras_not_negative')),
    sa.ForeignKeyConstraint(['municipality_id'], ['municipalities.id'], name=op.f('fk_municipality_camera_counts_municipality_id_municipalities'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('municipality_id', 'measure', name=op.f('pk_municipality_camera_counts'))
    )
    op.create_table('official_figures',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('municipality_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('declared', 'procured', name='figure_kind', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('cameras', sa.Integer(), nullable=False),
    sa.Column('source_url', sa.String(length=500), nullable=False),
    sa.Column('document_date', sa.Date(), nullable=False),
    sa.Column('supplier', sa.String(length=200), nullable=True),
    sa.Column('amount', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('currency', sa.String(length=3), nullable=True),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('recorded_on', sa.Date(), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("source_url ~ '^https?://'", name=op.f('ck_official_figures_source_is_web_address')),
    sa.CheckConstraint('(amount IS NULL) = (currency IS NULL)', name=op.f('ck_official_figures_amount_has_currency')),
    sa.CheckConstraint('amount IS NULL OR amount >= 0', name=op.f('ck_official_figures_amount_not_negative')),
    sa.CheckConstraint('cameras > 0', name=op.f('ck_official_figures_cameras_positive')),
    sa.CheckConstraint('char_length(description) BETWEEN 1 AND 2000', name=op.f('ck_official_figures_description_length')),
    sa.ForeignKeyConstraint(['municipality_id'], ['municipalities.id'], name=op.f('fk_official_figures_municipality_id_municipalities'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'], name=op.f('fk_official_figures_recorded_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_official_figures'))
    )
    with op.batch_alter_table('official_figures', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_official_figures_municipality_id'), ['municipality_id'], unique=False)

    op.execute("INSERT INTO map_data_version (id, version) VALUES (true, 0)")
    op.execute(COUNT_FUNCTIONS)
    op.execute("CREATE TRIGGER cameras_count_insert AFTER INSERT ON cameras FOR EACH ROW EXECUTE FUNCTION count_camera()")
    op.execute(
        "CREATE TRIGGER cameras_count_update AFTER UPDATE ON cameras FOR EACH ROW "
        "WHEN (OLD.municipality_id IS DISTINCT FROM NEW.municipality_id OR OLD.status IS DISTINCT FROM NEW.status "
        "OR OLD.manufacturer IS DISTINCT FROM NEW.manufacturer) EXECUTE FUNCTION count_camera()"
    )
    op.execute("CREATE TRIGGER cameras_count_delete BEFORE DELETE ON cameras FOR EACH ROW EXECUTE FUNCTION count_camera()")
    op.execute(
        "CREATE TRIGGER camera_capabilities_count AFTER INSERT OR DELETE OR UPDATE OF camera_id, capability "
        "ON camera_capabilities FOR EACH ROW EXECUTE FUNCTION count_camera_capability()"
    )
    for table in VERSIONED_TABLES:
        op.execute(
            f"CREATE TRIGGER {table}_bump_map_data_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION bump_map_data_version()"
        )
    op.execute("SELECT recount_municipality_cameras()")



def downgrade():
    for table in VERSIONED_TABLES:
        op.execute(f"DROP TRIGGER {table}_bump_map_data_version ON {table}")
    op.execute("DROP TRIGGER camera_capabilities_count ON camera_capabilities")
    for name in ("insert", "update", "delete"):
        op.execute(f"DROP TRIGGER cameras_count_{name} ON cameras")
    for function in (
        "bump_map_data_version()",
        "recount_municipality_cameras()",
        "count_camera_capability()",
        "count_camera()",
        "add_camera_counts(integer, integer, varchar, integer)",
        "camera_counted(varchar)",
    ):
        op.execute(f"DROP FUNCTION {function}")
    with op.batch_alter_table('official_figures', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_official_figures_municipality_id'))

    op.drop_table('official_figures')
    op.drop_table('municipality_camera_counts')
    op.drop_table('map_data_version')
