"""`make bench-load`: 200 browsing and 20 reporting users (bench/locustfile.py) against gunicorn on loopback.

    make bench-load                          (10 minutes)
    make bench-load BENCH_LOAD_DURATION=2m   (a shorter run)

The server is gunicorn as `make run` serves it, on the benchmark database (1,000,000 synthetic cameras; the
reports land there as pending sightings). All users come from 127.0.0.1, so the report rate limit, which counts
per client, would stop the reporters after 30 reports each hour: this run alone sets
SUBMISSION_RATE_LIMIT=1000000 per hour, and says so. Prints figures; asserts nothing.
"""

import csv
import os
import subprocess
import sys
import tempfile
from contextlib import ExitStack
from pathlib import Path

from sqlalchemy import text

from bench.peers import ROOT, free_port, start, wait_for

DURATION = os.environ.get("BENCH_LOAD_DURATION", "10m")
BENCH_RATE_LIMIT = "1000000 per hour"
KEEP_ALIVE = 30


def camera_ids() -> str:
    from app import create_app
    from app.extensions import db

    app = create_app("production")
    with app.app_context():
        first, last = db.session.execute(text("SELECT min(id), max(id) FROM cameras")).one()
    return f"{first},{last}"


def server_errors(failures: Path) -> int:
    with failures.open() as handle:
        return sum(int(r["Occurrences"]) for r in csv.DictReader(handle) if r["Error"].startswith("HTTPError('5"))


def main() -> None:
    if "bench" not in os.environ.get("DATABASE_URL", ""):
        sys.exit("set DATABASE_URL to the benchmark database (make bench-load does)")
    ids = camera_ids()
    base = f"http://127.0.0.1:{free_port()}"
    with ExitStack() as stack, tempfile.TemporaryDirectory() as tmp:
        env = {"APP_CONFIG": "production", "SESSION_COOKIE_SECURE": "false", "BIND": base[7:],
               "SUBMISSION_RATE_LIMIT": BENCH_RATE_LIMIT, "PUBLIC_ORIGIN": base}  # fmt: skip
        gunicorn = [str(ROOT / ".venv" / "bin" / "gunicorn"), "-c", str(ROOT / "gunicorn.conf.py"), "wsgi:app"]
        # Keep-alive past the users' think time (gunicorn's default is 2 s): otherwise a user's next request races
        # the server closing its idle connection and fails with a reset that no server behind a proxy would see.
        start(stack, [*gunicorn, "--keep-alive", str(KEEP_ALIVE)], env)
        wait_for(base + "/healthz")
        prefix = Path(tmp) / "load"
        workers = os.environ.get("WEB_CONCURRENCY", "2")
        print(f"200 browsing + 20 reporting users for {DURATION} against {base} (gunicorn, {workers} workers x 8 "
              f"threads, {os.cpu_count()} CPU cores shared with PostgreSQL and locust); bench-only "
              f"SUBMISSION_RATE_LIMIT={BENCH_RATE_LIMIT}, gunicorn --keep-alive {KEEP_ALIVE}", flush=True)  # fmt: skip
        subprocess.run(
            [str(ROOT / ".venv-locust" / "bin" / "locust"), "-f", str(ROOT / "bench" / "locustfile.py"),
             "--headless", "--users", "220", "--spawn-rate", "20", "--run-time", DURATION, "--host", base,
             "--csv", str(prefix), "--only-summary", "--loglevel", "WARNING", "--exit-code-on-error", "0"],
            env={**os.environ, "BENCH_CAMERA_IDS": ids}, check=True, stdout=subprocess.DEVNULL,
        )  # fmt: skip
        with open(f"{prefix}_stats.csv") as handle:
            rows = list(csv.DictReader(handle))
        errors_5xx = server_errors(Path(f"{prefix}_failures.csv"))
    print(f"\n  {'request':22s} {'count':>7s} {'failed':>7s} {'req/s':>7s} {'p50 ms':>7s} {'p95 ms':>7s} {'p99 ms':>7s}"
          f" {'max ms':>7s} {'body bytes':>10s}")  # fmt: skip
    for r in rows:
        print(f"  {r['Name']:22s} {int(r['Request Count']):7d} {int(r['Failure Count']):7d} "
              f"{float(r['Requests/s']):7.1f} {r['50%']:>7s} {r['95%']:>7s} {r['99%']:>7s} "
              f"{float(r['Max Response Time']):7.0f} {float(r['Average Content Size']):10.0f}")  # fmt: skip
    print(f"\n  5xx answers: {errors_5xx}")


if __name__ == "__main__":
    main()
