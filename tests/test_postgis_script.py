"""scripts/postgis.sh brings clusters made by earlier versions of the script to the current log settings."""

import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
OLD_LOG = "2026-01-01 10:00:00.000 UTC [1] ERROR:  duplicate key\nDETAIL:  Key (value)=(old-sentinel) already exists.\n"


class Clone:
    """A copy of scripts/postgis.sh in an empty directory, so it runs a cluster of its own."""

    def __init__(self, root: Path) -> None:
        (root / "scripts").mkdir()
        self.script = root / "scripts" / "postgis.sh"
        shutil.copy2(ROOT / "scripts" / "postgis.sh", self.script)
        self.pg = root / "instance" / "pg"

    def run(self, *args: str) -> str:
        return subprocess.run([self.script, *args], capture_output=True, text=True, check=True).stdout

    def show(self, setting: str) -> str:
        return self.run("psql", "postgres", "-tAc", f"SHOW {setting}").rstrip("\n")

    @property
    def data(self) -> Path:
        return self.pg.resolve() / "data"


@pytest.fixture(scope="module")
def clone(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Clone]:
    """One cluster for the module (initdb is the slow part); each test leaves it running."""
    clone = Clone(tmp_path_factory.mktemp("clone"))
    clone.run("start")
    yield clone
    clone.run("stop")
    # As root the cluster may live under /var/lib/postgresql (see data_dir in the script).
    shutil.rmtree(clone.pg.resolve(), ignore_errors=True)


def test_start_on_a_running_cluster_reloads_the_settings(clone):
    managed = clone.data / "conf.d" / "hiljade.conf"
    managed.write_text(managed.read_text().replace("log_error_verbosity = terse", "log_error_verbosity = verbose"))
    clone.run("psql", "postgres", "-c", "SELECT pg_reload_conf()")
    # The server reads the files a moment after the signal.
    for _ in range(100):
        if clone.show("log_error_verbosity") == "verbose":
            break
        time.sleep(0.05)
    assert clone.show("log_error_verbosity") == "verbose"

    clone.run("start")

    assert clone.show("log_error_verbosity") == "terse"


def test_a_cluster_from_before_conf_d_gets_the_settings_and_loses_its_old_log(clone):
    clone.run("stop")
    # What the previous script left: settings appended at initdb only, a log with timestamps and DETAIL lines.
    shutil.rmtree(clone.data / "conf.d")
    conf = clone.data / "postgresql.conf"
    conf.write_text(conf.read_text().replace("include_dir = 'conf.d'", "log_line_prefix = '%m [%p] '"))
    log = Path(clone.run("logfile").strip())
    log.write_text(OLD_LOG)

    clone.run("start")

    assert clone.show("log_line_prefix") == "[%p] %e "
    assert clone.show("log_error_verbosity") == "terse"
    assert "old-sentinel" not in log.read_text()
