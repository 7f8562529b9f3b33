"""Hostile photo requests at once against the served site, while the public map is read: does it still answer?

`make bench-photos` runs it after the pipeline figures. gunicorn is started with gunicorn.conf.py (2 workers, as
`make run`) on a database of its own (`hiljade_bench_photos`, migrated and loaded, never the site's). FLOOD clients
send the dearest request the caps accept over and over (FLOOD_CASE, one of bench/photo_pipeline.py's); READERS
clients read the public map meanwhile. Printed: the public GETs' p50/p95/max, what the hostile requests got (status
counts, server CPU per request), and each worker's peak memory (VmHWM). Nothing is asserted.
"""

import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import requests  # noqa: E402

from tests.e2e import server  # noqa: E402

FLOOD = int(os.environ.get("FLOOD_CLIENTS", "8"))
READERS = int(os.environ.get("FLOOD_READERS", "4"))
SECONDS = float(os.environ.get("FLOOD_SECONDS", "30"))
DB_NAME = "hiljade_bench_photos"
PUBLIC_PATHS = [
    "/api/v1/cameras?bbox=20.40,44.78,20.52,44.84&zoom=14",
    "/api/v1/municipalities",
    "/healthz",
    "/",
]
HERE = {"lat": "44.8176", "lon": "20.4569"}


def worst_request() -> tuple[str, list[tuple[str, bytes]]]:
    """The dearest request the caps and the decode budget accept (bench/photo_pipeline.py measures it alone)."""
    from bench import photo_pipeline

    label = os.environ.get("FLOOD_CASE", "accepted: worst WebP + 2 x worst JPEG")
    names = photo_pipeline.CASES[label]
    return label, [(f"photo-{n}.bin", photo_pipeline._input(name).read_bytes()) for n, name in enumerate(names, 1)]


def database_url() -> str:
    if url := os.environ.get("BENCH_PHOTOS_DATABASE_URL"):
        return url
    script = str(ROOT / "scripts" / "postgis.sh")
    subprocess.run([script, "createdb", DB_NAME], check=True, capture_output=True)
    url, owner = (
        subprocess.run([script, kind, DB_NAME], check=True, capture_output=True, text=True).stdout.strip()
        for kind in ("url", "owner-url")
    )
    env = {**os.environ, "DATABASE_URL": url, "DATABASE_OWNER_URL": owner, "APP_CONFIG": "production"}
    env["FLASK_APP"] = "wsgi.py"
    flask = str(Path(sys.executable).parent / "flask")
    # As `make run` sets up a database: the schema the owner's, the site's role granted what it needs.
    for command in (["db", "upgrade"], ["db", "roles"], ["geodata", "load"]):
        subprocess.run([flask, *command], check=True, capture_output=True, env=env, cwd=ROOT)
    return url


def workers(master: int) -> list[int]:
    out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(master)], capture_output=True, text=True).stdout
    return [int(pid) for pid in out.split()]


def status_kb(pid: int, field: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def main() -> None:
    label, photos = worst_request()
    print(f"flood: {FLOOD} clients sending '{label}' ({sum(len(b) for _, b in photos) / 1e6:.1f} MB a request), "
          f"{READERS} readers of the public map, {SECONDS:.0f} s")  # fmt: skip
    served = server.start(database_url(), Path(tempfile.mkdtemp(prefix="flood-")))
    try:
        pids = workers(served.process.pid)
        baseline = {pid: status_kb(pid, "VmHWM") for pid in pids}
        cpu_before = sum(cpu_seconds(pid) for pid in pids)
        stop = time.monotonic() + SECONDS
        latencies: list[float] = []
        statuses: Counter = Counter()
        lock = threading.Lock()

        def flood() -> None:
            with requests.Session() as http:
                while time.monotonic() < stop:
                    files = [("photos", item) for item in photos]
                    try:
                        response = http.post(served.url + "/api/v1/sightings", data=HERE, files=files,
                                             headers={"Idempotency-Key": str(uuid.uuid4())}, timeout=120)  # fmt: skip
                        code = response.status_code
                    except requests.RequestException as error:
                        code = type(error).__name__
                    with lock:
                        statuses[code] += 1

        def read() -> None:
            with requests.Session() as http:
                n = 0
                while time.monotonic() < stop:
                    path = PUBLIC_PATHS[n % len(PUBLIC_PATHS)]
                    n += 1
                    started = time.perf_counter()
                    http.get(served.url + path, timeout=60)
                    with lock:
                        latencies.append((time.perf_counter() - started) * 1000)

        threads = [threading.Thread(target=flood) for _ in range(FLOOD)] + [
            threading.Thread(target=read) for _ in range(READERS)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        cpu = sum(cpu_seconds(pid) for pid in pids) - cpu_before
        peaks = {pid: status_kb(pid, "VmHWM") for pid in pids}
    finally:
        server.stop(served)
    latencies.sort()
    hostile_count = sum(statuses.values())
    p95 = latencies[int(len(latencies) * 0.95)] if latencies else float("nan")
    print(f"  public GETs: {len(latencies)}  p50 {statistics.median(latencies):.0f} ms  p95 {p95:.0f} ms  "
          f"max {latencies[-1]:.0f} ms")  # fmt: skip
    print(f"  hostile requests: {hostile_count} answered {dict(statuses)}; "
          f"server CPU {cpu:.1f} s in all, {cpu / max(1, hostile_count):.2f} s a request "
          "(readers included)")  # fmt: skip
    for pid in pids:
        print(f"  worker {pid}: VmHWM {peaks[pid] / 1024:.0f} MB (after start {baseline[pid] / 1024:.0f} MB)")


if __name__ == "__main__":
    main()
