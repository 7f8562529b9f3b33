"""Photos built like real phones' output, generated once per test session and cached in a temporary folder.

Solid-colour 320 x 240 fixtures compress to a few kB and hide every bug a real 5 MB photo finds (the first wave's
413 on every ordinary phone photo). These are high-entropy images of the real sizes, with the metadata phones
write: EXIF with GPS, serial numbers and a maker note, an embedded thumbnail, XMP, an ICC profile and a comment.

    photo("jpeg-12mp-portrait") -> Path      # built on first use, then reused for the whole session
    CASES["jpeg-12mp-portrait"].expect       # "accepted", "photo_too_large" or "photo_unsupported"

Orientation is checkable in every accepted case: the top half of the scene as a viewer sees it is reddish, the
bottom half bluish, whatever the EXIF orientation says about how the sensor stored it.
"""

import io
import os
import shutil
import struct
import subprocess
import tempfile
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pillow_heif
from PIL import Image, ImageDraw, ImageOps

pillow_heif.register_heif_opener()

SERIAL = "SN-7731-SECRET"
OWNER = "Jovana Reporter"
GPS_LAT = (44, 49, 3.36)  # Stari Grad, Belgrade
GPS_LON = (20, 27, 24.84)
TAKEN_AT = "2026:11:30 08:14:59"
MAKER_NOTE = b"Apple iOS\x00\x00\x01MM" + SERIAL.encode() + os.urandom(512)
XMP = (
    b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
    b'<rdf:Description xmlns:photoshop="http://ns.adobe.com/photoshop/1.0/" photoshop:City="Beograd" '
    b'photoshop:DateCreated="2026-11-30T08:14:59"/></rdf:RDF></x:xmpmeta>'
)
SENTINELS = (SERIAL, OWNER, "Beograd", "08:14:59")

# (width, height) as the sensor stores them; EXIF orientation 6 turns a landscape sensor image into a portrait.
SIZE_12MP = (4032, 3024)
SIZE_48MP = (8064, 6048)
SIZE_50MP = (8160, 6120)
SIZE_108MP = (12000, 9000)
SIZE_200MP = (16320, 12240)
SCREENSHOT = (1290, 2796)  # iPhone 15 Pro, portrait


@dataclass(frozen=True)
class Case:
    name: str
    build: Callable[[], bytes]
    filename: str
    expect: str  # "accepted", "photo_too_large" or "photo_unsupported"
    portrait: bool | None = None  # for accepted cases: should the stored photo be taller than wide?
    status: int = 201


def _icc() -> bytes:
    from PIL import ImageCms

    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()


def _exif(orientation: int) -> Image.Exif:
    exif = Image.Exif()
    exif[0x0112] = orientation
    exif[0x010F] = "Apple"
    exif[0x0110] = "iPhone 15 Pro"
    exif[0x013B] = OWNER  # Artist
    exif[0x0132] = TAKEN_AT
    sub = exif.get_ifd(0x8769)
    sub[0xA431] = SERIAL  # BodySerialNumber
    sub[0x9003] = TAKEN_AT  # DateTimeOriginal
    sub[0x927C] = MAKER_NOTE
    exif.get_ifd(0x8825).update({1: "N", 2: GPS_LAT, 3: "E", 4: GPS_LON})
    return exif


