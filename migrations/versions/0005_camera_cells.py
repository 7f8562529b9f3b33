"""Camera counts per grid cell, kept by a trigger, for fast low-zoom vector tiles

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23 11:20:00

"""
from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None

# Web Mercator: the world's width in metres and half of it. A cell is 1/64 of a tile at zooms 0-12.
CELL_FUNCTIONS = """
CREATE FUNCTION camera_cells_apply(loc geometry, delta integer) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    p geometry := ST_Transform(loc, 3857);
    size double precision;
BEGIN
    FOR zoom IN 0..12 LOOP
        size := 40075016.685578488 / (2 ^ zoom) / 64;
        INSERT INTO camera_cells AS c (z, cx, cy, cameras, sum_x, sum_y)
        VALUES (zoom, floor((ST_X(p) + 20037508.342789244) / size), floor((20037508.342789244 - ST_Y(p)) / size),
                delta, delta * ST_X(p), delta * ST_Y(p))
        ON CONFLICT (z, cx, cy) DO UPDATE
            SET cameras = c.cameras + EXCLUDED.cameras, sum_x = c.sum_x + EXCLUDED.sum_x,
                sum_y = c.sum_y + EXCLUDED.sum_y;
    END LOOP;
END
$$;

CREATE FUNCTION camera_cells_track() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.status <> 'removed' THEN
        PERFORM camera_cells_apply(OLD.location, -1);
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.status <> 'removed' THEN
        PERFORM camera_cells_apply(NEW.location, 1);
    END IF;
    RETURN NULL;
END
$$;

CREATE FUNCTION rebuild_camera_cells() RETURNS void LANGUAGE sql AS $$
    DELETE FROM camera_cells;
    INSERT INTO camera_cells (z, cx, cy, cameras, sum_x, sum_y)
    SELECT g.zoom, floor((ST_X(c.p) + 20037508.342789244) / g.size), floor((20037508.342789244 - ST_Y(c.p)) / g.size),
           count(*), sum(ST_X(c.p)), sum(ST_Y(c.p))
    FROM (SELECT ST_Transform(location, 3857) AS p FROM cameras WHERE status <> 'removed') AS c,
         (SELECT zoom, 40075016.685578488 / (2 ^ zoom) / 64 AS size FROM generate_series(0, 12) AS zoom) AS g
    GROUP BY 1, 2, 3;
$$;
"""


def upgrade():
    op.create_table('camera_cells',
    sa.Column('z', sa.SmallInteger(), nullable=False),
    sa.Column('cx', sa.Integer(), nullable=False),
    sa.Column('cy', sa.Integer(), nullable=False),
    sa.Column('cameras', sa.Integer(), nullable=False),
    sa.Column('sum_x', sa.Double(), nullable=False),
    sa.Column('sum_y', sa.Double(), nullable=False),
    sa.PrimaryKeyConstraint('z', 'cx', 'cy', name=op.f('pk_camera_cells'))
    )
    op.execute(CELL_FUNCTIONS)
    op.execute(
        "CREATE TRIGGER cameras_track_cells AFTER INSERT OR DELETE OR UPDATE OF location, status ON cameras "
        "FOR EACH ROW EXECUTE FUNCTION camera_cells_track()"
    )
    op.execute("SELECT rebuild_camera_cells()")


def downgrade():
    op.execute("DROP TRIGGER cameras_track_cells ON cameras")
    op.execute("DROP FUNCTION rebuild_camera_cells()")
    op.execute("DROP FUNCTION camera_cells_track()")
    op.execute("DROP FUNCTION camera_cells_apply(geometry, integer)")
    op.drop_table('camera_cells')
