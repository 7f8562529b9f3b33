"""CPU time and peak memory of the photo pipeline, per photo and per request, for normal and worst-case inputs.

Run with `make bench-photos` (or `.venv/bin/python bench/photo_pipeline.py [case ...]`). Prints figures; asserts
nothing. Inputs are built once into bench/.photo-cache (the worst cases take a minute); each case then runs in a
fresh subprocess that only imports the pipeline, reads its files and calls clean_photos(), so its VmHWM is that
request's peak and not an earlier case's. A gunicorn worker's own baseline (the whole app imported) is about
120 MB; the subprocess's is printed as "base".
Targets (issue 9): a whole worst-case request <= 2 s CPU and <= 400 MB VmHWM.
"""

import io
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / "bench" / ".photo-cache"
sys.path.insert(0, str(ROOT))


def _noise_rgb(width, height, sigma):
    from PIL import Image

    return Image.merge("RGB", [Image.effect_noise((width, height), sigma) for _ in range(3)])


def _jpeg(image, **options) -> bytes:
    from PIL import ImageFile

    ImageFile.MAXBLOCK = 1 << 27  # progressive encoding of noise needs a large buffer
    out = io.BytesIO()
    image.save(out, "JPEG", **options)
    return out.getvalue()


def _largest_under(encode, qualities, limit=25 * 1024 * 1024) -> bytes:
    """The first (highest-quality) encoding that fits the upload cap: as much entropy as the bytes allow."""
    for quality in qualities:
        data = encode(quality)
        if len(data) <= limit:
            return data
    return data


def worst_baseline_jpeg() -> bytes:
    """At the JPEG cap (9248 x 6936, 64 MP) with as much entropy as 25 MiB holds, 4:4:4."""
    image = _noise_rgb(9248, 6936, 20)
    return _largest_under(lambda q: _jpeg(image, quality=q, subsampling=0), (80, 75, 70, 65, 60, 50))


def worst_progressive_jpeg() -> bytes:
    """At the progressive cap (4096 x 4096) and the scan cap: libjpeg's 10 scans plus 6 repeated refinements."""
    from tests.submissions.hostile import jpeg_with_extra_scans

    image = _noise_rgb(4096, 4096, 30)
    encode = lambda q: jpeg_with_extra_scans(_jpeg(image, quality=q, subsampling=0, progressive=True), 6)  # noqa: E731
    return _largest_under(encode, (92, 90, 88, 85, 80, 75))


def worst_png() -> bytes:
    from tests.submissions.hostile import png_16bit_rgba_at_cap

    return png_16bit_rgba_at_cap()


def worst_webp() -> bytes:
    """At the WebP cap (4096 x 3072), lossy with an alpha plane, noisy."""
    from PIL import Image

    image = Image.merge("RGBA", [Image.effect_noise((4096, 3072), 30) for _ in range(4)])
    out = io.BytesIO()
    image.save(out, "WEBP", quality=85, method=4, alpha_quality=100)
    return out.getvalue()


def worst_heic() -> bytes:
    """At the HEIC caps: 8192 x 6144 and close to the byte cap, noise encoded at high quality."""
    import pillow_heif

    from app.photos.limits import HEIF_MAX_BYTES

    pillow_heif.register_heif_opener()
    image = _noise_rgb(8192, 6144, 10)

    def encode(quality: int) -> bytes:
        out = io.BytesIO()
        image.save(out, "HEIF", quality=quality, enc_params={"preset": "fast"})
        return out.getvalue()

    return _largest_under(encode, (50, 40, 30, 20, 10), HEIF_MAX_BYTES)


def browser_reencode() -> bytes:
    from tests.photocorpus import scene

    return _jpeg(scene(2048, 1536, 1, 0.3), quality=85)


def _corpus(name):
    def build() -> bytes:
        from tests.photocorpus import CASES

        return CASES[name].build()

    return build


INPUTS = {
    "jpeg-12mp": _corpus("jpeg-12mp-portrait"),
    "jpeg-50mp": _corpus("jpeg-50mp"),
    "heic-12mp": _corpus("heic-12mp-orientation-6"),
    "heic-48mp": _corpus("heic-48mp"),
    "png-screenshot": _corpus("png-screenshot"),
    "webp-12mp": _corpus("webp-12mp"),
    "browser-2048": browser_reencode,
    "worst-jpeg": worst_baseline_jpeg,
    "worst-progressive": worst_progressive_jpeg,
    "worst-png": worst_png,
    "worst-webp": worst_webp,
    "worst-heic": worst_heic,
}

