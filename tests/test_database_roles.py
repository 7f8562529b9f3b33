"""The site's database role reads and writes rows but cannot rewrite the moderation log nor what guards it; the owner
role owns the schema; `flask db roles` converts an installation where the site's role owned everything."""

from collections.abc import Iterator

import flask_migrate
import psycopg
import pytest
import sqlalchemy as sa
from sqlalchemy.engine import make_url

from app.database_roles import RolesError, apply_roles
from app.extensions import db
from tests.cluster import postgis, scratch_app
from tests.factories import make_event

# What a hostile insider with the site's credentials would try first.
FORBIDDEN = {
    "update": "UPDATE moderation_events SET reason = 'rewritten'",
    "delete": "DELETE FROM moderation_events",
    "truncate": "TRUNCATE moderation_events",
    "disable trigger": "ALTER TABLE moderation_events DISABLE TRIGGER moderation_events_append_only",
    "drop trigger": "DROP TRIGGER moderation_events_append_only ON moderation_events",
    "drop trigger function": "DROP FUNCTION forbid_change() CASCADE",
    "drop table": "DROP TABLE moderation_events",
    "take ownership": "ALTER TABLE moderation_events OWNER TO CURRENT_USER",
    "renumber": "SELECT setval('moderation_events_id_seq', 1)",
    "create table": "CREATE TABLE shadow_events (id integer)",
    "create schema": "CREATE SCHEMA shadow",
    "skip triggers": "SET session_replication_role = replica",
}
OLD_INSTALLATION = "hiljade_test_roles"


def refused(url: str, statement: str) -> bool:
    """Whether PostgreSQL refuses the statement for lack of privilege, on a connection of its own (rolled back)."""
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    try:
        with engine.connect() as connection:
            connection.execute(sa.text(statement))
    except sa.exc.DBAPIError as error:
        return isinstance(error.orig, psycopg.errors.InsufficientPrivilege)
    finally:
        engine.dispose()
    return False


def owners(url: str) -> set[str]:
    """Who owns the database and the objects of its public schema."""
    query = """
        SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = current_database()
        UNION SELECT pg_get_userbyid(relowner) FROM pg_class c WHERE relnamespace = 'public'::regnamespace
          AND relkind IN ('r', 'v', 'm', 'S')
          AND NOT EXISTS (SELECT 1 FROM pg_depend WHERE objid = c.oid AND deptype = 'e')
        UNION SELECT pg_get_userbyid(proowner) FROM pg_proc p WHERE pronamespace = 'public'::regnamespace
          AND NOT EXISTS (SELECT 1 FROM pg_depend WHERE objid = p.oid AND deptype = 'e')
    """
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    try:
        with engine.connect() as connection:
            return set(connection.scalars(sa.text(query)))
    finally:
        engine.dispose()


def role(url: str) -> str:
    return make_url(url).username


@pytest.mark.parametrize("statement", FORBIDDEN.values(), ids=FORBIDDEN.keys())
def test_the_sites_role_cannot_change_the_log_or_what_guards_it(app, statement):
    assert refused(app.config["SQLALCHEMY_DATABASE_URI"], statement)


def test_the_suite_runs_the_app_as_the_sites_role_which_appends_to_and_reads_the_log(app):
    assert db.session.scalar(sa.text("SELECT current_user")) == role(app.config["SQLALCHEMY_DATABASE_URI"])

    event = make_event(reason="appended by the site")

    db.session.expire_all()
    assert db.session.scalar(sa.text("SELECT reason FROM moderation_events WHERE id = :id"), {"id": event.id}) == (
        "appended by the site"
    )
    assert owners(app.config["DATABASE_OWNER_URL"]) == {role(app.config["DATABASE_OWNER_URL"])}


def test_the_trigger_still_stops_the_owner(app):
    engine = sa.create_engine(app.config["DATABASE_OWNER_URL"], poolclass=sa.pool.NullPool)
    try:
        with engine.connect() as connection, pytest.raises(sa.exc.DBAPIError, match="append-only"):
            connection.execute(
                sa.text(
                    "INSERT INTO moderation_events (action, target_type, target_id, details, content_hash)"
                    " VALUES ('approve', 'sighting', 1, '{}', repeat('0', 64))"
                )
            )
            connection.execute(sa.text("UPDATE moderation_events SET reason = 'rewritten'"))
    finally:
        engine.dispose()


