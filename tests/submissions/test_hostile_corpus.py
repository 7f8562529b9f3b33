"""Every hostile file and request is refused with a 4xx and a message, and leaves no row and no file."""

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import Photo, Sighting, SightingCapability
from tests.factories import BUDAPEST, STARI_GRAD
from tests.submissions import hostile
from tests.submissions.conftest import stored_files
from tests.submissions.images import phone_photo, plain_jpeg

HERE = {"lat": str(STARI_GRAD[1]), "lon": str(STARI_GRAD[0])}


def photo(name: str, body: bytes):
    return {"fields": HERE, "photos": [(name, body)]}


def fields(**changes):
    return {"fields": {**HERE, **changes}}


CORPUS = {
    # Files
    "text file named .jpg": photo("camera.jpg", b"just some text, not a photo\n" * 20),
    "php script named .jpg": photo("shell.jpg", hostile.php_named_jpeg()),
    "png claiming 100 megapixels": photo("big.png", hostile.png_claiming_100_megapixels()),
    "decompression bomb (49 MP in a few kB)": photo("bomb.png", hostile.decompression_bomb()),
    "jpeg header claiming 60000 x 60000": photo("huge.jpg", hostile.jpeg_claiming_huge_size()),
    "truncated jpeg": photo("half.jpg", hostile.truncated_jpeg()),
    "html then jpeg polyglot": photo("page.jpg", hostile.html_then_jpeg()),
    "pdf/jpeg polyglot": photo("doc.jpg", hostile.pdf_jpeg_polyglot()),
    "gif/javascript polyglot": photo("x.gif", hostile.gif_js_polyglot()),
    "svg with a script named .png": photo("x.png", hostile.svg_with_script()),
    "zip then jpeg": photo("x.jpg", hostile.zip_then_jpeg()),
    "bmp (not an accepted format)": photo("x.bmp", hostile.bmp()),
    "tiff (not an accepted format)": photo("x.tif", hostile.tiff()),
    "garbage claiming to be heic": photo("x.heic", hostile.fake_heic()),
    "empty file": photo("empty.jpg", b""),
    "six photos": {"fields": HERE, "photos": [(f"{n}.jpg", plain_jpeg()) for n in range(6)]},
    "good photo then a bad one": {"fields": HERE, "photos": [("a.jpg", phone_photo()), ("b.jpg", b"nope")]},
    # Files that would cost seconds of CPU or hundreds of MB to decode (issue 9): refused from their headers
    "16-bit RGBA png over its cap": photo("deep.png", hostile.png_16bit_rgba_over_cap()),
    "png text chunk inflating to 64 MiB": photo("text.png", hostile.png_text_bomb()),
    "png with 100,000 chunks before its pixels": photo("chunks.png", hostile.png_many_chunks()),
    "interlaced png": photo("adam7.png", hostile.interlaced_png()),
    "animated png": photo("anim.png", hostile.animated_png()),
    "animated webp": photo("anim.webp", hostile.animated_webp()),
    "webp declaring a canvas over its cap": photo("big.webp", hostile.webp_over_cap()),
    "progressive jpeg over its cap": photo("prog.jpg", hostile.progressive_jpeg_over_cap()),
    "jpeg with 2,000 scans": photo("scans.jpg", hostile.many_scan_jpeg()),
    "arithmetic-coded jpeg": photo("arith.jpg", hostile.arithmetic_jpeg()),
    "heic declaring 900 megapixels": photo("huge.heic", hostile.heic_declaring_huge_size()),
    "heic over its byte cap": photo("padded.heic", hostile.heic_over_byte_cap()),
    "five 16-bit RGBA pngs at the cap (over the request budget)": {
        "fields": HERE,
        "photos": [(f"{n}.png", hostile.png_16bit_rgba_at_cap()) for n in range(5)],
    },
    # Coordinates
    "latitude above 90": fields(lat="90.5"),
    "longitude below -180": fields(lon="-180.01"),
    "latitude not a number": fields(lat="north"),
    "latitude NaN": fields(lat="NaN"),
    "longitude infinite": fields(lon="1e400"),
    "no coordinates": {"fields": {"camera_type": "dome"}},
    "point outside all municipalities (Budapest)": fields(lat=str(BUDAPEST[1]), lon=str(BUDAPEST[0])),
    "point in the sea": fields(lat="43.0", lon="16.0"),
    # Vocabulary and values
    "unknown camera type": fields(camera_type="laser"),
    "unknown mount": fields(mount="drone"),
    "unknown capability": fields(capabilities=["facial_recognition", "mind_reading"]),
    "unknown evidence": fields(capabilities=["audio"], capability_evidence="rumour"),
    "unknown zone": fields(zone="moon"),
    "unknown operator": fields(operator="aliens"),
    "unknown manufacturer": fields(manufacturer="Acme'; DROP TABLE sightings;--"),
    "direction 360": fields(direction="360"),
    "direction negative": fields(direction="-1"),
    "direction not whole": fields(direction="12.5"),
    "note of 2001 characters": fields(note="x" * 2001),
    "note with a NUL byte": fields(note="hello\x00world"),
    "model of 81 characters": fields(model="M" * 81),
    "camera to confirm that does not exist": fields(confirms_camera="999999"),
    "camera to confirm that is not a number": fields(confirms_camera="1 OR 1=1"),
    "honeypot filled in": fields(website="http://spam.example"),
    # Whole requests
    "empty request": {"fields": {}},
    "bad idempotency key": {"fields": HERE, "key": "not-a-uuid"},
    "missing idempotency key": {"fields": HERE, "headers": {"Idempotency-Key": ""}},
}


