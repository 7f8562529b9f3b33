"""Turn an uploaded photo into clean images: decode under a pixel cap, orient, rebuild from pixels, re-encode.

Fails closed: anything odd about the upload raises PhotoRejected and nothing is produced. The uploaded bytes are
only ever held in memory; what leaves this module are new JPEGs with no EXIF, XMP, ICC profile, comment or thumbnail.
"""

import io
import warnings
from dataclasses import dataclass

import pillow_heif
from flask_babel import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from app.errors import ValidationFailed

pillow_heif.register_heif_opener()

ACCEPTED_FORMATS = ("JPEG", "PNG", "WEBP", "HEIF")
MAX_PIXELS = 40_000_000
DISPLAY_SIZE = 1600
THUMB_SIZE = 400
JPEG_QUALITY = 82
CONTENT_TYPE = "image/jpeg"
SUFFIX = ".jpg"


class PhotoRejected(ValidationFailed):
    code = "photo_rejected"


@dataclass(frozen=True)
class CleanPhoto:
    display: bytes
    thumb: bytes
    width: int
    height: int
    content_type: str = CONTENT_TYPE
    suffix: str = SUFFIX


def _draft_size(width: int, height: int, longest: int) -> tuple[int, int]:
    """The smallest size with the same aspect whose longest side is `longest` (JPEG draft decodes at >= this)."""
    scale = longest / max(width, height)
    return max(1, int(width * scale + 0.999)), max(1, int(height * scale + 0.999))


def _to_rgb(image: Image.Image) -> Image.Image:
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        background = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        return Image.alpha_composite(background, rgba).convert("RGB")
    if image.mode == "I;16" or image.mode.startswith("I;16"):
        image = image.point(lambda value: value / 256).convert("L")
    return image.convert("RGB")


def _encode(image: Image.Image) -> bytes:
    out = io.BytesIO()
    # A fresh image has an empty info dict: nothing but pixels is written (JFIF header only).
    image.save(out, "JPEG", quality=JPEG_QUALITY, optimize=True)
    return out.getvalue()


def clean_photo(data: bytes, max_pixels: int = MAX_PIXELS) -> CleanPhoto:
    """Decode `data` (JPEG, PNG, WebP or HEIC) and return display and thumbnail JPEGs built from its pixels."""
    unreadable = PhotoRejected(_("This file is not a photo we can read (JPEG, PNG, WebP or HEIC)."))
    # catch_warnings is process-wide; if another thread's exit restored the filters mid-decode, the pixel cap
    # below (40 MP, under Pillow's 89 MP warning threshold) still refuses every image the warning would flag.
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(io.BytesIO(data), formats=ACCEPTED_FORMATS) as image:
                width, height = image.size
                # Checked from the header, before a single pixel is decoded.
                if width < 1 or height < 1 or width * height > max_pixels:
                    raise PhotoRejected(
                        _(
                            "This photo is too large (%(megapixels)s megapixels; the limit is %(limit)s).",
                            megapixels=round(width * height / 1e6),
                            limit=round(max_pixels / 1e6),
                        )
                    )
                if image.format == "JPEG":
                    # Decode at 1/2, 1/4 or 1/8 scale straight from the DCT when that still covers the display size.
                    image.draft("RGB", _draft_size(width, height, DISPLAY_SIZE))
                image.load()
                oriented = ImageOps.exif_transpose(image)
                rgb = _to_rgb(oriented)
        except PhotoRejected:
            raise
        except (UnidentifiedImageError, Image.DecompressionBombWarning, Image.DecompressionBombError) as error:
            if isinstance(error, UnidentifiedImageError):
                raise unreadable from error
            raise PhotoRejected(_("This photo is too large to process safely.")) from error
        except (OSError, ValueError, SyntaxError, EOFError, TypeError, KeyError, IndexError, MemoryError) as error:
            raise unreadable from error
    # Rebuild from raw pixels so no chunk, marker or attribute of the upload can come along. Embedded colour
    # profiles are dropped, not converted (parsing hostile ICC data is attack surface; wide-gamut photos look
    # slightly duller, which a moderator can live with).
    pixels = Image.frombytes("RGB", rgb.size, rgb.tobytes())
    display = pixels.copy()
    display.thumbnail((DISPLAY_SIZE, DISPLAY_SIZE), Image.Resampling.LANCZOS, reducing_gap=3.0)
    thumb = display.copy()
    thumb.thumbnail((THUMB_SIZE, THUMB_SIZE), Image.Resampling.LANCZOS, reducing_gap=3.0)
    return CleanPhoto(display=_encode(display), thumb=_encode(thumb), width=display.width, height=display.height)
