"""Hostile files, made here and kept small: each one must be refused without storing anything."""

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