def assert_nothing_stored(photo_dir):
    for model in (Sighting, Photo, SightingCapability):
        assert db.session.scalar(select(func.count()).select_from(model)) == 0, model.__name__
    assert stored_files(photo_dir) == []


@pytest.mark.parametrize("case", list(CORPUS), ids=list(CORPUS))
def test_hostile_input_is_refused_and_leaves_nothing(case, post_sighting, photo_dir):
    request = CORPUS[case]
    response = post_sighting(
        request["fields"], photos=request.get("photos", ()), key=request.get("key"), headers=request.get("headers")
    )

    assert 400 <= response.status_code < 500, (response.status_code, response.json)
    error = response.json["error"]
    assert error["code"] and error["message"]
    assert_nothing_stored(photo_dir)


def test_a_10_mb_note_is_refused_as_a_field_and_never_held_whole(post_sighting, photo_dir):
    """The parser keeps 64 KiB of a text field; the note's validator refuses it, in the reader's words."""
    response = post_sighting({**HERE, "note": "x" * (10 * 1024 * 1024)})

    assert response.status_code == 422
    assert response.json["error"]["details"]["fields"]["note"][0] == "This is far too long."
    assert_nothing_stored(photo_dir)


def test_a_photo_above_the_size_limit_is_refused(app, monkeypatch, post_sighting, photo_dir):
    monkeypatch.setitem(app.config, "PHOTO_MAX_BYTES", 10_000)
    response = post_sighting(HERE, photos=[("big.jpg", phone_photo(1200, 900))])

    assert response.status_code == 413
    assert "larger than" in response.json["error"]["message"]
    assert_nothing_stored(photo_dir)


def test_a_request_above_the_content_length_limit_is_refused(app, monkeypatch, post_sighting, photo_dir):
    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", 50_000)
    response = post_sighting(HERE, photos=[("a.jpg", b"\xff\xd8" + b"\0" * 60_000)])

    assert response.status_code == 413
    assert_nothing_stored(photo_dir)


def test_bytes_after_the_end_of_a_jpeg_are_not_stored(post_sighting, photo_dir):
    """Phones append data after a JPEG's end (motion photos); it is accepted, and only pixels are kept."""
    payload = b"<script>alert('stored')</script>"
    response = post_sighting(HERE, photos=[("a.jpg", plain_jpeg() + payload)])

    assert response.status_code == 201
    files = stored_files(photo_dir)
    assert len(files) == 2
    assert all(payload not in path.read_bytes() for path in files)
