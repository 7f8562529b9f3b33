import io

import pillow_heif
import pytest
from PIL import Image

from app.photos.pipeline import DISPLAY_SIZE, THUMB_SIZE, PhotoRejected, clean_photo
from tests.submissions.images import BLUE, RED, SERIAL, metadata_groups, phone_photo


def near(pixel, color, tolerance=40) -> bool:
    return all(abs(a - b) <= tolerance for a, b in zip(pixel, color, strict=False))


def test_a_phone_photo_comes_out_upright_with_no_metadata(tmp_path):
    clean = clean_photo(phone_photo(600, 300, orientation=6))

    for name, data in (("display.jpg", clean.display), ("thumb.jpg", clean.thumb)):
        path = tmp_path / name
        path.write_bytes(data)
        assert metadata_groups(path) == set()  # no EXIF, GPS, XMP, ICC, comment or embedded thumbnail
        assert SERIAL.encode() not in data and b"08:14:59" not in data
        image = Image.open(path)
        assert image.height > image.width  # the EXIF rotation was applied to the pixels
        assert near(image.getpixel((image.width // 2, 5)), RED)
        assert near(image.getpixel((image.width // 2, image.height - 5)), BLUE)


def test_large_photos_are_scaled_to_display_and_thumbnail_sizes():
    out = io.BytesIO()
    Image.new("RGB", (4000, 3000), (90, 90, 90)).save(out, "JPEG")
    clean = clean_photo(out.getvalue())

    assert (clean.width, clean.height) == (DISPLAY_SIZE, 1200)
    assert max(Image.open(io.BytesIO(clean.thumb)).size) == THUMB_SIZE


@pytest.mark.parametrize("fmt", ["PNG", "WEBP"])
def test_png_and_webp_with_transparency_become_jpeg_on_white(fmt):
    out = io.BytesIO()
    Image.new("RGBA", (50, 40), (0, 0, 0, 0)).save(out, fmt)
    clean = clean_photo(out.getvalue())

    image = Image.open(io.BytesIO(clean.display))
    assert image.format == "JPEG" and image.size == (50, 40)
    assert near(image.getpixel((10, 10)), (255, 255, 255))


def test_heic_from_an_iphone_is_accepted_and_cleaned(tmp_path):
    image = Image.new("RGB", (64, 48), RED)
    exif = Image.Exif()
    exif.get_ifd(0x8769)[0xA431] = SERIAL
    heif = pillow_heif.from_pillow(image)
    out = io.BytesIO()
    heif.save(out, quality=80, exif=exif.tobytes())
    clean = clean_photo(out.getvalue())

    path = tmp_path / "from-heic.jpg"
    path.write_bytes(clean.display)
    assert metadata_groups(path) == set()
    assert (clean.width, clean.height) == (64, 48)


def test_a_photo_above_the_pixel_cap_is_refused_before_decoding():
    out = io.BytesIO()
    Image.new("L", (300, 200)).save(out, "PNG")
    with pytest.raises(PhotoRejected):
        clean_photo(out.getvalue(), max_pixels=300 * 200 - 1)