@pytest.fixture(scope="module")
def old_installation() -> Iterator:
    """A database as the single-role scripts/postgis.sh left it: the site's role owns the database and the schema."""
    site = role(postgis("url", OLD_INSTALLATION))
    postgis("psql", "postgres", "-qc", f'DROP DATABASE IF EXISTS "{OLD_INSTALLATION}" WITH (FORCE)')
    postgis("psql", "postgres", "-qc", f'CREATE DATABASE "{OLD_INSTALLATION}" OWNER "{site}"')
    postgis("psql", OLD_INSTALLATION, "-qc", "CREATE EXTENSION postgis")
    with scratch_app(OLD_INSTALLATION, owner="url") as app:
        flask_migrate.upgrade()
        # What `make run` does next: scripts/postgis.sh gives the owner role the database, then `flask db roles`.
        postgis("createdb", OLD_INSTALLATION)
        app.config["DATABASE_OWNER_URL"] = postgis("owner-url", OLD_INSTALLATION)
        yield app


def privileges(url: str) -> list[tuple]:
    query = "SELECT relname, relacl::text FROM pg_class WHERE relnamespace = 'public'::regnamespace ORDER BY 1"
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    try:
        with engine.connect() as connection:
            return [tuple(row) for row in connection.execute(sa.text(query))]
    finally:
        engine.dispose()


def test_flask_db_roles_converts_an_old_installation_and_changes_nothing_the_second_time(old_installation):
    site_url, owner_url = (
        old_installation.config["SQLALCHEMY_DATABASE_URI"],
        old_installation.config["DATABASE_OWNER_URL"],
    )
    assert role(site_url) in owners(owner_url)
    assert not refused(site_url, "ALTER TABLE moderation_events DISABLE TRIGGER moderation_events_append_only")
    runner = old_installation.test_cli_runner()

    # The suite's autouse fixture has its own app's context pushed; the command must see this one.
    with old_installation.app_context():
        first = runner.invoke(args=["db", "roles"])

    assert first.exit_code == 0, first.output
    assert owners(owner_url) == {role(owner_url)}
    converted = privileges(owner_url)
    for statement in (FORBIDDEN["update"], FORBIDDEN["disable trigger"], FORBIDDEN["create table"]):
        assert refused(site_url, statement), statement

    with old_installation.app_context():
        second = runner.invoke(args=["db", "roles"])

    assert second.exit_code == 0, second.output
    assert "(0 objects taken from" in second.output and "(0 objects taken from" not in first.output
    assert privileges(owner_url) == converted


def test_tables_of_later_migrations_are_the_sites_to_read_and_write(old_installation):
    apply_roles(old_installation)
    site_url, owner_url = (
        old_installation.config["SQLALCHEMY_DATABASE_URI"],
        old_installation.config["DATABASE_OWNER_URL"],
    )
    owner = sa.create_engine(owner_url, poolclass=sa.pool.NullPool)
    site = sa.create_engine(site_url, poolclass=sa.pool.NullPool)
    try:
        with owner.begin() as connection:  # what a new migration does
            connection.execute(sa.text("CREATE TABLE later_table (id serial PRIMARY KEY, note text)"))
        with site.begin() as connection:
            connection.execute(sa.text("INSERT INTO later_table (note) VALUES ('new')"))
            connection.execute(sa.text("UPDATE later_table SET note = 'changed'"))
            assert connection.scalar(sa.text("SELECT note FROM later_table")) == "changed"
            connection.execute(sa.text("DELETE FROM later_table"))
        assert refused(site_url, "DROP TABLE later_table")
    finally:
        site.dispose()
        owner.dispose()


def test_flask_db_roles_refuses_one_role_for_both(app, monkeypatch):
    monkeypatch.setitem(app.config, "DATABASE_OWNER_URL", app.config["SQLALCHEMY_DATABASE_URI"])

    with pytest.raises(RolesError, match="the site needs its own"):
        apply_roles(app)
