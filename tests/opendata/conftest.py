"""Snapshots written into a temporary directory with a temporary signing key."""

from pathlib import Path

import pytest


@pytest.fixture
def snapshot_dir(app, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "SNAPSHOT_DIR", str(tmp_path / "snapshots"))
    monkeypatch.setitem(app.config, "SNAPSHOT_KEY_FILE", str(tmp_path / "instance" / "snapshot_signing_key"))
    return tmp_path / "snapshots"


@pytest.fixture
def take_snapshot(runner, snapshot_dir):
    """`flask data snapshot`, returning the directory it wrote."""

    def take() -> Path:
        result = runner.invoke(args=["data", "snapshot"])
        assert result.exit_code == 0, result.output
        return Path(result.output.split("snapshot written: ")[1].split("\n")[0])

    return take
