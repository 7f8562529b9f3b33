"""Decode a checked photo into a small upright image, one decode at a time per process, at low CPU priority.

Why one thread: a worker has several request threads (gunicorn gthread); with each decoding at once, memory
peaks add up (8 requests once took a worker to 3.3 GB). A single decoding thread bounds a process to one
full-size decode buffer at any moment, and to one core of decoding; other requests queue for it.
Why low priority: the thread lowers its own nice value (Linux applies setpriority to a single thread when given
its native id), so on a busy machine the map, the API and the moderators' pages get the CPU first and a burst
of uploads only waits longer. The request threads keep normal priority: a thread cannot raise its nice value
back, which is why the priority belongs to a thread that only ever decodes.
"""

import contextlib
import io
import os
import struct
import threading
import warnings
from concurrent.futures import ThreadPoolExecutor

import pillow_heif
from PIL import Image, ImageFile, PngImagePlugin

from app.photos import limits
from app.photos.headers import Header
from app.photos.renditions import DISPLAY_SIZE

STRIP_ROWS = 512
DECODER_NICE = 10

# Pillow's own limits, behind ours: the warning is raised as an error in the decoding thread, the cap is the
# largest of ours (every header was already checked against its format's cap), truncated files are errors,
# and text chunks (which are discarded anyway) may not inflate to more than 4 MiB in all.
Image.MAX_IMAGE_PIXELS = max(limits.MAX_PIXELS.values())
ImageFile.LOAD_TRUNCATED_IMAGES = False
PngImagePlugin.MAX_TEXT_MEMORY = 4 * 1024 * 1024
# HEIC: one decoding thread (the CPU bound is per process, see above); no thumbnails, depth or auxiliary images.
pillow_heif.options.DECODE_THREADS = 1
pillow_heif.options.THUMBNAILS = False
pillow_heif.options.DEPTH_IMAGES = False
pillow_heif.options.AUX_IMAGES = False

# EXIF orientation -> the transpositions that turn the stored pixels upright (EXIF 2.3, tag 0x0112).
_UPRIGHT = {
    2: (Image.Transpose.FLIP_LEFT_RIGHT,),
    3: (Image.Transpose.ROTATE_180,),
    4: (Image.Transpose.FLIP_TOP_BOTTOM,),
    5: (Image.Transpose.TRANSPOSE,),
    6: (Image.Transpose.ROTATE_270,),
    7: (Image.Transpose.TRANSVERSE,),
    8: (Image.Transpose.ROTATE_90,),
}


class Undecodable(Exception):
    """The decoder failed on a file whose header looked fine (truncated, corrupt, inconsistent)."""


class TooLarge(Exception):
    """Pillow's own bomb check fired (it should not: our caps are lower)."""


_executor: ThreadPoolExecutor | None = None
_executor_pid = 0
_executor_lock = threading.Lock()


def _lower_priority() -> None:
    # Not Linux, or not permitted: decode at normal priority.
    with contextlib.suppress(AttributeError, OSError):
        # Relative to the process: under `nice` (a batch host, CI) the decoder still yields to the requests.
        own = threading.get_native_id()
        os.setpriority(os.PRIO_PROCESS, own, min(os.getpriority(os.PRIO_PROCESS, own) + DECODER_NICE, 19))


def _decoder() -> ThreadPoolExecutor:
    """This process's decoding thread (a new one after a fork: threads do not survive it)."""
    global _executor, _executor_pid
    with _executor_lock:
        if _executor is None or _executor_pid != os.getpid():
            _executor = ThreadPoolExecutor(1, "photo-decode", initializer=_lower_priority)
            _executor_pid = os.getpid()
        return _executor


def decode(data: bytes, header: Header) -> Image.Image:
    """An upright RGB image of at most DISPLAY_SIZE px a side; raises Undecodable or TooLarge."""
    return _decoder().submit(_decode, data, header).result()