def scene(width: int, height: int, orientation: int = 1, entropy: float = 0.35) -> Image.Image:
    """A photo-like image (gradient, blobs, sensor noise) as the sensor stores it for `orientation`.

    The viewer's top half is red-tinted and the bottom half blue-tinted; the image is transformed with the
    inverse of `orientation` so that applying the EXIF orientation gives that upright view back.
    """
    upright_size = (height, width) if orientation in (5, 6, 7, 8) else (width, height)
    w, h = upright_size
    top = Image.new("RGB", (w, h // 2), (200, 40, 40))
    bottom = Image.new("RGB", (w, h - h // 2), (40, 40, 200))
    upright = Image.new("RGB", (w, h))
    upright.paste(top, (0, 0))
    upright.paste(bottom, (0, h // 2))
    blobs = Image.effect_noise((max(1, w // 24), max(1, h // 24)), 90).resize((w, h)).convert("RGB")
    upright = Image.blend(upright, blobs, 0.3)
    if entropy:
        upright = Image.blend(upright, Image.effect_noise((w, h), 64).convert("RGB"), entropy)
    # Undo what ImageOps.exif_transpose does for each orientation.
    undo = {
        2: [Image.Transpose.FLIP_LEFT_RIGHT],
        3: [Image.Transpose.ROTATE_180],
        4: [Image.Transpose.FLIP_TOP_BOTTOM],
        5: [Image.Transpose.TRANSPOSE],
        6: [Image.Transpose.ROTATE_90],
        7: [Image.Transpose.TRANSVERSE],
        8: [Image.Transpose.ROTATE_270],
    }
    stored = upright
    for step in undo.get(orientation, []):
        stored = stored.transpose(step)
    assert stored.size == (width, height)
    return stored


def _with_thumbnail(jpeg: bytes) -> bytes:
    """Add an EXIF thumbnail (IFD1) as phones write one; needs exiftool (installed by `make test`)."""
    binary = shutil.which("exiftool")
    if binary is None:
        return jpeg
    with tempfile.TemporaryDirectory() as folder:
        image, thumb = Path(folder) / "photo.jpg", Path(folder) / "thumb.jpg"
        image.write_bytes(jpeg)
        small = io.BytesIO()
        Image.open(io.BytesIO(jpeg)).reduce(16).save(small, "JPEG", quality=70)
        thumb.write_bytes(small.getvalue())
        subprocess.run(
            [binary, "-q", "-q", "-m", "-overwrite_original", f"-ThumbnailImage<={thumb}", str(image)], check=True
        )
        return image.read_bytes()


def phone_jpeg(size=SIZE_12MP, orientation: int = 6, quality: int = 92, entropy: float = 0.35) -> bytes:
    out = io.BytesIO()
    scene(*size, orientation=orientation, entropy=entropy).save(
        out,
        "JPEG",
        quality=quality,
        exif=_exif(orientation).tobytes(),
        icc_profile=_icc(),
        comment=f"taken at {TAKEN_AT} by {OWNER}".encode(),
        xmp=XMP,
    )
    return _with_thumbnail(out.getvalue())


def motion_photo() -> bytes:
    """A Samsung/Google motion photo: a JPEG with a short MP4 appended after its end marker."""
    video = b"\x00\x00\x00\x20ftypisom\x00\x00\x02\x00isomiso2avc1mp41" + os.urandom(3 * 1024 * 1024)
    return phone_jpeg(orientation=1) + video


def phone_heic(
    size=SIZE_12MP, orientation: int = 6, entropy: float = 0.15, quality: int = 60, tile_size: int = 0
) -> bytes:
    """HEIC as phones write it; iPhones store a grid of 512 x 512 tiles (`tile_size=512`), each its own HEVC image."""
    out = io.BytesIO()
    scene(*size, orientation=orientation, entropy=entropy).save(
        out,
        "HEIF",
        quality=quality,
        exif=_exif(orientation).tobytes(),
        xmp=XMP,
        tile_size=tile_size,
        enc_params={"preset": "ultrafast"},
    )
    return out.getvalue()


def ultra_hdr_jpeg() -> bytes:
    """Android's Ultra HDR (Pixel 8+, Galaxy S24): a JPEG plus a gain-map JPEG in an MPF (multi-picture) file."""
    photo = scene(*SIZE_12MP, orientation=6, entropy=0.3)
    gain_map = Image.new("L", (SIZE_12MP[0] // 4, SIZE_12MP[1] // 4), 128)
    out = io.BytesIO()
    photo.save(out, "MPO", save_all=True, append_images=[gain_map], quality=90, exif=_exif(6).tobytes())
    return out.getvalue()


def progressive_jpeg() -> bytes:
    """A photo re-saved by a messenger's HD mode: 4096 px, progressive (libjpeg's 10 scans), no EXIF."""
    out = io.BytesIO()
    scene(4096, 3072, orientation=1, entropy=0.3).save(out, "JPEG", quality=80, progressive=True)
    return out.getvalue()


def desktop_screenshot_png() -> bytes:
    """A 5K desktop screenshot (5120 x 2880, 14.7 MP), flat colours, opaque."""
    image = Image.new("RGB", (5120, 2880), (200, 40, 40))
    ImageDraw.Draw(image).rectangle([0, 1440, 5120, 2880], fill=(40, 40, 200))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def avif() -> bytes:
    out = io.BytesIO()
    scene(320, 240, orientation=1, entropy=0.1).save(out, "AVIF", quality=50)
    return out.getvalue()


def screenshot_png() -> bytes:
    """A phone screenshot: flat UI colours, text-like strokes, an alpha channel."""
    width, height = SCREENSHOT
    image = Image.new("RGBA", SCREENSHOT, (250, 250, 250, 255))
    draw = ImageDraw.Draw(image)
    draw.rectangle([0, 0, width, height // 2], fill=(200, 40, 40, 255))
    draw.rectangle([0, height // 2, width, height], fill=(40, 40, 200, 255))
    for y in range(200, height - 200, 60):
        draw.line([(60, y), (width - 60 - (y * 7) % 400, y)], fill=(20, 20, 20, 255), width=14)
    out = io.BytesIO()
    image.save(out, "PNG", icc_profile=_icc(), pnginfo=_png_text())
    return out.getvalue()


def _png_text():
    from PIL.PngImagePlugin import PngInfo

    info = PngInfo()
    info.add_text("Author", OWNER)
    info.add_itxt("XML:com.adobe.xmp", XMP.decode())
    return info


def android_webp() -> bytes:
    out = io.BytesIO()
    scene(*SIZE_12MP, orientation=1, entropy=0.2).save(
        out, "WEBP", quality=80, method=0, exif=_exif(1).tobytes(), icc_profile=_icc(), xmp=XMP
    )
    return out.getvalue()


def small_oriented(orientation: int) -> bytes:
    out = io.BytesIO()
    scene(120, 80, orientation=orientation, entropy=0).save(out, "JPEG", quality=90, exif=_exif(orientation).tobytes())
    return out.getvalue()


def jpeg_200mp_header(size=SIZE_200MP) -> bytes:
    """A 200 MP mode photo, as far as the header goes: a real JPEG whose frame header says 16320 x 12240.

    Encoding a real 200 MP image takes 600 MB of memory in the test process; the server must refuse it from
    the header alone, before decoding, so the header is what matters.
    """
    data = bytearray(phone_jpeg(size=(1632, 1224), orientation=1, entropy=0.1))
    position = 2
    while position < len(data):
        marker, length = data[position + 1], struct.unpack(">H", data[position + 2 : position + 4])[0]
        if marker in (0xC0, 0xC1, 0xC2):
            data[position + 5 : position + 9] = struct.pack(">HH", size[1], size[0])
            return bytes(data)
        position += 2 + length
    raise AssertionError("no frame header")


def dng() -> bytes:
    """A RAW photo as phones save it in 'pro' modes: a TIFF with a DNGVersion tag."""
    out = io.BytesIO()
    image = Image.new("RGB", (400, 300), (90, 90, 90))
    info = {50706: b"\x01\x04\x00\x00", 271: "Apple", 272: "iPhone 15 Pro"}
    image.save(out, "TIFF", tiffinfo=info)
    return out.getvalue()


CASES: dict[str, Case] = {
    case.name: case
    for case in (
        Case("jpeg-12mp-portrait", lambda: phone_jpeg(orientation=6), "IMG_0001.JPG", "accepted", portrait=True),
        Case(
            "jpeg-12mp-landscape-8mb",
            lambda: phone_jpeg(orientation=1, quality=94, entropy=0.45),
            "IMG_0002.JPG",
            "accepted",
            portrait=False,
        ),
        Case(
            "jpeg-50mp",
            lambda: phone_jpeg(size=SIZE_50MP, orientation=1, quality=90, entropy=0.3),
            "IMG_0003.JPG",
            "accepted",
            portrait=False,
        ),
        Case("jpeg-motion-photo", motion_photo, "PXL_20261130_081459.MP.jpg", "accepted", portrait=False),
        Case("heic-12mp-orientation-6", lambda: phone_heic(orientation=6), "IMG_0004.HEIC", "accepted", portrait=True),
        Case(
            "heic-48mp",
            lambda: phone_heic(size=SIZE_48MP, orientation=1, entropy=0, quality=40, tile_size=512),
            "IMG_0005.HEIC",
            "accepted",
            portrait=False,
        ),
        Case("png-screenshot", screenshot_png, "Screenshot_20261130.png", "accepted", portrait=True),
        Case("png-desktop-5k", desktop_screenshot_png, "Screenshot 2026-11-30.png", "accepted", portrait=False),
        Case("jpeg-ultra-hdr", ultra_hdr_jpeg, "PXL_20261130_081500.jpg", "accepted", portrait=True),
        Case("jpeg-progressive-4096", progressive_jpeg, "IMG-20261130-WA0001.jpg", "accepted", portrait=False),
        Case("webp-12mp", android_webp, "IMG_0006.webp", "accepted", portrait=False),
        *(
            # Orientations 5-8 swap the sides: the 120 x 80 sensor image is an 80 x 120 portrait.
            Case(f"jpeg-orientation-{n}", lambda n=n: small_oriented(n), f"o{n}.jpg", "accepted", portrait=n >= 5)
            for n in range(1, 9)
        ),
        Case("jpeg-200mp", jpeg_200mp_header, "IMG_0007.JPG", "photo_too_large", status=413),
        Case("jpeg-108mp", lambda: jpeg_200mp_header(SIZE_108MP), "IMG_0009.JPG", "photo_too_large", status=413),
        Case("avif", avif, "IMG_0010.avif", "photo_unsupported", status=422),
        Case("dng-raw", dng, "IMG_0008.DNG", "photo_unsupported", status=422),
    )
}

_lock = threading.Lock()
_folder: Path | None = None


def corpus_dir() -> Path:
    """The session's cache folder (removed when the test process exits)."""
    global _folder
    if _folder is None:
        _folder = Path(tempfile.mkdtemp(prefix="photocorpus-"))
        import atexit

        atexit.register(shutil.rmtree, _folder, ignore_errors=True)
    return _folder


def photo(name: str) -> Path:
    """The corpus file `name`, built on first use."""
    case = CASES[name]
    with _lock:
        path = corpus_dir() / case.filename
        if not path.exists():
            tmp = path.with_suffix(".part")
            tmp.write_bytes(case.build())
            tmp.replace(path)
        return path


def upright_top_is_red(image: Image.Image) -> bool:
    """Whether a decoded photo shows the scene upright: reddish on top, bluish at the bottom."""
    rgb = ImageOps.exif_transpose(image).convert("RGB")
    w, h = rgb.size
    top = rgb.crop((0, 0, w, h // 4)).resize((1, 1), Image.Resampling.BOX).getpixel((0, 0))
    bottom = rgb.crop((0, h - h // 4, w, h)).resize((1, 1), Image.Resampling.BOX).getpixel((0, 0))
    return top[0] > top[2] + 30 and bottom[2] > bottom[0] + 30
