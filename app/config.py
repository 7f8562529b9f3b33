"""Configuration classes; every value that differs between machines comes from the environment."""

import os
import secrets
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
INSTANCE_DIR = Path(os.environ.get("INSTANCE_DIR", PROJECT_DIR / "instance"))


def _secret_key() -> str:
    """SECRET_KEY from the environment, else one generated once and kept in instance/secret_key."""
    if key := os.environ.get("SECRET_KEY"):
        return key
    path = INSTANCE_DIR / "secret_key"
    if not path.exists():
        INSTANCE_DIR.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_hex(32))
    return path.read_text().strip()


def _bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


class Config:
    DEBUG = False
    TESTING = False

    SQLALCHEMY_DATABASE_URI = os.environ.get("DATABASE_URL", "")
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}

    # Municipal boundaries and census figures are read from here (never copied into the repository).
    GEODATA_DIR = os.environ.get("GEODATA_DIR", str(PROJECT_DIR.parent / "shared" / "geodata"))
    GEODATA_MANIFEST = str(PROJECT_DIR / "geodata" / "datasets.json")

    # Base map tiles: the only thing public pages may load from another host. Self-host them for privacy.
    TILE_URL = os.environ.get("TILE_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png")
    TILE_ATTRIBUTION = os.environ.get(
        "TILE_ATTRIBUTION",
        '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors',
    )
    TILE_MAX_ZOOM = int(os.environ.get("TILE_MAX_ZOOM", "19"))

    BABEL_DEFAULT_LOCALE = "sr_Latn"
    BABEL_DEFAULT_TIMEZONE = "Europe/Belgrade"
    BABEL_TRANSLATION_DIRECTORIES = str(PROJECT_DIR / "app" / "translations")
    LANGUAGES = {"sr_Latn": "Srpski", "en": "English"}

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = _bool("SESSION_COOKIE_SECURE", True)
    REMEMBER_COOKIE_SECURE = SESSION_COOKIE_SECURE
    WTF_CSRF_TIME_LIMIT = None
    # Moderator sessions end after this long without a request (logout also ends them everywhere).
    SESSION_IDLE_SECONDS = 30 * 60
    MAX_CONTENT_LENGTH = 64 * 1024 * 1024

    # Re-encoded photos only; see app/photos/storage.py.
    PHOTO_STORAGE_DIR = os.environ.get("PHOTO_STORAGE_DIR", str(INSTANCE_DIR / "photos"))

    def __init__(self) -> None:
        self.SECRET_KEY = _secret_key()


class ProductionConfig(Config):
    pass


class DevelopmentConfig(Config):
    DEBUG = True
    SESSION_COOKIE_SECURE = _bool("SESSION_COOKIE_SECURE", False)
    REMEMBER_COOKIE_SECURE = SESSION_COOKIE_SECURE


class TestingConfig(Config):
    TESTING = True
    SQLALCHEMY_DATABASE_URI = os.environ.get("TEST_DATABASE_URL", "")
    SESSION_COOKIE_SECURE = False
    REMEMBER_COOKIE_SECURE = False
    # Browser tests must not leave our origin: the base map is served by the app itself.
    TILE_URL = "/static/img/blank-tile.png?z={z}&x={x}&y={y}"
    TILE_ATTRIBUTION = "test tiles"

    def __init__(self) -> None:
        self.SECRET_KEY = "test-secret-key"  # noqa: S105  (tests only)


CONFIGS = {
    "production": ProductionConfig,
    "development": DevelopmentConfig,
    "testing": TestingConfig,
}
