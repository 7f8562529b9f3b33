"""HTTP answers every feature shares: cacheable responses with a strong ETag (304 when the client has them) and
streamed downloads.

Compression is Flask-Compress's (app/extensions.py, settings in app/config.py): it compresses HTML, CSS, JS and
JSON after the view, gives the compressed body its own strong ETag (`"<etag>:gzip"`, RFC 9110: another content
coding is another representation), adds `Vary: Accept-Encoding` and leaves alone any response that already has a
Content-Encoding (the camera tiles, pre-gzipped base-map tiles). A body built once and cached (`etag` given) is
compressed once per process and coding: its ETag keys Flask-Compress's cache (`compressed_body_key`).
"""

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterator

from flask import Request, Response, current_app, g, request, stream_with_context


def etag_of(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()[:32]


def matching_validator(etag: str) -> str | None:
    """The client's validator if it holds this body in any coding (`etag` or `etag:<coding>`), else None."""
    codings = current_app.config["COMPRESS_ALGORITHM"]
    for candidate in (etag, *(f"{etag}:{coding}" for coding in codings)):
        if request.if_none_match.contains(candidate):
            return candidate
    return None


def cache_compressed_body(key: str) -> None:
    """Let Flask-Compress keep this response's compressed body under `key` (it must name the body's bytes)."""
    g.compressed_body_key = key


def compressed_body_key(_request: Request) -> str:
    """Flask-Compress's COMPRESS_CACHE_KEY: empty (not cached) unless the view named its body."""
    return g.get("compressed_body_key", "")


class CompressedBodies:
    """Flask-Compress's cache backend: compressed bodies per process, least recently used dropped past a byte cap.

    Keys are `<coding>;<key>`; an empty key (a body built per request) is neither looked up nor kept.
    """

    MAX_BYTES = 32 * 1024 * 1024

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._bodies: OrderedDict[str, bytes] = OrderedDict()
        self._bytes = 0

    def get(self, key: str) -> bytes | None:
        if key.endswith(";"):
            return None
        with self._lock:
            body = self._bodies.get(key)
            if body is not None:
                self._bodies.move_to_end(key)
            return body

    def set(self, key: str, value: bytes) -> None:
        if key.endswith(";") or len(value) > self.MAX_BYTES:
            return
        with self._lock:
            previous = self._bodies.pop(key, None)
            self._bytes += len(value) - (len(previous) if previous is not None else 0)
            self._bodies[key] = value
            while self._bytes > self.MAX_BYTES:
                _, dropped = self._bodies.popitem(last=False)
                self._bytes -= len(dropped)


def json_response(
    body: str | bytes, max_age: int = 60, *, etag: str | None = None, mimetype: str = "application/json"
) -> Response:
    """A cacheable response (JSON unless told) with a strong ETag; `etag` marks a body built once and cached."""
    raw = body.encode() if isinstance(body, str) else body
    if etag is not None:
        cache_compressed_body(etag)
    etag = etag or etag_of(raw)
    if held := matching_validator(etag):
        response = Response(status=304)
        response.set_etag(held)
    else:
        response = Response(raw, mimetype=mimetype)
        response.set_etag(etag)
    response.vary.add("Accept-Encoding")
    response.cache_control.public = True
    response.cache_control.max_age = max_age
    return response


def download(chunks: Callable[[], Iterator[str]], mimetype: str, filename: str, max_age: int = 300) -> Response:
    """A streamed download: the body is produced row by row while it is sent, never built in memory."""
    response = Response(stream_with_context(chunks()), mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.cache_control.public = True
    response.cache_control.max_age = max_age
    return response
