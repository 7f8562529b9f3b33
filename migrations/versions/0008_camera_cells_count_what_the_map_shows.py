"""Camera cells count the cameras the map shows, by the one definition camera_counted(status)

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01 10:00:00

The tile cells' trigger and rebuild (0005) said `status <> 'removed'` while the municipality counts (0004) asked
camera_counted(status): two definitions of "a camera on the map" that agree today and would drift the day a
status is added. Both now ask camera_counted, whose set the application has as MAPPED_CAMERA_STATUSES.
"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def _track(condition: str) -> str:
    old, new = condition.format(row="OLD"), condition.format(row="NEW")
    return f"""
CREATE OR REPLACE FUNCTION camera_cells_track() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') AND {old} THEN
        PERFORM camera_cells_apply(OLD.location, -1);
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') AND {new} THEN
        PERFORM camera_cells_apply(NEW.location, 1);
    END IF;
    RETURN NULL;
END
$$;
"""


def _rebuild(condition: str) -> str:
    return f"""
CREATE OR REPLACE FUNCTION rebuild_camera_cells() RETURNS void LANGUAGE sql AS $$
    DELETE FROM camera_cells;
    INSERT INTO camera_cells (z, cx, cy, cameras, sum_x, sum_y)
    SELECT g.zoom, floor((ST_X(c.p) + 20037508.342789244) / g.size), floor((20037508.342789244 - ST_Y(c.p)) / g.size),
           count(*), sum(ST_X(c.p)), sum(ST_Y(c.p))
    FROM (SELECT ST_Transform(location, 3857) AS p FROM cameras WHERE {condition.format(row="cameras")}) AS c,
         (SELECT zoom, 40075016.685578488 / (2 ^ zoom) / 64 AS size FROM generate_series(0, 12) AS zoom) AS g
    GROUP BY 1, 2, 3;
$$;
"""


def upgrade():
    op.execute(_track("camera_counted({row}.status)"))
    op.execute(_rebuild("camera_counted({row}.status)"))


def downgrade():
    op.execute(_track("{row}.status <> 'removed'"))
    op.execute(_rebuild("{row}.status <> 'removed'"))
