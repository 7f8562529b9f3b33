"""Hostile files, made here and kept small: each one must be refused without storing anything."""

import functools
import io
import struct
import zlib

from tests.submissions.images import plain_jpeg


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def png(width: int, height: int, bit_depth: int = 8, color_type: int = 2, rows: bytes | None = None) -> bytes:
    header = struct.pack(">IIBBBBB", width, height, bit_depth, color_type, 0, 0, 0)
    body = zlib.compress(rows if rows is not None else b"\0" * 64, 9)
    return b"\x89PNG\r\n\x1a\n" + _png_chunk(b"IHDR", header) + _png_chunk(b"IDAT", body) + _png_chunk(b"IEND", b"")


def png_claiming_100_megapixels() -> bytes:
    return png(10_000, 10_000)


def decompression_bomb() -> bytes:
    """A real, complete 1-bit PNG of 7000 x 7000 pixels (49 MP) in a few kilobytes."""
    row = b"\0" + b"\0" * (7000 // 8)
    compressor = zlib.compressobj(9)
    data = b"".join(compressor.compress(row) for _ in range(7000)) + compressor.flush()
    header = struct.pack(">IIBBBBB", 7000, 7000, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + _png_chunk(b"IHDR", header) + _png_chunk(b"IDAT", data) + _png_chunk(b"IEND", b"")


def jpeg_claiming_huge_size() -> bytes:
    """A JPEG header whose frame says 60000 x 60000, with no image data after it."""
    sof = b"\xff\xc0" + struct.pack(">HBHHB", 17, 8, 60000, 60000, 3) + b"\x01\x22\x00\x02\x11\x01\x03\x11\x01"
    return b"\xff\xd8" + sof + b"\xff\xd9"


def truncated_jpeg() -> bytes:
    data = plain_jpeg(640, 480)
    return data[: len(data) // 2]


def html_then_jpeg() -> bytes:
    return b"<html><script>alert(document.cookie)</script></html>" + plain_jpeg()


def pdf_jpeg_polyglot() -> bytes:
    return b"%PDF-1.4\n1 0 obj<<>>endobj\n" + plain_jpeg() + b"\n%%EOF"


def gif_js_polyglot() -> bytes:
    return b"GIF89a/*\x01\x00\x01\x00\x00\x00\x00*/=alert(1)//;\x00\x3b"


def svg_with_script() -> bytes:
    return b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'


def zip_then_jpeg() -> bytes:
    return b"PK\x03\x04" + b"\0" * 26 + plain_jpeg()


def bmp() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (8, 8)).save(out, "BMP")
    return out.getvalue()


def tiff() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (8, 8)).save(out, "TIFF")
    return out.getvalue()


def fake_heic() -> bytes:
    return b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + b"\xde\xad\xbe\xef" * 64


def php_named_jpeg() -> bytes:
    return b"<?php system($_GET['c']); ?>"


# Resource cases (issue 9): files whose decoding would cost seconds or hundreds of MB if nothing checked them.
# Each builds in well under a second; the caps they probe are in app/photos/limits.py.


def png_rows(width: int, height: int, bit_depth: int, color_type: int, filter_type: int = 4) -> bytes:
    """A complete PNG whose every row uses `filter_type` (4, Paeth, is the slowest to undo), streamed through
    zlib so a 128 MB image costs no more memory than one block of rows."""
    channels = {0: 1, 2: 3, 4: 2, 6: 4}[color_type]
    row = bytes([filter_type]) + (bytes(range(7, 256, 3)) * (width * channels * 2))[: width * channels * bit_depth // 8]
    compressor = zlib.compressobj(6)
    block = row * 64
    parts = [compressor.compress(block) for _ in range(height // 64)]
    parts += [compressor.compress(row * (height % 64)), compressor.flush()]
    data = b"".join(parts)
    header = struct.pack(">IIBBBBB", width, height, bit_depth, color_type, 0, 0, 0)
    chunks = b"".join(_png_chunk(b"IDAT", data[i : i + (1 << 20)]) for i in range(0, len(data), 1 << 20))
    return b"\x89PNG\r\n\x1a\n" + _png_chunk(b"IHDR", header) + chunks + _png_chunk(b"IEND", b"")


@functools.cache
def png_16bit_rgba_at_cap() -> bytes:
    """The most expensive PNG the caps let through: 16 MP, 16-bit RGBA (128 MB of rows), Paeth on every row."""
    return png_rows(4000, 4000, 16, 6)


def png_16bit_rgba_over_cap() -> bytes:
    """4096 x 4096 (16.8 MP, over the 16 MP cap); refused from IHDR, so its (tiny, all-zero) data is never inflated."""
    return png(4096, 4096, bit_depth=16, color_type=6)


def png_text_bomb() -> bytes:
    """A small PNG with a compressed text chunk that inflates to 64 MiB."""
    compressor = zlib.compressobj(9)
    text = compressor.compress(b"\0" * (64 * 1024 * 1024)) + compressor.flush()
    image = png(8, 8, rows=b"\0" * (8 * 25))
    ztxt = _png_chunk(b"zTXt", b"Comment\0\0" + text)
    return image[:33] + ztxt + image[33:]


def png_many_chunks() -> bytes:
    """100,000 empty private chunks before the image data (each one a step of the reader's loop)."""
    image = png(8, 8, rows=b"\0" * (8 * 25))
    return image[:33] + _png_chunk(b"prVt", b"") * 100_000 + image[33:]


def interlaced_png() -> bytes:
    header = struct.pack(">IIBBBBB", 64, 64, 8, 2, 0, 0, 1)
    body = zlib.compress(b"\0" * (64 * 64 * 3 * 2), 9)
    return b"\x89PNG\r\n\x1a\n" + _png_chunk(b"IHDR", header) + _png_chunk(b"IDAT", body) + _png_chunk(b"IEND", b"")


def animated_png() -> bytes:
    from PIL import Image

    frames = [Image.new("RGB", (64, 64), color) for color in ((200, 0, 0), (0, 0, 200))]
    out = io.BytesIO()
    frames[0].save(out, "PNG", save_all=True, append_images=frames[1:], duration=100)
    return out.getvalue()


def animated_webp() -> bytes:
    from PIL import Image

    frames = [Image.new("RGB", (64, 64), color) for color in ((200, 0, 0), (0, 0, 200))]
    out = io.BytesIO()
    frames[0].save(out, "WEBP", save_all=True, append_images=frames[1:], duration=100)
    return out.getvalue()


def webp_over_cap() -> bytes:
    """A real small WebP behind an extended header (VP8X) that declares a 4097 x 4096 canvas (cap: 4096 x 3072)."""
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (64, 64), (200, 40, 40)).save(out, "WEBP", lossless=True)
    image_chunk = out.getvalue()[12:]
    vp8x = b"VP8X" + struct.pack("<I", 10) + b"\0\0\0\0" + (4096).to_bytes(3, "little") + (4095).to_bytes(3, "little")
    body = b"WEBP" + vp8x + image_chunk
    return b"RIFF" + struct.pack("<I", len(body)) + body


def _jpeg_segments(data: bytes) -> list[bytes]:
    """A JPEG cut into its marker segments, each scan together with its entropy-coded data."""
    position, segments = 2, []
    while data[position + 1] != 0xD9:
        (length,) = struct.unpack(">H", data[position + 2 : position + 4])
        end = position + 2 + length
        if data[position + 1] == 0xDA:
            while data[end] != 0xFF or data[end + 1] == 0 or 0xD0 <= data[end + 1] <= 0xD7:
                end += 1
        segments.append(data[position:end])
        position = end
    return segments


def jpeg_with_extra_scans(progressive: bytes, extra: int) -> bytes:
    """A progressive JPEG with its last scan repeated `extra` times: libjpeg warns and decodes every one, each a
    pass over all the image's coefficients (the many-scan attack costs seconds in a few kB)."""
    segments = _jpeg_segments(progressive)
    last_scan = max(i for i, segment in enumerate(segments) if segment[1] == 0xDA)
    return b"\xff\xd8" + b"".join(segments) + segments[last_scan] * extra + b"\xff\xd9"


def progressive_jpeg(width: int = 256, height: int = 256) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (width, height), (90, 120, 60)).save(out, "JPEG", progressive=True, quality=90)
    return out.getvalue()


def many_scan_jpeg() -> bytes:
    return jpeg_with_extra_scans(progressive_jpeg(), 2_000)


def _with_frame_size(data: bytes, width: int, height: int) -> bytes:
    data = bytearray(data)
    for segment_start in _segment_starts(bytes(data)):
        if data[segment_start + 1] in (0xC0, 0xC1, 0xC2):
            data[segment_start + 5 : segment_start + 9] = struct.pack(">HH", height, width)
            return bytes(data)
    raise AssertionError("no frame header")


def _segment_starts(data: bytes) -> list[int]:
    starts, position = [], 2
    for segment in _jpeg_segments(data):
        starts.append(position)
        position += len(segment)
    return starts


def progressive_jpeg_over_cap() -> bytes:
    """A progressive JPEG whose frame says 5000 x 5000 (its coefficients alone would take 150 MB)."""
    return _with_frame_size(progressive_jpeg(), 5000, 5000)


def arithmetic_jpeg() -> bytes:
    """A JPEG whose frame marker says arithmetic coding (SOF9): no phone or browser writes these."""
    data = bytearray(plain_jpeg())
    start = next(s for s in _segment_starts(bytes(data)) if data[s + 1] == 0xC0)
    data[start + 1] = 0xC9
    return bytes(data)


def heic_declaring_huge_size() -> bytes:
    """A real small HEIC whose image spatial extents ('ispe') say 30000 x 30000 (900 MP)."""
    import pillow_heif
    from PIL import Image

    out = io.BytesIO()
    pillow_heif.from_pillow(Image.new("RGB", (64, 64), (200, 40, 40))).save(out, quality=50)
    data = bytearray(out.getvalue())
    position = data.index(b"ispe")
    data[position + 8 : position + 16] = struct.pack(">II", 30000, 30000)
    return bytes(data)


def heic_over_byte_cap() -> bytes:
    """A small real HEIC followed by 9 MiB of padding in a 'free' box (an honest container, a large file)."""
    import pillow_heif
    from PIL import Image

    out = io.BytesIO()
    pillow_heif.from_pillow(Image.new("RGB", (64, 64), (200, 40, 40))).save(out, quality=50)
    padding = 9 * 1024 * 1024
    return out.getvalue() + struct.pack(">I", padding + 8) + b"free" + b"\0" * padding
