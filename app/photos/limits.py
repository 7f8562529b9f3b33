"""How much a photo may cost: per-format caps read from the header, and the decode cost estimate for a request.

Why per format: only JPEG can be decoded at reduced scale (draft mode: libjpeg scales in the DCT, so a 50 MP
photo costs little more than its bytes). PNG, WebP and HEIC are decoded at full size, in full-size buffers, so
their caps follow what devices really make. Figures below were measured with `make bench-photos` on the
development machine (one core, CPU time); see README.md, "Photos".
"""

from app.photos.headers import Header

MEGA = 1_000_000
MIB = 1024 * 1024

# Ordinary JPEG (one scan, as phones, cameras and browser canvases write them): 64 MP sensor modes pass
# (9248 x 6936), 108 and 200 MP modes do not. Draft decoding keeps memory small whatever the size.
JPEG_MAX_PIXELS = 65 * MEGA
# Progressive or multi-scan JPEG: libjpeg keeps every DCT coefficient of the whole image (128 bytes per 8x8
# block per component, up to 8 bytes a pixel) and decodes each scan over all of it. Apps that re-save photos
# (messengers, web exports) write these at 4096 px at most; 4096 x 4096 is the cap.
JPEG_MULTI_SCAN_MAX_PIXELS = 4096 * 4096
# libjpeg writes 10 scans (6 for greyscale), mozjpeg and Photoshop fewer or about as many; each scan is a pass
# over all the image's coefficients, so thousands of empty scans cost seconds in a file of a few kB.
JPEG_MAX_SCANS = 16
# Screenshots: a phone's is about 4 MP (1290 x 2796), a 5K desktop's 14.7 MP.
PNG_MAX_PIXELS = 16 * MEGA
# Phones that save WebP do so at 12 MP at most; libwebp decodes into two full-size canvases.
WEBP_MAX_PIXELS = 4096 * 3072
# HEIC: iPhone 48 MP (8064 x 6048) and Android 50 MP (8160 x 6120) modes. HEVC decoding costs 85-140 ms per MB
# of file besides 15 ms per megapixel, so the file size is capped too, where one worst-case 50 MP HEIC costs
# 2 s: a 48 MP iPhone HEIC is about 5 MB; a very detailed one above 8 MiB is refused, naming the limit.
HEIF_MAX_PIXELS = 8192 * 6144
HEIF_MAX_BYTES = 8 * MIB
# libheif refuses files with more than 1000 items; iPhones write 192 tiles of 512 x 512 at 48 MP.
HEIF_MAX_TILES = 1_000

MAX_PIXELS = {"JPEG": JPEG_MAX_PIXELS, "PNG": PNG_MAX_PIXELS, "WEBP": WEBP_MAX_PIXELS, "HEIF": HEIF_MAX_PIXELS}

# A whole request's photos may cost this much estimated decode time (ms of one core of the development
# machine). The first photo of a request is always taken (the caps above bound it to about 2 s); each photo
# after it is refused once the sum would exceed the budget. Five 50 MP JPEGs fit, and two 12 MP HEICs or one
# 48 MP HEIC with a few JPEGs.
REQUEST_BUDGET_MS = 1_900


def pixel_cap(header: Header) -> int:
    """The most pixels a photo with this header may have."""
    if header.format == "JPEG" and header.multi_scan:
        return JPEG_MULTI_SCAN_MAX_PIXELS
    return MAX_PIXELS[header.format]


def estimate_ms(header: Header) -> float:
    """Upper estimate of the CPU time (ms) to decode and scale this photo, from its header alone."""
    megapixels, megabytes = header.pixels / MEGA, header.size_bytes / MEGA
    if header.format == "JPEG" and not header.multi_scan:
        # Entropy decoding is paid per byte; the scaled IDCT per block; then a <= 2x resize.
        return 70 + 10 * megabytes + 1.2 * megapixels
    if header.format == "JPEG":
        # Progressive decoding is about 3x slower per byte, and every scan visits every block.
        return 80 + 33 * megabytes + 45e-6 * header.scans * header.blocks
    if header.format == "PNG":
        # Inflating and unfiltering are paid per byte of raw rows (16-bit RGBA: 8 bytes a pixel).
        return 30 + 7 * header.raw_bytes / MEGA + 15 * megapixels
    if header.format == "WEBP":
        return 40 + 40 * megapixels + 15 * megabytes
    # HEIF: HEVC decoding per pixel and per byte (noise-like content is the dearest), colour conversion, scaling.
    return 60 + 15 * megapixels + 140 * megabytes + 0.3 * header.tiles
