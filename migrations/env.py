"""Alembic environment for Flask-Migrate, with GeoAlchemy2's helpers so spatial columns and their GiST
indexes are rendered correctly (and PostGIS's own tables are ignored) by autogenerate."""

import logging
from logging.config import fileConfig

from alembic import context
from flask import current_app
from geoalchemy2 import alembic_helpers

from app.database_roles import owner_engine

config = context.config
if config.config_file_name:
    fileConfig(config.config_file_name, disable_existing_loggers=False)
logger = logging.getLogger("alembic.env")

db = current_app.extensions["migrate"].db
# Migrations run as the owner of the schema (DATABASE_OWNER_URL), never as the site's role (app/database_roles.py).
engine = owner_engine(current_app)
config.set_main_option("sqlalchemy.url", engine.url.render_as_string(hide_password=False).replace("%", "%%"))


def include_object(obj, name, type_, reflected, compare_to):
    # PostGIS's tiger/topology schemas and spatial_ref_sys are not ours.
    if type_ == "table" and name in {"spatial_ref_sys"}:
        return False
    return alembic_helpers.include_object(obj, name, type_, reflected, compare_to)


def process_revision_directives(ctx, revision, directives):
    if getattr(config.cmd_opts, "autogenerate", False) and directives[0].upgrade_ops.is_empty():
        directives[:] = []
        logger.info("No changes in schema detected.")
        return
    alembic_helpers.writer.process_revision_directives(ctx, revision, directives)


def configure_args() -> dict:
    args = dict(current_app.extensions["migrate"].configure_args)
    args.update(
        include_object=include_object,
        process_revision_directives=process_revision_directives,
        render_item=alembic_helpers.render_item,
        compare_type=True,
    )
    return args


def run_migrations_offline() -> None:
    context.configure(
        url=config.get_main_option("sqlalchemy.url"),
        target_metadata=db.metadata,
        literal_binds=True,
        **configure_args(),
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    try:
        with engine.connect() as connection:
            context.configure(connection=connection, target_metadata=db.metadata, **configure_args())
            with context.begin_transaction():
                context.run_migrations()
    finally:
        engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
