"""Editing stored photos (blurring regions, rotating): decode, change the pixels, re-encode without metadata.

Used by moderation. The result is always a new file; callers store it under a new key and delete the old one.
"""

import io
from dataclasses import dataclass

from PIL import Image, ImageFilter

from app.photos.renditions import Rendition, rendition


@dataclass(frozen=True)
class Region:
    """A rectangle as fractions (0..1) of the image's width and height, so it is independent of display size."""

    left: float
    top: float
    width: float
    height: float

    def box(self, image_width: int, image_height: int) -> tuple[int, int, int, int]:
        left = max(0, min(image_width - 1, int(self.left * image_width)))
        top = max(0, min(image_height - 1, int(self.top * image_height)))
        right = max(left + 1, min(image_width, round((self.left + self.width) * image_width)))
        bottom = max(top + 1, min(image_height, round((self.top + self.height) * image_height)))
        return left, top, right, bottom


def _open(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image.convert("RGB")


def blur_regions(data: bytes, regions: list[Region]) -> Rendition:
    """Make each region unrecognisable: pixelate hard, then blur, so no detail can be recovered by sharpening."""
    image = _open(data)
    for region in regions:
        box = region.box(image.width, image.height)
        patch = image.crop(box)
        w, h = patch.size
        small = patch.resize((max(1, w // 16), max(1, h // 16)), Image.Resampling.BILINEAR)
        patch = small.resize((w, h), Image.Resampling.NEAREST).filter(ImageFilter.GaussianBlur(radius=max(4, w // 20)))
        image.paste(patch, box)
    return rendition(image)


def rotate(data: bytes, degrees: int) -> Rendition:
    """Rotate clockwise by 90, 180 or 270 degrees."""
    if degrees not in (90, 180, 270):
        raise ValueError("rotate by 90, 180 or 270 degrees")
    transpose = {90: Image.Transpose.ROTATE_270, 180: Image.Transpose.ROTATE_180, 270: Image.Transpose.ROTATE_90}
    return rendition(_open(data).transpose(transpose[degrees]))
