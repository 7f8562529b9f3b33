"""HTTP answers every feature shares: cacheable responses with a strong ETag (304 when the client has them, gzip
when it accepts it) and streamed downloads. Compressing responses in general is the performance work's (a library
in front of the app); this gzip is for bodies built once and cached, so they are compressed once."""

import gzip
import hashlib
from collections.abc import Callable, Iterator

from flask import Response, request, stream_with_context

# Below this size gzip costs more than it saves.
MIN_COMPRESS_BYTES = 1024


def etag_of(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()[:32]


def compress(body: bytes) -> bytes:
    # Level 5: nearly the size of level 9 at a third of the time, for responses built per request.
    return gzip.compress(body, compresslevel=5, mtime=0)


def json_response(
    body: str | bytes,
    max_age: int = 60,
    *,
    etag: str | None = None,
    gzipped: bytes | None = None,
    mimetype: str = "application/json",
) -> Response:
    """A cacheable response (JSON unless told): strong ETag, gzip when accepted (pre-compressed bytes reused)."""
    raw = body.encode() if isinstance(body, str) else body
    etag = etag or etag_of(raw)
    wants_gzip = "gzip" in request.headers.get("Accept-Encoding", "").lower() and len(raw) >= MIN_COMPRESS_BYTES
    if request.if_none_match and etag in request.if_none_match:
        response = Response(status=304)
    elif wants_gzip:
        response = Response(gzipped if gzipped is not None else compress(raw), mimetype=mimetype)
        response.headers["Content-Encoding"] = "gzip"
    else:
        response = Response(raw, mimetype=mimetype)
    # One ETag for both encodings: the representation differs only in transfer coding, and Vary says so.
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
