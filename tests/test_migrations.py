"""Every migration goes down to an empty database and up again to the same schema, and the revision headers tell
the history the revision ids do.

The round trip runs on a scratch database of its own in the test cluster (made like `make test` makes
hiljade_test, dropped afterwards), never on the suite's database: downgrading that would take the schema from
under every other test.
"""

import re
from collections.abc import Iterator
from pathlib import Path

import flask_migrate
import pytest
import sqlalchemy as sa
from alembic.script import ScriptDirectory

from app.extensions import db
from tests.cluster import postgis, scratch_app

ROOT = Path(__file__).resolve().parent.parent
SCRATCH = "hiljade_test_migrations"

# What the migrations own, read from the catalog; PostGIS's own functions and spatial_ref_sys are the extension's.
SCHEMA_QUERIES = {
    "columns": """
        SELECT table_name, column_name, data_type, character_maximum_length, is_nullable, column_default
        FROM information_schema.columns
        WHERE table_schema = 'public' AND table_name NOT IN ('spatial_ref_sys', 'geography_columns',
            'geometry_columns')
    """,
    "indexes": "SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = 'public'"
    " AND tablename <> 'spatial_ref_sys'",
    "constraints": """
        SELECT c.conrelid::regclass::text, c.conname, pg_get_constraintdef(c.oid)
        FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace
        WHERE n.nspname = 'public' AND c.conrelid <> 'spatial_ref_sys'::regclass
    """,
    "triggers": "SELECT tgrelid::regclass::text, tgname, pg_get_triggerdef(oid) FROM pg_trigger WHERE NOT tgisinternal",
    "functions": """
        SELECT p.proname, pg_get_function_identity_arguments(p.oid), md5(pg_get_functiondef(p.oid))
        FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
        WHERE n.nspname = 'public' AND p.prokind IN ('f', 'p')
          AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e')
    """,
    "sequences": "SELECT sequencename FROM pg_sequences WHERE schemaname = 'public'",
}


def schema(connection) -> dict[str, list[tuple]]:
    """Every object the migrations own, by kind, in a stable order."""
    return {kind: sorted(map(tuple, connection.execute(sa.text(query)))) for kind, query in SCHEMA_QUERIES.items()}


@pytest.fixture
def scratch() -> Iterator:
    """An app on an empty PostGIS database of its own, as the owner (it reads Alembic's table), dropped at the end."""
    postgis("recreatedb", SCRATCH)
    with scratch_app(SCRATCH, site="owner-url") as app:
        yield app


def test_every_migration_goes_down_to_base_and_up_again_to_the_same_schema(scratch):
    flask_migrate.upgrade()
    with db.engine.connect() as connection:
        [head] = ScriptDirectory(str(ROOT / "migrations")).get_heads()
        assert connection.scalar(sa.text("SELECT version_num FROM alembic_version")) == head
        first = schema(connection)
    assert {table for table, *_ in first["columns"]} >= {"cameras", "sightings", "municipalities", "camera_cells"}

    flask_migrate.downgrade(revision="base")
    with db.engine.connect() as connection:
        left = schema(connection)
    # Only Alembic's own bookkeeping table may outlive the downgrade; PostGIS stays (the superuser made it).
    assert {table for table, *_ in left["columns"]} == {"alembic_version"}
    assert left["triggers"] == left["functions"] == left["sequences"] == []

    flask_migrate.upgrade()
    with db.engine.connect() as connection:
        assert schema(connection) == first


def test_there_is_one_head_and_each_header_names_the_revision_it_follows():
    script = ScriptDirectory(str(ROOT / "migrations"))
    assert len(script.get_heads()) == 1, "every migration lands after the one before (one Alembic head)"
    for revision in script.walk_revisions():
        header = re.search(r"^Revises:[ \t]*(\S*)$", revision.module.__doc__, re.MULTILINE)
        assert header, f"{revision.path} has no 'Revises:' line"
        assert header.group(1) == (revision.down_revision or ""), revision.path
        assert f"Revision ID: {revision.revision}\n" in revision.module.__doc__, revision.path
        name = Path(revision.path).stem
        assert name.startswith(f"{revision.revision}_") and not name.endswith("_"), revision.path
