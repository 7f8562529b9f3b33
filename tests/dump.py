"""Everything the database holds, as text: what a dump would show, to search for traces of a report."""

from sqlalchemy import text

from app.extensions import db

# Loaded reference data, large and holding nothing of a reporter.
REFERENCE_TABLES = {"spatial_ref_sys", "municipalities", "municipality_boundaries", "camera_cells", "basemap_tiles"}


def database_text() -> str:
    """Every row of every table of ours (geometries as their hex WKB and as text)."""
    tables = db.session.scalars(text("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")).all()
    rows = []
    for table in sorted(set(tables) - REFERENCE_TABLES):
        query = text(f'SELECT * FROM "{table}"')  # noqa: S608 (the names come from pg_tables)
        rows += [str(tuple(row)) for row in db.session.execute(query)]
    for table in ("sightings", "cameras"):
        rows += db.session.scalars(text(f"SELECT ST_AsText(location) FROM {table}")).all()  # noqa: S608
    return "\n".join(rows)
