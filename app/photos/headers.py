"""What a photo's header says (format, size, structure), read from its bytes without decoding a single pixel.

Each reader walks only the container's structure, with bounded loops, so reading the header of a hostile
25 MiB upload costs microseconds to a few milliseconds. The decoder never sees a file whose header was not read.
"""

import re
import struct
from dataclasses import dataclass

import pillow_heif

# Structure bounds: far above what any camera, phone or browser writes, low enough to keep these loops cheap.
MAX_JPEG_SEGMENTS = 2_000
# Scans are counted up to this many, then the walk stops (limits.JPEG_MAX_SCANS, far lower, refuses the file).
MAX_JPEG_SCANS_COUNTED = 64
MAX_PNG_CHUNKS_BEFORE_IDAT = 1_000

# JPEG frame types: 0xC0 baseline, 0xC1 extended sequential, 0xC2 progressive (all Huffman-coded). Lossless,
# hierarchical and arithmetic-coded JPEGs are refused: no phone or browser writes them.
_JPEG_SOF_ACCEPTED = {0xC0: "baseline", 0xC1: "sequential", 0xC2: "progressive"}
_JPEG_SOF_ALL = set(range(0xC0, 0xD0)) - {0xC4, 0xC8, 0xCC}
# Inside entropy-coded data a 0xFF is followed by 0x00 (stuffing), 0xD0-0xD7 (restart) or another 0xFF (fill).
_JPEG_NEXT_MARKER = re.compile(rb"\xff[^\x00\xd0-\xd7\xff]")
_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_PNG_CHANNELS = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}
_HEIF_BRANDS = (b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"hevm", b"hevs", b"mif1", b"msf1")


class Unreadable(Exception):
    """The bytes are not a well-formed file of any accepted format."""


class Unsupported(Exception):
    """A well-formed file of a kind we refuse; `reason` says which kind (a key of pipeline's messages)."""

    def __init__(self, reason: str, **params) -> None:
        super().__init__(reason)
        self.reason = reason
        self.params = params


@dataclass(frozen=True)
class Header:
    format: str  # Pillow's format id: "JPEG", "PNG", "WEBP" or "HEIF"
    width: int
    height: int
    size_bytes: int
    # JPEG: number of scans (1 for ordinary baseline files); more than one needs whole-image coefficient buffers.
    scans: int = 1
    # JPEG: 8x8 coefficient blocks over all components (what a multi-scan decode keeps in memory, 128 bytes each).
    blocks: int = 0
    # PNG: bytes of filtered image data the decoder inflates and unfilters (rows times bytes per row).
    raw_bytes: int = 0
    bit_depth: int = 8
    # HEIC: tiles of the primary image's grid (1 when it is not a grid); each is a separate HEVC decode.
    tiles: int = 1

    @property
    def pixels(self) -> int:
        return self.width * self.height

    @property
    def multi_scan(self) -> bool:
        return self.scans > 1


def read_header(data: bytes) -> Header:
    """The header of `data`; raises Unreadable or Unsupported."""
    if data[:3] == b"\xff\xd8\xff":
        return _jpeg(data)
    if data[:8] == _PNG_SIGNATURE:
        return _png(data)
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return _webp(data)
    if data[4:8] == b"ftyp" and data[8:12] in _HEIF_BRANDS:
        return _heif(data)
    raise Unreadable


def _jpeg(data: bytes) -> Header:
    position, segments, scans, frame = 2, 0, 0, None
    end = len(data)
    while position + 4 <= end:
        if data[position] != 0xFF:
            raise Unreadable
        marker = data[position + 1]
        if marker == 0xFF:  # fill byte before a marker
            position += 1
            continue
        if marker == 0xD9:  # end of image; anything after it (motion photo video, MPF images) is not decoded
            break
        if 0xD0 <= marker <= 0xD7 or marker == 0x01:
            position += 2
            continue
        segments += 1
        if segments > MAX_JPEG_SEGMENTS:
            raise Unsupported("structure")
        (length,) = struct.unpack_from(">H", data, position + 2)
        if length < 2 or position + 2 + length > end:
            raise Unreadable
        segment = data[position + 4 : position + 2 + length]
        if marker in _JPEG_SOF_ALL:
            if frame is not None:
                raise Unreadable
            if marker not in _JPEG_SOF_ACCEPTED:
                raise Unsupported("jpeg_coding")
            frame = _jpeg_frame(segment)
        position += 2 + length
        if marker == 0xDA:
            if frame is None:
                raise Unreadable
            scans += 1
            if scans > MAX_JPEG_SCANS_COUNTED:
                break
            found = _JPEG_NEXT_MARKER.search(data, position)
            position = found.start() if found else end
    if frame is None or scans == 0:
        raise Unreadable
    width, height, blocks = frame
    return Header("JPEG", width, height, len(data), scans=scans, blocks=blocks)


