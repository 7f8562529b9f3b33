"""What we store of a photo: a display JPEG and a thumbnail, encoded one way for uploads and for moderators' edits."""

import io
from dataclasses import dataclass

from PIL import Image

DISPLAY_SIZE = 1600  # px, the longest side of the display image
THUMB_SIZE = 400
JPEG_QUALITY = 82
CONTENT_TYPE = "image/jpeg"
SUFFIX = ".jpg"


@dataclass(frozen=True)
class Rendition:
    """The two JPEGs of one photo, with no metadata: only pixels and a JFIF header."""

    display: bytes
    thumb: bytes
    width: int
    height: int
    content_type: str = CONTENT_TYPE
    suffix: str = SUFFIX


def encode_jpeg(image: Image.Image) -> bytes:
    out = io.BytesIO()
    # Saved without exif/icc_profile arguments, an image built from pixels carries no metadata.
    image.save(out, "JPEG", quality=JPEG_QUALITY, optimize=True)
    return out.getvalue()


def _fitted(image: Image.Image, size: int) -> Image.Image:
    if max(image.size) <= size:
        return image
    smaller = image.copy()
    smaller.thumbnail((size, size), Image.Resampling.LANCZOS, reducing_gap=3.0)
    return smaller


def rendition(image: Image.Image) -> Rendition:
    """Display (at most DISPLAY_SIZE a side) and thumbnail JPEGs of an RGB image."""
    display = _fitted(image, DISPLAY_SIZE)
    thumb = _fitted(display, THUMB_SIZE)
    return Rendition(encode_jpeg(display), encode_jpeg(thumb), display.width, display.height)
