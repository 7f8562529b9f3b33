"""Two database roles: the owner of the schema (migrations, `flask geodata load`, `flask db roles`) and the site's
role, which reads and writes rows but owns nothing, so it can neither rewrite the moderation log nor alter, disable
or drop what guards it.

`flask db roles` is idempotent: it gives the owner whatever the site's role still owns (an installation from before
the two roles), grants the site's role exactly its privileges, and sets the default privileges that cover the tables
later migrations create.
"""

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import click
import sqlalchemy as sa
from flask import Flask, current_app
from flask.cli import with_appcontext
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.pool import NullPool

from app.extensions import db

log = logging.getLogger(__name__)

SCHEMA = "public"
# What the site's role may do to every table of the schema, and the exceptions: the log is append-only (its
# trigger also stops the owner), Alembic's bookkeeping is the owner's. Never TRUNCATE, REFERENCES or TRIGGER.
TABLE_PRIVILEGES = "SELECT, INSERT, UPDATE, DELETE"
TABLE_EXCEPTIONS = {"moderation_events": "SELECT, INSERT", "alembic_version": "SELECT"}
LOG_TABLE = "moderation_events"
FORBIDDEN_ON_LOG = ("UPDATE", "DELETE", "TRUNCATE", "REFERENCES", "TRIGGER")

ONE_ROLE = (
    "DATABASE_OWNER_URL is not set: the schema is changed as DATABASE_URL's role, which then owns it and could "
    "disable the moderation log's trigger (README, 'Database roles')"
)

# Everything the site's role owns in this database, as the statements that give it to the owner. Sequences that
# belong to a column move with their table; array and row types with their element and table.
OWNED_BY_SITE = """
SELECT format('ALTER SCHEMA %I OWNER TO %I', nspname, CAST(:owner AS text)) FROM pg_namespace
WHERE pg_get_userbyid(nspowner) = :site
UNION ALL
SELECT format('ALTER %s %s OWNER TO %I',
              CASE c.relkind WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW' WHEN 'S' THEN 'SEQUENCE'
                             WHEN 'f' THEN 'FOREIGN TABLE' ELSE 'TABLE' END,
              c.oid::regclass, CAST(:owner AS text))
FROM pg_class c
WHERE pg_get_userbyid(c.relowner) = :site AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')
  AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid
                  AND d.refclassid = 'pg_class'::regclass AND d.deptype IN ('a', 'i'))
UNION ALL
SELECT format('ALTER ROUTINE %s OWNER TO %I', p.oid::regprocedure, CAST(:owner AS text)) FROM pg_proc p
WHERE pg_get_userbyid(p.proowner) = :site
UNION ALL
SELECT format('ALTER TYPE %s OWNER TO %I', t.oid::regtype, CAST(:owner AS text)) FROM pg_type t
WHERE pg_get_userbyid(t.typowner) = :site
  AND (t.typtype IN ('e', 'd', 'r', 'm') OR t.typtype = 'c' AND EXISTS (
       SELECT 1 FROM pg_class WHERE oid = t.typrelid AND relkind = 'c'))
"""

# Whatever ownership is left (any kind of object, this database or the database itself) after the reassignment.
STILL_OWNED = """
SELECT count(*) FROM pg_shdepend s, (SELECT oid FROM pg_database WHERE datname = current_database()) AS here
WHERE s.refobjid = (SELECT oid FROM pg_roles WHERE rolname = :site) AND s.deptype = 'o'
  AND (s.dbid = here.oid OR s.classid = 'pg_database'::regclass AND s.objid = here.oid)
"""

# Each column of VERIFY is true when the site's role could get past its privileges; PROBLEMS says what to do.
VERIFY = """
SELECT r.rolsuper, r.rolcreaterole, pg_has_role(:site, :owner, 'MEMBER'),
       has_schema_privilege(:site, :schema, 'CREATE'), has_database_privilege(:site, current_database(), 'CREATE'),
       to_regclass(:log) IS NOT NULL
       AND EXISTS (SELECT 1 FROM unnest(CAST(:forbidden AS text[])) AS p WHERE has_table_privilege(:site, :log, p))
FROM pg_roles r WHERE r.rolname = :site
"""
PROBLEMS = (
    "is a superuser (ALTER ROLE {site} NOSUPERUSER)",
    "may create roles (ALTER ROLE {site} NOCREATEROLE)",
    "is a member of {owner} (REVOKE {owner} FROM {site})",
    f"may create in the schema (its owner: REVOKE CREATE ON SCHEMA {SCHEMA} FROM PUBLIC)",
    "may create schemas (REVOKE CREATE ON DATABASE ... FROM PUBLIC)",
    f"may change or empty {LOG_TABLE} (REVOKE UPDATE, DELETE, TRUNCATE ON {LOG_TABLE} FROM PUBLIC)",
)

