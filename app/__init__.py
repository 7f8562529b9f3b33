"""Application factory: wires configuration, extensions, blueprints, error handlers and commands."""

import logging

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from app import assets, input_guards
from app.config import CONFIGS, INSTANCE_DIR, PROJECT_DIR, Config
from app.photos import upload


def create_app(config: str | type[Config] | Config | None = None) -> Flask:
    """Build the app; `config` is a name from app.config.CONFIGS (default: $APP_CONFIG or production)."""
    import os

    app = Flask(
        __name__,
        static_folder=str(PROJECT_DIR / "static"),
        template_folder=str(PROJECT_DIR / "templates"),
        instance_path=str(INSTANCE_DIR),
    )
    if config is None or isinstance(config, str):
        config = CONFIGS[config or os.environ.get("APP_CONFIG", "production")]
    app.config.from_object(config() if isinstance(config, type) else config)
    if not app.config["SQLALCHEMY_DATABASE_URI"]:
        raise RuntimeError("DATABASE_URL is not set (make run sets it for the embedded PostGIS)")
    from app.tiles.fast_path import CachedTiles

    app.wsgi_app = CachedTiles(app.wsgi_app, app)  # repeated camera tiles answered before Flask runs
    if hops := app.config["PROXY_FIX_X_FOR"]:
        # Behind a reverse proxy: the rate limiter must see each client, not the proxy (it only ever sees an HMAC).
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)

    register_extensions(app)
    upload.init_app(app)  # the request class whose multipart parser every photo goes through
    input_guards.init_app(app)  # before the blueprints: their <int:...> rules use its converter
    register_blueprints(app)
    assets.init_app(app)  # content-hashed static URLs, cached for a year
    register_errorhandlers(app)
    register_commands(app)
    register_security_headers(app)
    logging.basicConfig(level=logging.INFO)
    from app.security import NoClientAddressFilter

    # The development server logs the client address of every request; reporters' addresses are never logged.
    logging.getLogger("werkzeug").addFilter(NoClientAddressFilter())
    return app


def register_extensions(app: Flask) -> None:
    from app import http, i18n, models, navigation  # noqa: F401  (models registers the tables for migrations)
    from app.auth import sessions
    from app.auth.sessions import load_user_from_cookie
    from app.extensions import babel, compress, csrf, db, limiter, login_manager, migrate

    # First, so its after_request runs last and compresses the response every other hook has finished. Bodies a
    # view names (app/http.py) are compressed once per process and coding.
    app.config.setdefault("COMPRESS_CACHE_BACKEND", http.CompressedBodies)
    app.config.setdefault("COMPRESS_CACHE_KEY", http.compressed_body_key)
    compress.init_app(app)
    db.init_app(app)
    migrate.init_app(app, db, directory=str(PROJECT_DIR / "migrations"), compare_type=True)
    csrf.init_app(app)
    limiter.init_app(app)
    babel.init_app(app, locale_selector=i18n.select_locale)
    login_manager.init_app(app)
    login_manager.user_loader(load_user_from_cookie)
    login_manager.session_protection = "strong"
    i18n.init_app(app)
    navigation.init_app(app)
    sessions.init_app(app)


def register_blueprints(app: Flask) -> None:
    from app.api import bp as api_bp
    from app.api.openapi import docs_bp
    from app.assets import bp as assets_bp
    from app.auth.admin import bp as admin_bp
    from app.auth.routes import bp as auth_bp
    from app.basemap import bp as basemap_bp
    from app.camera_list import bp as camera_list_bp
    from app.cameras.routes import bp as cameras_bp
    from app.declared import bp as declared_bp
    from app.feeds import bp as feeds_bp
    from app.health.routes import bp as health_bp
    from app.maps.routes import bp as maps_bp
    from app.moderation import bp as moderation_bp
    from app.municipalities.routes import bp as municipalities_bp
    from app.opendata.routes import bp as opendata_bp
    from app.pages.routes import bp as pages_bp
    from app.photos.routes import bp as photos_bp
    from app.submissions.routes import bp as submissions_bp
    from app.tiles.routes import bp as tiles_bp

    blueprints = (
        assets_bp,
        basemap_bp,
        cameras_bp,
        camera_list_bp,
        declared_bp,
        feeds_bp,
        health_bp,
        maps_bp,
        municipalities_bp,
        pages_bp,
        api_bp,
        docs_bp,
        opendata_bp,
        tiles_bp,
        photos_bp,
        submissions_bp,
        auth_bp,
        admin_bp,
        moderation_bp,
    )
    for blueprint in blueprints:
        app.register_blueprint(blueprint)


def register_errorhandlers(app: Flask) -> None:
    from app.errors import register

    register(app)


def register_commands(app: Flask) -> None:
    from flask_migrate.cli import db as db_cli

    from app.auth.cli import users_cli
    from app.backups.cli import backup_cli
    from app.basemap.cli import basemap_cli
    from app.database_roles import roles_command
    from app.declared.cli import declared_cli
    from app.moderation.cli import retention_cli
    from app.municipalities.cli import figures_cli, geodata_cli
    from app.opendata.cli import data_cli, osm_cli
    from app.photos.cli import photos_cli

    groups = (geodata_cli, basemap_cli, backup_cli, figures_cli, declared_cli, users_cli, retention_cli, photos_cli)
    for group in (*groups, data_cli, osm_cli):
        app.cli.add_command(group)
    db_cli.add_command(roles_command)  # `flask db roles`, beside Flask-Migrate's `flask db upgrade`


def register_security_headers(app: Flask) -> None:
    from app import caching
    from app.security import apply_headers, check_origin

    caching.init_app(app)  # what shared caches may keep: no Vary: Cookie for anonymous readers, no-store for sessions
    app.before_request(check_origin)
    app.after_request(apply_headers)
