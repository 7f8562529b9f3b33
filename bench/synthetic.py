"""Load a SYNTHETIC set of cameras into a separate benchmark database (never the real one).

    scripts/postgis.sh createdb hiljade_bench
    DATABASE_URL=$(scripts/postgis.sh url hiljade_bench) .venv/bin/python -m bench.synthetic --cameras 1000000

Idempotent: runs the migrations, loads the municipalities if missing, and (re)loads the synthetic cameras
only when their number differs. Every synthetic camera has operator_name = SYNTHETIC_MARK so it can never be
mistaken for data. Half cluster around central Belgrade, half around the other municipalities' centres.
"""

import argparse
import os
import sys
import time

from sqlalchemy import text

SYNTHETIC_MARK = "SYNTHETIC benchmark data"
TRIGGERS = ("cameras_assign_municipality", "cameras_track_cells")


def _guard(url: str) -> None:
    from sqlalchemy.engine import make_url

    if "bench" not in (make_url(url).database or ""):
        sys.exit(f"refusing to load synthetic cameras into {url!r}: the database name must contain 'bench'")


LOAD_SQL = """
WITH centres AS (
    SELECT array_agg(ST_X(c) ORDER BY id) AS lons, array_agg(ST_Y(c) ORDER BY id) AS lats, count(*) AS n
    FROM (SELECT id, ST_PointOnSurface(boundary) AS c FROM municipalities) AS m
), draws AS (
    SELECT g, random() AS pick, random() AS u1, random() AS u2, random() AS u3, random() AS u4,
           floor(random() * (SELECT n FROM centres))::int + 1 AS k
    FROM generate_series(1, :n) AS g
), points AS (
    SELECT g,
           CASE WHEN pick < 0.5 THEN 20.4569 ELSE (SELECT lons[k] FROM centres) END
             + CASE WHEN pick < 0.5 THEN 0.06 ELSE 0.03 END
               * sqrt(-2 * ln(greatest(u1, 1e-12))) * cos(2 * pi() * u2) AS lon,
           CASE WHEN pick < 0.5 THEN 44.8176 ELSE (SELECT lats[k] FROM centres) END
             + CASE WHEN pick < 0.5 THEN 0.04 ELSE 0.02 END
               * sqrt(-2 * ln(greatest(u3, 1e-12))) * cos(2 * pi() * u4) AS lat
    FROM draws
)
INSERT INTO cameras (location, status, first_confirmed_on, last_confirmed_on, confirmation_count, version,
                     surveillance_type, camera_type, manufacturer, operator, operator_name)
SELECT ST_SetSRID(ST_MakePoint(lon, lat), 4326),
       CASE WHEN g % 50 = 0 THEN 'removed' ELSE 'active' END,
       DATE '2020-05-01' + (g % 2000), DATE '2026-11-01', 1 + g % 4, 1,
       'camera', (ARRAY['fixed', 'dome', 'panning'])[1 + g % 3], (ARRAY['Huawei', 'Dahua', 'Hikvision'])[1 + g % 3],
       'police', :mark
FROM points
"""


def load(n: int) -> None:
    from app import create_app
    from app.extensions import db

    app = create_app("production")
    _guard(app.config["SQLALCHEMY_DATABASE_URI"])
    with app.app_context():
        import flask_migrate

        from app.municipalities.services import load_geodata

        flask_migrate.upgrade()
        if not db.session.scalar(text("SELECT count(*) FROM municipalities")):
            load_geodata(app.config["GEODATA_DIR"], app.config["GEODATA_MANIFEST"])
        have = db.session.scalar(text("SELECT count(*) FROM cameras WHERE operator_name = :m"), {"m": SYNTHETIC_MARK})
        if have == n:
            print(f"{n} synthetic cameras already loaded")
            return
        started = time.perf_counter()
        # Set-based municipality assignment and cell counts are much faster than per-row triggers for a million rows.
        for trigger in TRIGGERS:
            db.session.execute(text(f"ALTER TABLE cameras DISABLE TRIGGER {trigger}"))
        db.session.execute(text("DELETE FROM cameras WHERE operator_name = :m"), {"m": SYNTHETIC_MARK})
        db.session.execute(text(LOAD_SQL), {"n": n, "mark": SYNTHETIC_MARK})
        for trigger in TRIGGERS:
            db.session.execute(text(f"ALTER TABLE cameras ENABLE TRIGGER {trigger}"))
        db.session.execute(
            text(
                """
                UPDATE cameras AS c SET municipality_id = m.id FROM municipalities AS m
                WHERE c.operator_name = :m AND ST_Covers(m.boundary, c.location)
                """
            ),
            {"m": SYNTHETIC_MARK},
        )
        db.session.execute(
            text(
                """
                INSERT INTO camera_capabilities (camera_id, capability, evidence)
                SELECT id, 'facial_recognition', 'suspected' FROM cameras
                WHERE operator_name = :m AND id % 3 = 0
                """
            ),
            {"m": SYNTHETIC_MARK},
        )
        db.session.execute(text("SELECT rebuild_camera_cells()"))
        db.session.commit()
        db.session.execute(text("ANALYZE cameras"))
        db.session.execute(text("ANALYZE camera_capabilities"))
        db.session.execute(text("ANALYZE camera_cells"))
        db.session.commit()
        print(f"loaded {n} synthetic cameras in {time.perf_counter() - started:.0f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cameras", type=int, default=1_000_000)
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL"):
        sys.exit("set DATABASE_URL to the benchmark database (scripts/postgis.sh url hiljade_bench)")
    load(args.cameras)


if __name__ == "__main__":
    main()
