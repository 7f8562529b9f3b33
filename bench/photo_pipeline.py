"""CPU time of the photo pipeline (app.photos.pipeline.clean_photo) for a 12-megapixel phone photo.

Run with `make bench-photos` (or `.venv/bin/python bench/photo_pipeline.py`). Prints figures; asserts nothing.
The target in issue 3 is under 300 ms of CPU for a 12 MP JPEG; JPEG draft mode (DCT scaling) does most of it.
"""

import io
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PIL import Image, ImageDraw, ImageFilter

from app.photos.pipeline import clean_photo

RUNS = 7


def phone_like(width: int, height: int, fmt: str = "JPEG") -> bytes:
    """A photo-like image (gradients, edges, noise) so the encoder has real work, with EXIF orientation 6."""
    image = Image.linear_gradient("L").resize((width, height)).convert("RGB")
    draw = ImageDraw.Draw(image)
    for i in range(0, width, 97):
        draw.line([(i, 0), (width - i, height)], fill=(i % 255, 90, 200 - i % 200), width=9)
    noise = Image.effect_noise((width // 4, height // 4), 60).resize((width, height)).convert("RGB")
    image = Image.blend(image, noise, 0.3).filter(ImageFilter.SMOOTH)
    exif = Image.Exif()
    exif[0x0112] = 6
    out = io.BytesIO()
    image.save(out, fmt, quality=92, exif=exif.tobytes())
    return out.getvalue()


def measure(label: str, data: bytes) -> None:
    clean_photo(data)  # warm-up
    cpu, wall = [], []
    for _ in range(RUNS):
        start_cpu, start_wall = time.process_time(), time.perf_counter()
        result = clean_photo(data)
        cpu.append((time.process_time() - start_cpu) * 1000)
        wall.append((time.perf_counter() - start_wall) * 1000)
    print(
        f"{label:<34} {len(data) / 1e6:5.1f} MB in -> {len(result.display) / 1e3:6.0f} kB + "
        f"{len(result.thumb) / 1e3:4.0f} kB out  CPU median {statistics.median(cpu):6.1f} ms "
        f"(min {min(cpu):6.1f})  wall median {statistics.median(wall):6.1f} ms"
    )


def main() -> None:
    print(f"clean_photo: decode, orient, rebuild, 1600 px display + 400 px thumbnail; {RUNS} runs each")
    measure("JPEG 4000x3000 (12 MP)", phone_like(4000, 3000))
    measure("PNG 4000x3000 (12 MP, no draft)", phone_like(4000, 3000, "PNG"))
    measure("JPEG 2048x1536 (browser re-encode)", phone_like(2048, 1536))


if __name__ == "__main__":
    main()
