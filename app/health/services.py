"""What the health check reports."""

from typing import Any

from sqlalchemy import text

from app.extensions import db
from app.municipalities.services import count_municipalities


def health(details: bool = False) -> dict[str, Any]:
    """ "ok" once the database answers; with `details` (admins only) its PostgreSQL and PostGIS versions and the
    number of municipalities loaded: exact versions tell an attacker which vulnerabilities to try."""
    db.session.execute(text("SELECT 1"))
    if not details:
        return {"status": "ok"}
    row = db.session.execute(
        text("SELECT current_setting('server_version') AS postgres, postgis_lib_version() AS postgis")
    ).one()
    return {
        "status": "ok",
        "database": {"postgresql": row.postgres, "postgis": row.postgis},
        "municipalities": count_municipalities(),
    }
