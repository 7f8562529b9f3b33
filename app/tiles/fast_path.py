"""A WSGI layer in front of Flask that answers camera tiles: repeats from the tile cache, misses built directly.

On this 2-core machine Flask's request handling (routing, the rate limiter, sessions, CSRF, i18n, security
headers) costs about 0.5 ms of CPU per request, which capped cached tiles at about 2,000/s. A cached tile needs none
of it: the answer is the cached bytes with the headers Flask sent for the same kind of answer. This layer therefore
replays them, for a plain `GET /tiles/cameras/z/x/y.pbf` (no query string) from a client that accepts gzip, while
the data version is fresh (read less than CAMERA_TILES_VERSION_MAX_AGE ago); a tile not cached yet is built in an
app context (the same service, no request hooks) on an autocommit connection (its one statement needs no
transaction: no BEGIN and ROLLBACK round trips). Everything else (a stale version, another
client, an error) goes to Flask, and each gzipped 200 tile Flask sends teaches it the headers:
whatever the hooks add (security headers, CORS, Vary, Cache-Control) is copied, never written a second time here.
"""

import re
from collections.abc import Callable, Iterable

from flask import Flask
from werkzeug.http import parse_etags

from app.tiles import cache

TILE_PATH = re.compile(r"/tiles/cameras/(\d{1,2})/(\d{1,7})/(\d{1,7})\.pbf")
# Headers of one answer only (or of no 304): everything else Flask sent is the same for every cached tile.
_PER_TILE = {"etag", "content-length"}
_ENTITY = {"content-length", "content-encoding", "content-type"}


class CachedTiles:
    def __init__(self, wsgi_app: Callable, flask_app: Flask) -> None:
        self.wsgi_app = wsgi_app
        self.flask_app = flask_app
        self.headers: list[tuple[str, str]] | None = None  # learnt from Flask's gzipped 200 tiles

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        match = TILE_PATH.fullmatch(environ.get("PATH_INFO", ""))
        if not match or environ.get("REQUEST_METHOD") != "GET" or environ.get("QUERY_STRING"):
            return self.wsgi_app(environ, start_response)
        if "gzip" not in environ.get("HTTP_ACCEPT_ENCODING", ""):
            return self.wsgi_app(environ, start_response)
        z, x, y = (int(part) for part in match.groups())
        version = cache.versions.fresh(self.flask_app.config["CAMERA_TILES_VERSION_MAX_AGE"])
        headers = self.headers
        if version is not None and headers is not None:
            etag = cache.tile_etag(version, z, x, y) + ":gzip"
            if parse_etags(environ.get("HTTP_IF_NONE_MATCH")).contains(etag):
                kept = [(k, v) for k, v in headers if k.lower() not in _ENTITY]
                start_response("304 NOT MODIFIED", [*kept, ("ETag", f'"{etag}"')])
                return [b""]
            body = self._tile(version, z, x, y)
            if body is not None:
                start_response("200 OK", [*headers, ("ETag", f'"{etag}"'), ("Content-Length", str(len(body)))])
                return [body]
        return self.wsgi_app(environ, self._learning(start_response))

    def _tile(self, version: tuple, z: int, x: int, y: int) -> bytes | None:
        """The cached tile, else built now in an app context (no request: no hook runs); None to let Flask answer,
        with its error pages, an address outside the pyramid or a failure."""
        body = cache.tiles.get(version, (z, x, y))
        if body is not None:
            return body
        from app.database import autocommit_connection
        from app.tiles.services import gzipped_camera_tile

        try:
            with self.flask_app.app_context(), autocommit_connection() as connection:
                return gzipped_camera_tile(version, z, x, y, connection)
        except Exception:  # Flask answers the same request again, with its error envelope
            return None

    def _learning(self, start_response: Callable) -> Callable:
        def learn(status: str, headers: list[tuple[str, str]], exc_info=None):
            names = {name.lower() for name, _ in headers}
            if status.startswith("200") and "set-cookie" not in names and ("Content-Encoding", "gzip") in headers:
                self.headers = [(k, v) for k, v in headers if k.lower() not in _PER_TILE]
            return start_response(status, headers, exc_info)

        return learn
