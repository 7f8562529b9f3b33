"""Photos for the submission tests, made here: small, with the metadata a phone would leave in them."""

import io
import json
import shutil
import subprocess

from PIL import Image, ImageDraw

SERIAL = "SN-7731-SECRET"
GPS_LAT = (44, 49, 3.36)  # Stari Grad, Belgrade
GPS_LON = (20, 27, 24.84)
GPS_DECIMAL = (44.8176, 20.4569)
RED = (220, 0, 0)
BLUE = (0, 0, 220)


def phone_photo(width: int = 600, height: int = 300, orientation: int = 6, fmt: str = "JPEG") -> bytes:
    """Left half red, right half blue as stored; EXIF says rotate 90° clockwise (so red ends up on top),
    and carries GPS, a camera serial number, a maker, a comment and an ICC profile."""
    image = Image.new("RGB", (width, height), BLUE)
    ImageDraw.Draw(image).rectangle([0, 0, width // 2 - 1, height - 1], fill=RED)
    exif = Image.Exif()
    exif[0x0112] = orientation
    exif[0x010F] = "Apple"
    exif[0x0110] = "iPhone 15"
    exif.get_ifd(0x8769)[0xA431] = SERIAL  # BodySerialNumber
    exif.get_ifd(0x8825).update({1: "N", 2: GPS_LAT, 3: "E", 4: GPS_LON})
    out = io.BytesIO()
    extra = {"comment": b"taken at 08:14:59 by me"} if fmt == "JPEG" else {}
    image.save(out, fmt, exif=exif.tobytes(), icc_profile=_icc(), **extra)
    return out.getvalue()


def _icc() -> bytes:
    from PIL import ImageCms

    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()


def plain_jpeg(width: int = 320, height: int = 240, color=(10, 120, 60)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), color).save(out, "JPEG")
    return out.getvalue()


def exiftool(path) -> dict:
    """Everything exiftool finds in a file, with group names (ExifTool:..., JFIF:..., EXIF:...)."""
    binary = shutil.which("exiftool")
    assert binary, "exiftool is missing: `make test` installs libimage-exiftool-perl"
    output = subprocess.run([binary, "-j", "-a", "-G0", "-u", str(path)], capture_output=True, check=True, text=True)
    return json.loads(output.stdout)[0]


HARMLESS_GROUPS = {"SourceFile", "ExifTool", "File", "JFIF", "Composite"}


def metadata_groups(path) -> set[str]:
    return {key.split(":")[0] for key in exiftool(path)} - HARMLESS_GROUPS
