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
    # The role that owns the schema: migrations, `flask geodata load` and `flask db roles` connect as it, the site
    # as DATABASE_URL's role, which may not change the moderation log (app/database_roles.py). Unset: DATABASE_URL.
    DATABASE_OWNER_URL = os.environ.get("DATABASE_OWNER_URL", "")
    # An optional streaming replica for the public reads (app/replicas.py); the primary answers when it is down or
    # its replay lags more than REPLICA_MAX_LAG_S seconds.
    REPLICA_DATABASE_URL = os.environ.get("REPLICA_DATABASE_URL", "")
    REPLICA_MAX_LAG_S = float(os.environ.get("REPLICA_MAX_LAG_S", "30"))
    # hide_parameters: a failed statement's error never quotes what a reporter sent (coordinates, note, key).
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True, "hide_parameters": True}

    # Municipal boundaries and census figures are read from here (never copied into the repository).
    GEODATA_DIR = os.environ.get("GEODATA_DIR", str(PROJECT_DIR.parent / "shared" / "geodata"))
    GEODATA_MANIFEST = str(PROJECT_DIR / "geodata" / "datasets.json")

    # The base map: tiles from this MBTiles file, served by the app itself (app/basemap). `flask geodata load` draws
    # the municipalities into it; `flask basemap import FILE` puts a street-level map there.
    BASEMAP_FILE = os.environ.get("BASEMAP_FILE", str(INSTANCE_DIR / "basemap.mbtiles"))
    # A third-party raster tile server instead ({z}/{x}/{y} URL), only as the operator's explicit choice: every
    # visitor's browser then tells that server where it looks (the admin pages warn, the CSP allows its origin).
    TILE_URL = os.environ.get("TILE_URL", "")
    TILE_ATTRIBUTION = os.environ.get("TILE_ATTRIBUTION", "")
    TILE_MAX_ZOOM = int(os.environ.get("TILE_MAX_ZOOM", "19"))
    # Where `npm ci` installed the front-end packages the site serves (app/assets.py).
    NODE_MODULES_DIR = os.environ.get("NODE_MODULES_DIR", str(PROJECT_DIR / "node_modules"))
    # The camera map answers with grid clusters below this zoom, or when a viewport holds more than the cap.
    MAP_CLUSTER_BELOW_ZOOM = int(os.environ.get("MAP_CLUSTER_BELOW_ZOOM", "12"))
    MAP_POINT_CAP = int(os.environ.get("MAP_POINT_CAP", "2000"))
    # Below this zoom the clusters are per municipality, from the trigger-kept counts (when the filters allow).
    MAP_MUNICIPAL_CLUSTERS_BELOW_ZOOM = int(os.environ.get("MAP_MUNICIPAL_CLUSTERS_BELOW_ZOOM", "10"))
    # A declared location and a mapped camera this close are the same place (app/declared/matching.py): a phone's
    # GPS is off by 5-15 m in a street, and a list names a junction or a square, whose cameras stand up to about
    # 30 m from its centre; 50 m covers both without reaching the next junction of a city block (80-150 m).
    DECLARED_MATCH_METRES = float(os.environ.get("DECLARED_MATCH_METRES", "50"))

    # Camera vector tiles (app/tiles/cache.py): each process reads the data version at most this often (seconds), so a
    # change reaches every app server's tiles within it; built tiles are kept per process up to this many bytes.
    CAMERA_TILES_VERSION_MAX_AGE = float(os.environ.get("CAMERA_TILES_VERSION_MAX_AGE", "1"))
    CAMERA_TILES_CACHE_BYTES = int(os.environ.get("CAMERA_TILES_CACHE_BYTES", str(64 * 1024 * 1024)))

    # Response compression (Flask-Compress, see app/http.py): what the browser accepts first of zstd, br, gzip.
    # Bodies named by their ETag (cached pages, JSON, static files) are compressed once per process and coding.
    COMPRESS_MIMETYPES = [
        "text/html", "text/css", "text/plain", "text/csv", "text/javascript", "application/javascript",
        "application/json", "application/geo+json", "application/manifest+json", "application/xml",
        "image/svg+xml",
    ]  # fmt: skip
    COMPRESS_ALGORITHM = ["zstd", "br", "gzip"]
    COMPRESS_ALGORITHM_STREAMING = ["zstd", "br", "gzip"]  # streamed downloads (exports)
    COMPRESS_MIN_SIZE = 1024  # below this a compressed body saves less than it costs

    BABEL_DEFAULT_LOCALE = "sr_Latn"
    BABEL_DEFAULT_TIMEZONE = "Europe/Belgrade"
    BABEL_TRANSLATION_DIRECTORIES = str(PROJECT_DIR / "app" / "translations")
    LANGUAGES = {"sr_Latn": "Srpski", "sr_Cyrl": "Српски", "sq": "Shqip", "en": "English"}

    # The site's public origin(s), space-separated (e.g. "https://hiljadekamera.rs http://<onion address>"): a
    # state-changing browser request whose Origin (or else Referer) is another origin is refused. What a proxy
    # passes as Host never decides. The default is what `make run` serves.
    PUBLIC_ORIGIN = os.environ.get("PUBLIC_ORIGIN", "http://127.0.0.1:5000 http://localhost:5000")

    # The site's onion service (e.g. "http://<56 characters>.onion", README "Tor"): HTML pages then carry an
    # Onion-Location header, so Tor Browser offers it. Add the address to PUBLIC_ORIGIN too.
    ONION_LOCATION = os.environ.get("ONION_LOCATION", "")

    # Number of reverse proxies in front of the app whose X-Forwarded-For/-Proto to trust (0: none).
    PROXY_FIX_X_FOR = int(os.environ.get("PROXY_FIX_X_FOR", "0"))

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = _bool("SESSION_COOKIE_SECURE", True)
    REMEMBER_COOKIE_SECURE = SESSION_COOKIE_SECURE
    WTF_CSRF_TIME_LIMIT = None
    # Moderator sessions end after this long without a request (logout also ends them everywhere).
    SESSION_IDLE_SECONDS = 30 * 60

    # `flask retention run` deletes a rejected sighting (position, note, fields, photos) this many days after the
    # rejection (app/moderation/retention.py).
    REJECTED_RETENTION_DAYS = int(os.environ.get("REJECTED_RETENTION_DAYS", "30"))
    # Re-encoded photos only; see app/photos/storage.py. PHOTO_STORAGE_URL=s3://bucket/prefix puts them in an
    # S3-compatible store instead (endpoint and keys: the standard AWS_ENDPOINT_URL, AWS_ACCESS_KEY_ID, ...).
    PHOTO_STORAGE_DIR = os.environ.get("PHOTO_STORAGE_DIR", str(INSTANCE_DIR / "photos"))
    PHOTO_STORAGE_URL = os.environ.get("PHOTO_STORAGE_URL", "")
    # Submissions (app/submissions): at most this many photos of at most this size each. 25 MiB holds a 50 MP
    # JPEG or a motion photo (12-25 MB); the pixel caps per format are in app/photos/limits.py.
    PHOTO_MAX_COUNT = 5
    PHOTO_MAX_BYTES = int(os.environ.get("PHOTO_MAX_BYTES", str(25 * 1024 * 1024)))
    # A whole report: every photo at its cap plus the text fields. Only a body over this loses its fields.
    MAX_CONTENT_LENGTH = PHOTO_MAX_COUNT * PHOTO_MAX_BYTES + 1024 * 1024
    # Each text field of a multipart form keeps at most this many bytes (app/photos/upload.py); longer ones are
    # refused by their validator with everything else kept. Werkzeug's MAX_FORM_MEMORY_SIZE is not used.
    FORM_FIELD_MAX_BYTES = 64 * 1024
    # Large request bodies read at once per process; the others wait in the socket, then get 503 Retry-After.
    PHOTO_INTAKE_SLOTS = int(os.environ.get("PHOTO_INTAKE_SLOTS", "2"))
    PHOTO_INTAKE_WAIT_SECONDS = float(os.environ.get("PHOTO_INTAKE_WAIT_SECONDS", "30"))
    # Anonymous submissions per client (HMAC of the address, see app/security.py); generous for shared
    # carrier-grade NAT addresses, tight enough to make flooding slow.
    SUBMISSION_RATE_LIMIT = os.environ.get("SUBMISSION_RATE_LIMIT", "30 per hour;200 per day")
    LOGIN_RATE_LIMIT = os.environ.get("LOGIN_RATE_LIMIT", "20 per 10 minutes;100 per day")
    RATELIMIT_HEADERS_ENABLED = True
    # Where the limits are counted. memory:// (default): in each gunicorn worker, so with WEB_CONCURRENCY workers a
    # client may send up to that many times the limit, and the X-RateLimit-* headers count that worker's share.
    # redis+unix:///.../redis.sock (scripts/redis.sh, `make run` starts it): one count across workers and machines.
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    # The key the daily HMAC secret of shared limits is derived from (app/security.py); the same on every server.
    RATE_LIMIT_KEY_FILE = os.environ.get("RATE_LIMIT_KEY_FILE", str(INSTANCE_DIR / "rate_limit_key"))

    # Signed open-data snapshots (`flask data snapshot`); the signing key never leaves the instance directory.
    SNAPSHOT_DIR = os.environ.get("SNAPSHOT_DIR", str(INSTANCE_DIR / "snapshots"))
    SNAPSHOT_KEY_FILE = os.environ.get("SNAPSHOT_KEY_FILE", str(INSTANCE_DIR / "snapshot_signing_key"))
    # The key ring that seals moderators' TOTP secrets (app/auth/sealing.py): outside the database, backed up apart.
    TOTP_KEY_FILE = os.environ.get("TOTP_KEY_FILE", str(INSTANCE_DIR / "totp.key"))

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
    DATABASE_OWNER_URL = os.environ.get("TEST_DATABASE_OWNER_URL", "")
    SESSION_COOKIE_SECURE = False
    REMEMBER_COOKIE_SECURE = False
    # The hostile-input corpus sends many requests from one address; the limit itself is tested separately.
    SUBMISSION_RATE_LIMIT = "10000 per hour"
    LOGIN_RATE_LIMIT = "10000 per hour"
    PUBLIC_ORIGIN = "http://localhost"  # Flask's test client; live servers add their own address
    # Every test's data is its own rolled-back transaction: tiles read the version on every request
    # (tests/tiles/test_tile_cache.py sets a longer age where it is what is tested).
    CAMERA_TILES_VERSION_MAX_AGE = 0.0

    def __init__(self) -> None:
        self.SECRET_KEY = "test-secret-key"  # noqa: S105  (tests only)


CONFIGS = {
    "production": ProductionConfig,
    "development": DevelopmentConfig,
    "testing": TestingConfig,
}