# name -> the inputs of one request
CASES = {
    "12 MP JPEG (phone)": ["jpeg-12mp"],
    "50 MP JPEG": ["jpeg-50mp"],
    "12 MP HEIC": ["heic-12mp"],
    "48 MP HEIC (grid of 512 px tiles)": ["heic-48mp"],
    "PNG screenshot 1290x2796": ["png-screenshot"],
    "WebP 12 MP": ["webp-12mp"],
    "browser re-encode 2048 px": ["browser-2048"],
    "5 x 12 MP JPEG": ["jpeg-12mp"] * 5,
    "5 x 50 MP JPEG": ["jpeg-50mp"] * 5,
    "5 x 12 MP HEIC (budget)": ["heic-12mp"] * 5,
    "worst JPEG: 64 MP, 25 MiB": ["worst-jpeg"],
    "worst progressive: 16.8 MP, 16 scans": ["worst-progressive"],
    "worst PNG: 16 MP 16-bit RGBA Paeth": ["worst-png"],
    "worst WebP: 12.6 MP, alpha": ["worst-webp"],
    "worst HEIC: 50 MP, byte cap": ["worst-heic"],
    "request: 5 x worst JPEG": ["worst-jpeg"] * 5,
    # The dearest requests the budget lets through (a refused request decodes nothing: headers come first).
    "accepted: 4 x worst JPEG": ["worst-jpeg"] * 4,
    "accepted: worst PNG + worst JPEG": ["worst-png", "worst-jpeg"],
    "accepted: worst WebP + 2 x worst JPEG": ["worst-webp"] + ["worst-jpeg"] * 2,
    "accepted: 12 MP HEIC + 2 x 50 MP JPEG": ["heic-12mp"] + ["jpeg-50mp"] * 2,
    "request: 5 x worst progressive": ["worst-progressive"] * 5,
    "request: 5 x worst PNG": ["worst-png"] * 5,
    "request: 5 x worst WebP": ["worst-webp"] * 5,
    "request: worst HEIC + 4 x worst JPEG": ["worst-heic"] + ["worst-jpeg"] * 4,
    "request: 5 x worst HEIC": ["worst-heic"] * 5,
}


def _input(name: str) -> Path:
    path = CACHE / f"{name}.bin"
    if not path.exists():
        CACHE.mkdir(exist_ok=True)
        start = time.perf_counter()
        print(f"  building {name} ...", end="", flush=True)
        path.with_suffix(".part").write_bytes(INPUTS[name]())
        path.with_suffix(".part").replace(path)
        print(f" {path.stat().st_size / 1e6:.1f} MB in {time.perf_counter() - start:.0f} s", flush=True)
    return path


def _vm_hwm_mb() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child(paths: list[str]) -> None:
    """Run one request in this (fresh) process and print its figures as JSON."""
    from app.photos.pipeline import PhotoRejected, clean_photos

    photos = [Path(path).read_bytes() for path in paths]
    base = _vm_hwm_mb()
    start_cpu, start_wall = time.process_time(), time.perf_counter()
    try:
        outcome = f"{len(clean_photos(photos))} stored"
    except PhotoRejected as error:
        outcome = f"{error.status} {error.code} (photo {error.details.get('photo')})"
    cpu_ms = (time.process_time() - start_cpu) * 1000  # all threads, the decoding thread included
    wall_ms = (time.perf_counter() - start_wall) * 1000
    mb_in = sum(len(photo) for photo in photos) / 1e6
    print(json.dumps({"cpu": cpu_ms, "wall": wall_ms, "base": base, "hwm": _vm_hwm_mb(), "in": mb_in, "out": outcome}))


def main(selected: list[str]) -> None:
    cases = {name: inputs for name, inputs in CASES.items() if not selected or any(s in name for s in selected)}
    for inputs in cases.values():
        for name in inputs:
            _input(name)
    print(f"{'case':<40} {'MB in':>6} {'CPU ms':>7} {'wall ms':>8} {'base MB':>8} {'VmHWM MB':>9}  outcome")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    for label, inputs in cases.items():
        paths = [str(_input(name)) for name in inputs]
        command = [sys.executable, __file__, "--child", *paths]
        result = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
        if result.returncode != 0:
            print(f"{label:<40} failed: {result.stderr.strip().splitlines()[-1:]}")
            continue
        figures = json.loads(result.stdout.strip().splitlines()[-1])
        print(
            f"{label:<40} {figures['in']:6.1f} {figures['cpu']:7.0f} {figures['wall']:8.0f} "
            f"{figures['base']:8.0f} {figures['hwm']:9.0f}  {figures['out']}",
            flush=True,
        )


if __name__ == "__main__":
    if sys.argv[1:2] == ["--child"]:
        child(sys.argv[2:])
    else:
        main(sys.argv[1:])