OWNER_OBJECTS = """
SELECT c.oid::regclass::text, c.relname, c.relkind = 'S' FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = :schema AND pg_get_userbyid(c.relowner) = current_user AND c.relkind IN ('r', 'p', 'v', 'm', 'f', 'S')
ORDER BY c.relname
"""

OWNER_ROUTINES = """
SELECT p.oid::regprocedure::text FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
WHERE n.nspname = :schema AND pg_get_userbyid(p.proowner) = current_user ORDER BY 1
"""


class RolesError(click.ClickException):
    """The database cannot be given the two roles as configured; the message says what to do."""


@dataclass(frozen=True)
class RolesReport:
    owner: str
    site: str
    reassigned: int
    tables: int
    sequences: int
    routines: int


def _database(url: str) -> str:
    parsed = make_url(url)
    return f"{parsed.host or parsed.query.get('host') or ''}:{parsed.port or ''}/{parsed.database}"


def owner_url(app: Flask) -> str:
    """DATABASE_OWNER_URL, which must name DATABASE_URL's database; without it DATABASE_URL, with a warning."""
    site = app.config["SQLALCHEMY_DATABASE_URI"]
    owner = app.config.get("DATABASE_OWNER_URL") or ""
    if not owner:
        log.warning(ONE_ROLE)
        return site
    if _database(owner) != _database(site):
        raise RolesError(f"DATABASE_OWNER_URL names {_database(owner)}, DATABASE_URL {_database(site)}: one database")
    return owner


def owner_engine(app: Flask) -> sa.Engine:
    """An engine connecting as the owner (no pool: the owner's work is one command long)."""
    return sa.create_engine(owner_url(app), poolclass=NullPool, hide_parameters=True)


@contextmanager
def as_owner() -> Iterator[None]:
    """Inside the block `db.session` connects as the owner; afterwards as the site's role again."""
    engine = owner_engine(current_app)
    engines = db.engines
    site = engines[None]
    db.session.remove()
    engines[None] = engine
    try:
        yield
    finally:
        db.session.remove()
        engines[None] = site
        engine.dispose()


def site_role(app: Flask) -> str:
    """The role DATABASE_URL logs in as (asked of the server: a URL may leave the user to libpq's defaults)."""
    engine = sa.create_engine(app.config["SQLALCHEMY_DATABASE_URI"], poolclass=NullPool)
    try:
        with engine.connect() as connection:
            return connection.scalar(sa.text("SELECT current_user"))
    finally:
        engine.dispose()


def apply_roles(app: Flask) -> RolesReport:
    """Give the owner everything and the site's role what it needs, in one transaction (idempotent)."""
    if not app.config.get("DATABASE_OWNER_URL"):
        raise RolesError("set DATABASE_OWNER_URL to the URL of the role that is to own the schema")
    site = site_role(app)
    engine = owner_engine(app)
    try:
        with engine.begin() as connection:
            owner = connection.scalar(sa.text("SELECT current_user"))
            if site == owner:
                raise RolesError(f"DATABASE_URL and DATABASE_OWNER_URL both log in as {site}: the site needs its own")
            reassigned = _take_ownership(connection, site, owner)
            report = _grant(connection, site, owner, reassigned)
            _verify(connection, site, owner)  # a failure rolls everything back
            return report
    finally:
        engine.dispose()


