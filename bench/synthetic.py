"""Load 1,000,000 SYNTHETIC cameras into the benchmark database, spread over the real municipalities.

Every synthetic row carries model = 'SYNTHETIC-BENCHMARK' and operator_name = 'synthetic benchmark data', and it
only ever goes into a separate database whose name contains "bench" (`make bench` uses `hiljade_bench`).
Loading is one INSERT ... SELECT in PostgreSQL; the trigger-kept aggregates (per-municipality counts, tile
cells) are rebuilt once at the end. Used by bench/run.py and bench/tiles.py.
"""

import sys
import time

from sqlalchemy import text
from sqlalchemy.engine import make_url

from app.extensions import db

SYNTHETIC_MODEL = "SYNTHETIC-BENCHMARK"

# Cameras per municipality in proportion to population (a town's cameras follow its people), at least 20 each.
LOAD_SQL = """
WITH shares AS (
    SELECT id, boundary,
           greatest(20, round(:total * population::numeric / sum(population) OVER ()))::int AS n
    FROM municipalities
),
points AS (
    SELECT s.id AS municipality_id, (ST_Dump(ST_GeneratePoints(s.boundary, s.n, 42))).geom AS location
    FROM shares AS s
)
INSERT INTO cameras (location, municipality_id, status, first_confirmed_on, last_confirmed_on, confirmation_count,
                     version, surveillance_type, camera_type, direction, operator, manufacturer, model, operator_name)
SELECT p.location, p.municipality_id,
       CASE WHEN g % 50 = 0 THEN 'removed' WHEN g % 17 = 0 THEN 'needs_resurvey' ELSE 'active' END,
       DATE '2020-05-01' + (g % 2000), DATE '2020-05-01' + (g % 2000) + (g % 30), 1 + g % 4, 1,
       CASE WHEN g % 20 = 0 THEN 'ALPR' ELSE 'camera' END,
       (ARRAY['fixed', 'dome', 'panning'])[1 + g % 3],
       CASE WHEN g % 4 = 0 THEN NULL ELSE (g * 37) % 360 END,
       (ARRAY['police', 'municipality', 'public_company', 'school', 'private', 'unknown'])[1 + g % 6],
       (ARRAY['Huawei', 'Dahua', 'Hikvision', 'Uniview', 'Axis', 'unknown'])[1 + g % 6],
       :model, 'synthetic benchmark data'
FROM (SELECT location, municipality_id, (row_number() OVER ())::int AS g FROM points) AS p
"""

CAPABILITIES_SQL = """
INSERT INTO camera_capabilities (camera_id, capability, evidence)
SELECT id, 'facial_recognition', 'suspected' FROM cameras WHERE model = :model AND id % 10 < 3
UNION ALL
SELECT id, 'number_plate_recognition', 'suspected' FROM cameras WHERE model = :model AND id % 10 = 5
"""


def synthetic_count() -> int:
    return db.session.execute(
        text("SELECT count(*) FROM cameras WHERE model = :model"), {"model": SYNTHETIC_MODEL}
    ).scalar_one()


def _guard() -> None:
    database = make_url(str(db.engine.url)).database or ""
    if "bench" not in database:
        sys.exit(f"refusing to load synthetic cameras into {database!r}: the database name must contain 'bench'")


def load(total: int = 1_000_000) -> None:
    """Insert the synthetic cameras unless they are there already; aggregates are rebuilt once at the end."""
    _guard()
    existing = synthetic_count()
    if existing >= total * 0.95:
        print(f"{existing:,} synthetic cameras already loaded")
        return
    started = time.perf_counter()
    db.session.execute(
        text("DELETE FROM camera_capabilities WHERE camera_id IN (SELECT id FROM cameras WHERE model = :model)"),
        {"model": SYNTHETIC_MODEL},
    )
    db.session.execute(text("DELETE FROM cameras WHERE model = :model"), {"model": SYNTHETIC_MODEL})
    # Row triggers would do 1M municipality lookups and count updates; the load sets municipality_id itself
    # and recounts once. Re-enabled in the same transaction.
    db.session.execute(text("ALTER TABLE cameras DISABLE TRIGGER USER"))
    db.session.execute(text("ALTER TABLE camera_capabilities DISABLE TRIGGER USER"))
    db.session.execute(text(LOAD_SQL), {"total": total, "model": SYNTHETIC_MODEL})
    db.session.execute(text(CAPABILITIES_SQL), {"model": SYNTHETIC_MODEL})
    db.session.execute(text("ALTER TABLE cameras ENABLE TRIGGER USER"))
    db.session.execute(text("ALTER TABLE camera_capabilities ENABLE TRIGGER USER"))
    db.session.execute(text("SELECT recount_municipality_cameras()"))
    db.session.execute(text("SELECT rebuild_camera_cells()"))
    db.session.execute(text("UPDATE map_data_version SET version = version + 1"))
    db.session.commit()
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text("VACUUM ANALYZE cameras"))
        connection.execute(text("VACUUM ANALYZE camera_capabilities"))
    print(f"loaded {synthetic_count():,} synthetic cameras in {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    from app import create_app

    with create_app("production").app_context():
        load()
