"""Response headers that keep public pages on our own origin and out of other sites' frames."""

import hashlib
import hmac
import logging
import os
import re
import secrets
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

import nacl.hash
from flask import Response, abort, current_app, request
from nacl.encoding import RawEncoder


def tile_origin() -> str:
    """The origin of a third-party tile server the operator chose ('' when the base map is our own).

    Runs for every response (the CSP): without TILE_URL it answers at once, without looking at the base map file."""
    if not current_app.config["TILE_URL"]:
        return ""
    from app.basemap.services import current_base

    return current_base().external_origin


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
    # same-origin: other sites never learn which page linked to them, and our own form posts carry a real Origin
    # (under no-referrer browsers send `Origin: null`, which check_origin must refuse).
    response.headers.setdefault("Referrer-Policy", "same-origin")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Permissions-Policy", "camera=(self), geolocation=(self), microphone=()")
    onion = current_app.config["ONION_LOCATION"]
    if onion and response.mimetype == "text/html":
        # Tor Browser offers the onion service's copy of this page (it honours the header on HTTPS pages only).
        response.headers["Onion-Location"] = onion.rstrip("/") + request.full_path.removesuffix("?")
    return response


# Rate limiting without storing addresses: the limiter only ever sees an HMAC of the client address under a
# secret that is replaced every day (UTC). With the limits in this process's memory (one server), the secret is
# random and lives only here, so yesterday's keys cannot be linked to an address by anyone, us included. With the
# limits in a shared store (Redis: several workers or machines), every instance must compute the same key for the
# same client, so the day's secret is derived from RATE_LIMIT_KEY_FILE and the UTC date (keyed BLAKE2b, the
# construction of libsodium's crypto_kdf); it is never stored, in Redis or anywhere, and the key file is as
# sensitive as the addresses: it lives on the app servers only, beside the secret key.
_daily_secret: dict[str, object] = {"day": None, "secret": b""}
_DERIVATION_PERSON = b"hiljade-ratelim"  # BLAKE2b's personalisation: this key is used for nothing else


def _shared_limits() -> bool:
    return not current_app.config["RATELIMIT_STORAGE_URI"].startswith("memory://")


def daily_secret(day) -> bytes:
    """The secret that keys the limits on `day`: derived from the key file when the limits are shared."""
    if _shared_limits():
        key = read_or_create_key(current_app.config["RATE_LIMIT_KEY_FILE"])
        return nacl.hash.blake2b(day.isoformat().encode(), key=key, person=_DERIVATION_PERSON, encoder=RawEncoder)
    if _daily_secret["day"] != day:
        _daily_secret.update(day=day, secret=secrets.token_bytes(32))
    return _daily_secret["secret"]  # type: ignore[return-value]


def read_or_create_key(path: str) -> bytes:
    """32 random bytes kept in `path` (mode 600), made on first use; the same file on every app server."""
    file = Path(path)
    if not file.exists():
        file.parent.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass  # another worker made it first
        else:
            with os.fdopen(fd, "wb") as handle:
                handle.write(secrets.token_bytes(32))
    key = file.read_bytes()
    if len(key) != 32:
        raise RuntimeError(f"{path} must hold exactly 32 bytes")
    return key


def anonymous_client_key() -> str:
    """A per-client rate-limit key that is not the client's address and cannot be turned back into it."""
    secret = daily_secret(datetime.now(UTC).date())
    address = (request.remote_addr or "").encode()
    return hmac.new(secret, address, hashlib.sha256).hexdigest()[:32]


class NoClientAddressFilter(logging.Filter):
    """Strips the client address and time from the development server's request log lines (werkzeug)."""

    def filter(self, record) -> bool:
        message = str(record.msg)
        if " - - [" in message:
            record.msg = re.sub(r"^.*? - - \[[^\]]*\] ", "", message)
        return True


UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def _origin_of(url: str) -> str | None:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower() if parts.scheme and parts.netloc else None


def check_origin() -> None:
    """Refuse a state-changing browser request sent from another site, before any view or CSRF check runs.

    The Origin header decides, or else the Referer; with neither (privacy tools strip both) the CSRF token alone
    decides. `Origin: null` (a sandboxed frame, a no-referrer page, a file) is another site. The API is left out:
    it takes no cookies (Bearer tokens, or nothing for reports), so another site gains nothing by posting to it.
    """
    if request.method not in UNSAFE_METHODS or request.blueprint == "api":
        return
    sent = request.headers.get("Origin")
    origin = (sent.lower() if sent != "null" else "null") if sent else None
    if origin is None and request.referrer:
        origin = _origin_of(request.referrer) or "null"
    if origin is None:
        return
    allowed = {_origin_of(value) for value in current_app.config["PUBLIC_ORIGIN"].split()}
    if origin not in allowed:
        abort(403)


def allow_any_origin(response: Response) -> Response:
    """Open data: let any site read our public GET responses (nothing here depends on cookies)."""
    if request.method in ("GET", "HEAD", "OPTIONS"):
        response.headers["Access-Control-Allow-Origin"] = "*"
    return response