def _take_ownership(connection: Connection, site: str, owner: str) -> int:
    """What an installation from before the two roles let the site's role own goes to the owner."""
    names = {"site": site, "owner": owner}
    database, database_owner = connection.execute(
        sa.text(
            "SELECT current_database(), pg_get_userbyid(datdba) FROM pg_database WHERE datname = current_database()"
        )
    ).one()
    statements = list(connection.scalars(sa.text(OWNED_BY_SITE), names))
    if statements and not connection.scalar(sa.text("SELECT pg_has_role(:owner, :site, 'USAGE')"), names):
        raise RolesError(
            f"{site} owns {len(statements)} objects that {owner} cannot take: as a superuser run "
            f"GRANT {site} TO {owner}; then flask db roles again (scripts/postgis.sh createdb does both roles)"
        )
    for statement in statements:
        connection.execute(sa.text(statement))
    if database_owner == site:
        quoted = connection.dialect.identifier_preparer.quote
        statement = f"ALTER DATABASE {quoted(database)} OWNER TO {quoted(owner)}"
        try:
            with connection.begin_nested():
                connection.execute(sa.text(statement))
        except sa.exc.ProgrammingError as error:
            raise RolesError(
                f"{site} owns the database; as a superuser run {statement}; then flask db roles again"
            ) from error
        statements.append(statement)
    if left := connection.scalar(sa.text(STILL_OWNED), names):
        raise RolesError(f"{site} still owns {left} objects in {database} (see pg_shdepend); give them to {owner}")
    return len(statements)


def _grant(connection: Connection, site: str, owner: str, reassigned: int) -> RolesReport:
    quoted = connection.dialect.identifier_preparer.quote
    role, schema = quoted(site), quoted(SCHEMA)
    database = quoted(connection.scalar(sa.text("SELECT current_database()")))
    statements = [
        f"GRANT CONNECT, TEMPORARY ON DATABASE {database} TO {role}",
        f"REVOKE CREATE ON DATABASE {database} FROM PUBLIC, {role}",
        f"REVOKE CREATE ON SCHEMA {schema} FROM PUBLIC, {role}",
        f"GRANT USAGE ON SCHEMA {schema} TO {role}",
    ]
    tables = sequences = 0
    for qualified, name, is_sequence in connection.execute(sa.text(OWNER_OBJECTS), {"schema": SCHEMA}):
        # PUBLIC too: whatever PUBLIC may do, every role may.
        if is_sequence:
            sequences += 1
            statements.append(f"REVOKE ALL ON SEQUENCE {qualified} FROM PUBLIC, {role}")
            statements.append(f"GRANT USAGE, SELECT ON SEQUENCE {qualified} TO {role}")
        else:
            tables += 1
            statements.append(f"REVOKE ALL ON TABLE {qualified} FROM PUBLIC, {role}")
            statements.append(f"GRANT {TABLE_EXCEPTIONS.get(name, TABLE_PRIVILEGES)} ON TABLE {qualified} TO {role}")
    routines = list(connection.scalars(sa.text(OWNER_ROUTINES), {"schema": SCHEMA}))
    statements += [f"GRANT EXECUTE ON ROUTINE {routine} TO {role}" for routine in routines]
    defaults = f"ALTER DEFAULT PRIVILEGES FOR ROLE {quoted(owner)} IN SCHEMA {schema} GRANT"
    statements += [
        f"{defaults} {TABLE_PRIVILEGES} ON TABLES TO {role}",
        f"{defaults} USAGE, SELECT ON SEQUENCES TO {role}",
        f"{defaults} EXECUTE ON ROUTINES TO {role}",
    ]
    for statement in statements:
        connection.execute(sa.text(statement))
    return RolesReport(owner, site, reassigned, tables, sequences, len(routines))


def _verify(connection: Connection, site: str, owner: str) -> None:
    """What must hold whatever the server's version and history: checked, not assumed from the grants."""
    names = {"site": site, "owner": owner, "schema": SCHEMA, "log": f"{SCHEMA}.{LOG_TABLE}"}
    found = connection.execute(sa.text(VERIFY), {**names, "forbidden": list(FORBIDDEN_ON_LOG)}).one()
    problems = [
        problem.format(site=site, owner=owner) for problem, failed in zip(PROBLEMS, found, strict=True) if failed
    ]
    if problems:
        raise RolesError(f"{site} {'; '.join(problems)}: any of these lets it past the privileges (nothing changed)")


@click.command("roles")
@with_appcontext
def roles_command() -> None:
    """Give the schema to the owner role and the site's role exactly what it needs (idempotent)."""
    report = apply_roles(current_app)
    click.echo(
        f"{report.owner} owns the schema ({report.reassigned} objects taken from {report.site}); {report.site} may "
        f"read and write {report.tables} tables ({LOG_TABLE}: SELECT, INSERT only), use {report.sequences} "
        f"sequences and run {report.routines} functions"
    )