def _decode(data: bytes, header: Header) -> Image.Image:
    # catch_warnings changes process-wide filters; only this thread decodes, and the caps checked before
    # (all below MAX_IMAGE_PIXELS) already refuse whatever the warning would flag if another thread raced it.
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            if header.format == "HEIF":
                return _shrink(_heif_pixels(data, header), orientation=1)
            with Image.open(io.BytesIO(data), formats=[header.format]) as image:
                if image.size != (header.width, header.height):
                    raise Undecodable
                # An Ultra HDR JPEG is an MPO whose second frame is the gain map: frame 0 is the photo.
                if header.format != "JPEG" and getattr(image, "n_frames", 1) != 1:
                    raise Undecodable
                # libheif applies a HEIC's rotation itself; for the others the EXIF orientation says it.
                orientation = image.getexif().get(0x0112, 1)
                if header.format == "JPEG":
                    # Decode at 1/2, 1/4 or 1/8 scale straight from the DCT when that still covers the display.
                    image.draft("RGB", _draft_size(image.width, image.height))
                image.load()
                return _shrink(image, orientation)
        except (Image.DecompressionBombWarning, Image.DecompressionBombError) as error:
            raise TooLarge from error
        except Undecodable:
            raise
        except (OSError, ValueError, SyntaxError, EOFError, TypeError, KeyError, IndexError, struct.error) as error:
            raise Undecodable from error


def _heif_pixels(data: bytes, header: Header) -> Image.Image:
    """The primary image decoded by libheif (which applies irot/imir), box-reduced strip by strip.

    Pillow keeps RGB at 4 bytes a pixel, so taking libheif's 48 MP buffer whole would copy 146 MB into 195 MB;
    strips of STRIP_ROWS rows (a multiple of the factor) reduce to exactly what reduce() on the whole would.
    """
    try:
        heif = pillow_heif.open_heif(data, convert_hdr_to_8bit=True)
        primary = heif[heif.primary_index]
        if primary.size != (header.width, header.height):
            raise Undecodable
        pixels, stride, mode = primary.data, primary.stride, primary.mode
    except (RuntimeError, SyntaxError) as error:
        raise Undecodable from error
    width, height = primary.size
    factor = max(1, int(max(width, height) / DISPLAY_SIZE))
    if factor == 1:
        return Image.frombuffer(mode, (width, height), pixels, "raw", mode, stride, 1)
    rows = STRIP_ROWS - STRIP_ROWS % factor
    reduced = Image.new(mode, (-(-width // factor), -(-height // factor)))
    for top in range(0, height, rows):
        strip_height = min(rows, height - top)
        strip = pixels[top * stride : (top + strip_height) * stride]
        part = Image.frombuffer(mode, (width, strip_height), strip, "raw", mode, stride, 1).reduce(factor)
        reduced.paste(part, (0, top // factor))
    return reduced


def _draft_size(width: int, height: int) -> tuple[int, int]:
    """The smallest size with the same aspect whose longest side is DISPLAY_SIZE (draft decodes at >= this)."""
    scale = DISPLAY_SIZE / max(width, height)
    return max(1, int(width * scale + 0.999)), max(1, int(height * scale + 0.999))


def _flatten(image: Image.Image) -> Image.Image:
    """RGB or L at the decoded size: transparency on white, 16-bit grey to 8-bit, palettes and CMYK to RGB."""
    if image.mode in ("RGB", "L"):
        return image
    if image.mode == "P":
        image = image.convert("RGBA" if "transparency" in image.info else "RGB")
    elif image.mode.startswith("I;16"):
        image = image.point(lambda value: value / 256).convert("L")
    elif image.mode in ("I", "F", "1"):
        image = image.convert("L")
    if image.mode in ("RGBA", "LA", "PA", "RGBa", "La"):
        rgba = image.convert("RGBA") if image.mode != "RGBA" else image
        background = Image.new("RGB", rgba.size, (255, 255, 255))
        background.paste(rgba, (0, 0), rgba)
        return background
    return image.convert("RGB")


def _shrink(image: Image.Image, orientation: int) -> Image.Image:
    flat = _flatten(image)
    # Integer box reduction first, then Lanczos for the last factor below 2: a third of the time of Lanczos on
    # the full image, and no visible difference at 1600 px.
    small = flat
    small.thumbnail((DISPLAY_SIZE, DISPLAY_SIZE), Image.Resampling.LANCZOS, reducing_gap=1.0)
    for step in _UPRIGHT.get(orientation, ()):
        small = small.transpose(step)
    return small.convert("RGB")
