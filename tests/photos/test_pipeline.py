import io
import os
import threading

import pillow_heif
import pytest
from PIL import Image

from app.errors import PhotoRejected, PhotoTooLarge, PhotoUnsupported
from app.photos import decoding
from app.photos.pipeline import clean_photo, clean_photos
from app.photos.renditions import DISPLAY_SIZE, THUMB_SIZE
from tests.submissions import hostile
from tests.submissions.images import BLUE, RED, SERIAL, metadata_groups, phone_photo, plain_jpeg


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


def test_a_refused_photo_is_named_by_its_position_in_the_request(app):
    photos = [plain_jpeg(), plain_jpeg(), hostile.animated_webp()]

    with app.test_request_context("/report?lang=en"), pytest.raises(PhotoUnsupported) as refused:
        clean_photos(photos)

    assert refused.value.message.startswith("Photo 3: Animated images are not accepted")
    assert refused.value.details == {"fields": {"photos": [refused.value.__cause__.message]}, "photo": 3}
    assert refused.value.status == 422 and refused.value.code == "photo_unsupported"


def test_photos_in_order_come_back_in_order():
    colors = [(200, 0, 0), (0, 200, 0), (0, 0, 200)]
    cleaned = clean_photos([plain_jpeg(64, 48, color) for color in colors])

    pixels = [Image.open(io.BytesIO(clean.display)).getpixel((5, 5)) for clean in cleaned]
    assert all(near(pixel, color) for pixel, color in zip(pixels, colors, strict=True))


def test_the_most_expensive_png_the_caps_allow_is_decoded():
    """16 MP of 16-bit RGBA with Paeth on every row: 128 MB of rows, about a second of CPU, but accepted."""
    clean = clean_photo(hostile.png_16bit_rgba_at_cap())

    assert (clean.width, clean.height) == (DISPLAY_SIZE, DISPLAY_SIZE)


def test_a_16_bit_grey_png_is_accepted():
    clean = clean_photo(hostile.png_rows(300, 200, 16, 0))

    assert (clean.width, clean.height) == (300, 200)


def test_a_request_over_the_decode_budget_is_refused_before_anything_is_decoded():
    with pytest.raises(PhotoTooLarge) as refused:
        clean_photos([hostile.png_16bit_rgba_at_cap()] * 5)

    assert refused.value.details["photo"] == 2
    assert "Pošaljite je u drugoj prijavi" in refused.value.message  # Serbian: "send it in another report"


@pytest.mark.parametrize(
    ("build", "expected"),
    [
        (hostile.png_16bit_rgba_over_cap, PhotoTooLarge),
        (hostile.png_text_bomb, PhotoUnsupported),
        (hostile.png_many_chunks, PhotoUnsupported),
        (hostile.interlaced_png, PhotoUnsupported),
        (hostile.animated_png, PhotoUnsupported),
        (hostile.animated_webp, PhotoUnsupported),
        (hostile.webp_over_cap, PhotoTooLarge),
        (hostile.progressive_jpeg_over_cap, PhotoTooLarge),
        (hostile.many_scan_jpeg, PhotoUnsupported),
        (hostile.arithmetic_jpeg, PhotoUnsupported),
        (hostile.heic_declaring_huge_size, PhotoTooLarge),
        (hostile.heic_over_byte_cap, PhotoTooLarge),
        (hostile.decompression_bomb, PhotoTooLarge),
        (hostile.truncated_jpeg, PhotoUnsupported),
        (hostile.fake_heic, PhotoUnsupported),
    ],
    ids=lambda value: getattr(value, "__name__", ""),
)
def test_expensive_files_are_refused_with_their_reason(build, expected):
    with pytest.raises(PhotoRejected) as refused:
        clean_photo(build())

    assert type(refused.value) is expected


def test_a_progressive_jpeg_with_a_few_extra_scans_is_still_accepted():
    clean = clean_photo(hostile.jpeg_with_extra_scans(hostile.progressive_jpeg(), 4))

    assert (clean.width, clean.height) == (256, 256)


def test_photos_are_decoded_on_one_thread_below_the_request_threads_priority():
    clean_photo(plain_jpeg())

    def priority() -> tuple[str, int]:
        return threading.current_thread().name, os.getpriority(os.PRIO_PROCESS, threading.get_native_id())

    name, nice = decoding._decoder().submit(priority).result()
    assert name.startswith("photo-decode")
    assert nice >= min(os.getpriority(os.PRIO_PROCESS, 0) + decoding.DECODER_NICE, 19)
