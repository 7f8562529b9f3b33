"""Turn uploaded photos into clean images: check the header, decode at bounded cost, orient, rebuild, re-encode.

Fails closed: anything odd about an upload raises PhotoRejected and nothing is produced. The uploaded bytes are
only ever held in memory; what leaves this module are new JPEGs with no EXIF, XMP, ICC profile, comment or
thumbnail. Cost is bounded before decoding: per-format caps on what the header declares (app/photos/limits.py),
a per-request budget of estimated decode time, and one decoding thread per process (app/photos/decoding.py).
"""

from flask_babel import gettext as _
from PIL import Image

from app.errors import PhotoRejected, PhotoTooLarge, PhotoUnsupported
from app.i18n import format_number
from app.photos import decoding, limits
from app.photos.headers import Header, Unreadable, Unsupported, read_header
from app.photos.renditions import Rendition, rendition

_KIND = {"JPEG": "JPEG", "PNG": "PNG", "WEBP": "WebP", "HEIF": "HEIC"}


def _unreadable(data: bytes) -> PhotoUnsupported:
    if data[:4] in (b"II*\x00", b"MM\x00*"):  # TIFF, which is what DNG (RAW) files are
        return PhotoUnsupported(_("RAW and TIFF files are not accepted. Please send the JPEG or HEIC version."))
    return PhotoUnsupported(_("This file is not a photo we can read (JPEG, PNG, WebP or HEIC)."))


def _unsupported(error: Unsupported) -> PhotoUnsupported:
    messages = {
        "animated": lambda: _("Animated images are not accepted. Please send a still photo."),
        "interlaced": lambda: _("Interlaced PNG images are not accepted. Please save it again without interlacing."),
        "jpeg_coding": lambda: _("This JPEG is encoded in a way we do not accept (lossless, 12-bit or arithmetic)."),
        "scans": lambda: _(
            "This JPEG is stored in more than %(limit)s scans. Please save it again as an ordinary JPEG.",
            **error.params,
        ),
        "tiles": lambda: _("This HEIC photo has too many tiles (%(tiles)s; the limit is %(limit)s).", **error.params),
        "structure": lambda: _("This file is built in an unusual way that we do not accept."),
    }
    return PhotoUnsupported(messages[error.reason]())


def _megapixels(pixels: int) -> str:
    return format_number(pixels / 1e6, 1)


def inspect(data: bytes) -> Header:
    """The photo's header, checked against the caps; raises PhotoTooLarge or PhotoUnsupported."""
    try:
        header = read_header(data)
        if header.format == "JPEG" and header.scans > limits.JPEG_MAX_SCANS:
            raise Unsupported("scans", limit=limits.JPEG_MAX_SCANS)
        if header.format == "HEIF" and header.tiles > limits.HEIF_MAX_TILES:
            raise Unsupported("tiles", tiles=header.tiles, limit=limits.HEIF_MAX_TILES)
    except Unreadable as error:
        raise _unreadable(data) from error
    except Unsupported as error:
        raise _unsupported(error) from error
    cap = limits.pixel_cap(header)
    if header.pixels > cap:
        kind = _("progressive JPEG") if header.format == "JPEG" and header.multi_scan else _KIND[header.format]
        raise PhotoTooLarge(
            _(
                "This photo is too large (%(megapixels)s megapixels; the limit for %(kind)s is %(limit)s).",
                megapixels=_megapixels(header.pixels),
                kind=kind,
                limit=_megapixels(cap),
            )
        )
    if header.format == "HEIF" and header.size_bytes > limits.HEIF_MAX_BYTES:
        raise PhotoTooLarge(
            _(
                "This HEIC photo is too large (%(size)s MB; the limit is %(limit)s MB).",
                size=format_number(header.size_bytes / limits.MIB, 1),
                limit=format_number(limits.HEIF_MAX_BYTES / limits.MIB),
            )
        )
    return header


def _clean(data: bytes, header: Header) -> Rendition:
    try:
        small = decoding.decode(data, header)
    except decoding.TooLarge as error:
        raise PhotoTooLarge(_("This photo is too large to process safely.")) from error
    except decoding.Undecodable as error:
        raise _unreadable(data) from error
    # Rebuild from raw pixels so no chunk, marker or attribute of the upload can come along. Embedded colour
    # profiles are dropped, not converted (parsing hostile ICC data is attack surface; wide-gamut photos look
    # slightly duller, which a moderator can live with).
    return rendition(Image.frombytes("RGB", small.size, small.tobytes()))


def clean_photo(data: bytes, max_pixels: int | None = None) -> Rendition:
    """Decode one photo (JPEG, PNG, WebP or HEIC) and return display and thumbnail JPEGs built from its pixels.

    `max_pixels` lowers every format's cap (services.py passed PHOTO_MAX_PIXELS; None: the caps in limits.py).
    """
    header = inspect(data)
    if max_pixels is not None and header.pixels > max_pixels:
        raise PhotoTooLarge(
            _(
                "This photo is too large (%(megapixels)s megapixels; the limit is %(limit)s).",
                megapixels=_megapixels(header.pixels),
                limit=_megapixels(max_pixels),
            )
        )
    return _clean(data, header)


def _numbered(error: PhotoRejected, number: int) -> PhotoRejected:
    return type(error)(
        _("Photo %(number)s: %(problem)s", number=number, problem=error.message),
        {"fields": {"photos": [error.message]}, "photo": number},
    )


def clean_photos(photos: list[bytes]) -> list[Rendition]:
    """Clean a request's photos in order; a refusal names the photo ("Photo 2: ...") and stops the request.

    Every header is checked before any photo is decoded, so a bad fifth photo costs no decoding of the first
    four; then the estimated decode cost is summed and the photo that would pass REQUEST_BUDGET_MS is refused.
    """
    headers, spent = [], 0.0
    for number, data in enumerate(photos, start=1):
        try:
            header = inspect(data)
        except PhotoRejected as error:
            raise _numbered(error, number) from error
        spent += limits.estimate_ms(header)
        if number > 1 and spent > limits.REQUEST_BUDGET_MS:
            problem = PhotoTooLarge(
                _(
                    "Together with the photos before it, this photo is more than we can process in one report. "
                    "Please send it in another report."
                )
            )
            raise _numbered(problem, number)
        headers.append(header)
    cleaned = []
    for number, (data, header) in enumerate(zip(photos, headers, strict=True), start=1):
        try:
            cleaned.append(_clean(data, header))
        except PhotoRejected as error:
            raise _numbered(error, number) from error
    return cleaned
