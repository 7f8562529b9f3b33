"""`make bench-pages`: Lighthouse 12.2.3 (npm, package-lock.json) on Debian's Chromium, mobile, performance only.

Pages: `/`, `/report`, `/municipalities/` and a camera page, served by gunicorn as `make run` serves it from the
benchmark database (1,000,000 synthetic cameras), with the default base map (our own vector tiles: nothing leaves
this machine). Prints figures; asserts nothing.
"""

import json
import os
import subprocess
import sys
import tempfile
from contextlib import ExitStack
from pathlib import Path

import requests

from bench.load import camera_ids
from bench.peers import ROOT, free_port, start, wait_for

LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
# Lighthouse's own advice: one run varies by several points (simulated throttling scales the CPU time it saw), the
# median of several does not.
RUNS = int(os.environ.get("BENCH_PAGES_RUNS", "3"))
AUDITS = (
    ("first-contentful-paint", "FCP s", 1000),
    ("largest-contentful-paint", "LCP s", 1000),
    ("total-blocking-time", "TBT ms", 1),
    ("cumulative-layout-shift", "CLS", None),
    ("speed-index", "SI s", 1000),
    ("total-byte-weight", "KiB", 1024),
)


def lighthouse(url: str, out: Path) -> dict:
    subprocess.run(
        [str(LIGHTHOUSE), url, "--only-categories=performance", "--output=json", f"--output-path={out}", "--quiet",
         "--chrome-flags=--headless=new --no-sandbox --disable-gpu"],
        env={**os.environ, "CHROME_PATH": os.environ.get("CHROME_PATH", "/usr/bin/chromium")}, check=True,
    )  # fmt: skip
    return json.loads(out.read_text())


def main() -> None:
    if "bench" not in os.environ.get("DATABASE_URL", ""):
        sys.exit("set DATABASE_URL to the benchmark database (make bench-pages does)")
    camera = camera_ids().split(",")[0]
    base = f"http://127.0.0.1:{free_port()}"
    pages = ["/", "/report", "/municipalities/", f"/cameras/{camera}"]
    with ExitStack() as stack, tempfile.TemporaryDirectory() as tmp:
        env = {"APP_CONFIG": "production", "SESSION_COOKIE_SECURE": "false", "BIND": base[7:],
               "PUBLIC_ORIGIN": base}  # fmt: skip
        start(stack, [str(ROOT / ".venv" / "bin" / "gunicorn"), "-c", str(ROOT / "gunicorn.conf.py"), "wsgi:app"], env)
        wait_for(base + "/healthz")
        for page in pages:  # a server that has served each page once, as a running site has
            requests.get(base + page, timeout=60).raise_for_status()
        version = subprocess.run([str(LIGHTHOUSE), "--version"], capture_output=True, text=True).stdout.strip()
        print(f"Lighthouse {version}, mobile (simulated throttling), Debian's Chromium; our own base map;")
        print("each page served once before it is measured (a running site's caches are warm)\n")
        print(f"{RUNS} runs per page; the run of median score is printed, with the lowest and highest scores\n")
        print(f"  {'page':24s} {'score':>5s} {'range':>7s} " + " ".join(f"{label:>7s}" for _, label, _ in AUDITS))
        for page in pages:
            reports = sorted(
                (lighthouse(base + page, Path(tmp) / f"report-{run}.json") for run in range(RUNS)),
                key=lambda report: report["categories"]["performance"]["score"],
            )
            scores = [round(report["categories"]["performance"]["score"] * 100) for report in reports]
            report = reports[len(reports) // 2]
            cells = []
            for audit, _, unit in AUDITS:
                value = report["audits"][audit]["numericValue"]
                if unit is None:
                    cells.append(f"{value:7.3f}")
                else:
                    cells.append(f"{value / unit:7.2f}" if unit > 1 else f"{value:7.0f}")
            spread = f"{scores[0]}-{scores[-1]}"
            print(f"  {page:24s} {scores[len(scores) // 2]:5d} {spread:>7s} " + " ".join(cells), flush=True)


if __name__ == "__main__":
    main()
