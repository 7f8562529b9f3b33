"""Response headers that keep public pages on our own origin and out of other sites' frames."""

from urllib.parse import urlsplit

from flask import Response, current_app


def tile_origin() -> str:
    """The origin of the configured base-map tiles ('' when they come from our own origin)."""
    parts = urlsplit(current_app.config["TILE_URL"])
    if parts.scheme and parts.netloc:
        return f"{parts.scheme}://{parts.netloc}"
    return ""


def apply_headers(response: Response) -> Response:
    images = " ".join(filter(None, ["'self'", "data:", "blob:", tile_origin()]))
    response.headers.setdefault(
        "Content-Security-Policy",
        "default-src 'self'; "
        f"img-src {images}; "
        "style-src 'self' 'unsafe-inline'; "
        "script-src 'self'; "
        "connect-src 'self'; "
        "object-src 'none'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'",
    )
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "no-referrer")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Permissions-Policy", "camera=(self), geolocation=(self), microphone=()")
    return response


def allow_any_origin(response: Response) -> Response:
    """Open data: let any site read our public GET responses (nothing here depends on cookies)."""
    from flask import request

    if request.method in ("GET", "HEAD", "OPTIONS"):
        response.headers["Access-Control-Allow-Origin"] = "*"
    return response