def _jpeg_frame(segment: bytes) -> tuple[int, int, int]:
    if len(segment) < 6:
        raise Unreadable
    precision, height, width, count = struct.unpack_from(">BHHB", segment)
    if precision != 8:
        raise Unsupported("jpeg_coding")
    if count not in (1, 3, 4) or len(segment) < 6 + 3 * count:
        raise Unreadable
    if width == 0 or height == 0:  # a height given later by a DNL marker: nobody writes these
        raise Unreadable
    factors = [(segment[6 + 3 * i + 1] >> 4, segment[6 + 3 * i + 1] & 0x0F) for i in range(count)]
    if any(not (1 <= h <= 4 and 1 <= v <= 4) for h, v in factors):
        raise Unreadable
    h_max, v_max = max(h for h, _v in factors), max(v for _h, v in factors)
    blocks = sum(-(-width * h // (8 * h_max)) * -(-height * v // (8 * v_max)) for h, v in factors)
    return width, height, blocks


def _png(data: bytes) -> Header:
    if len(data) < 33 or data[12:16] != b"IHDR":
        raise Unreadable
    width, height, depth, color, _compression, _filter, interlace = struct.unpack_from(">IIBBBBB", data, 16)
    if width == 0 or height == 0 or color not in _PNG_CHANNELS or depth not in (1, 2, 4, 8, 16):
        raise Unreadable
    if interlace:
        raise Unsupported("interlaced")
    position, chunks = 8, 0
    while position + 8 <= len(data):
        length, kind = struct.unpack_from(">I4s", data, position)
        if kind == b"acTL":
            raise Unsupported("animated")
        if kind == b"IDAT":
            break
        chunks += 1
        if chunks > MAX_PNG_CHUNKS_BEFORE_IDAT:
            raise Unsupported("structure")
        position += 12 + length
    else:
        raise Unreadable
    row_bytes = 1 + -(-width * _PNG_CHANNELS[color] * depth // 8)
    return Header("PNG", width, height, len(data), raw_bytes=height * row_bytes, bit_depth=depth)


def _webp(data: bytes) -> Header:
    kind = data[12:16]
    if kind == b"VP8 " and len(data) >= 30 and data[23:26] == b"\x9d\x01\x2a":
        width, height = struct.unpack_from("<HH", data, 26)
        width, height = width & 0x3FFF, height & 0x3FFF
    elif kind == b"VP8L" and len(data) >= 25 and data[20] == 0x2F:
        (bits,) = struct.unpack_from("<I", data, 21)
        width, height = (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1
    elif kind == b"VP8X" and len(data) >= 30:
        if data[20] & 0x02:  # the animation flag
            raise Unsupported("animated")
        width = int.from_bytes(data[24:27], "little") + 1
        height = int.from_bytes(data[27:30], "little") + 1
    else:
        raise Unreadable
    if width == 0 or height == 0:
        raise Unreadable
    return Header("WEBP", width, height, len(data))


def _heif(data: bytes) -> Header:
    """libheif parses the container (no decoding); its security limits cap items, tiles and boxes."""
    try:
        heif = pillow_heif.open_heif(data, convert_hdr_to_8bit=True)
        image = heif[heif.primary_index]
    except (ValueError, EOFError, SyntaxError, RuntimeError, OSError, IndexError) as error:
        raise Unreadable from error
    width, height = image.size
    if width < 1 or height < 1:
        raise Unreadable
    tiling = image.info.get("tiling") or {}
    tiles = tiling.get("num_columns", 1) * tiling.get("num_rows", 1)
    depth = image.info.get("bit_depth", 8)
    return Header("HEIF", width, height, len(data), bit_depth=depth, tiles=tiles)
