"""Signed snapshots: `flask data snapshot`, `flask data verify`, and the list on /data."""

import base64
import json
import os
import stat
import subprocess

import pytest

from app.models.columns import today
from app.opendata import snapshots
from app.vocabulary import CameraStatus, Manufacturer
from tests.factories import BECEJ, STARI_GRAD, make_camera


def test_a_snapshot_is_dated_checksummed_signed_and_verifies(runner, take_snapshot, app):
    make_camera(*STARI_GRAD)
    directory = take_snapshot()

    assert os.path.basename(directory) == today().isoformat()
    names = sorted(os.listdir(directory))
    assert names == [
        "SHA256SUMS",
        "SHA256SUMS.sig",
        "cameras.csv",
        "cameras.geojson",
        "changelog.json",
        "moderation_log.json",
        "municipalities.csv",
    ]
    # The manifest is in the format standard tools check.
    check = subprocess.run(["sha256sum", "-c", "SHA256SUMS"], cwd=directory, capture_output=True, text=True)
    assert check.returncode == 0, check.stdout
    key_file = app.config["SNAPSHOT_KEY_FILE"]
    assert stat.S_IMODE(os.stat(key_file).st_mode) == 0o600
    result = runner.invoke(args=["data", "verify", str(directory)])
    assert result.exit_code == 0, result.output
    assert "OK" in result.output


@pytest.mark.parametrize(
    "victim",
    ["cameras.csv", "cameras.geojson", "municipalities.csv", "SHA256SUMS", "changelog.json", "moderation_log.json"],
)
def test_changing_one_byte_of_a_snapshot_makes_verify_fail(runner, take_snapshot, victim):
    make_camera(*STARI_GRAD)
    directory = take_snapshot()
    path = directory / victim
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01
    path.write_bytes(bytes(data))

    result = runner.invoke(args=["data", "verify", str(directory)])

    assert result.exit_code == 1
    assert "FAILED" in result.output


def test_verify_with_another_key_or_an_added_file_fails(runner, take_snapshot):
    directory = take_snapshot()
    other_key = base64.b64encode(bytes(32)).decode()
    assert runner.invoke(args=["data", "verify", str(directory), "--public-key", other_key]).exit_code == 1
    assert runner.invoke(args=["data", "verify", str(directory), "--public-key", snapshots.public_key()]).exit_code == 0
    (directory / "extra.csv").write_text("id\n1\n")
    result = runner.invoke(args=["data", "verify", str(directory)])
    assert result.exit_code == 1 and "extra.csv: not listed" in result.output


def test_the_changelog_lists_cameras_added_removed_and_changed(take_snapshot):
    kept = make_camera(*STARI_GRAD)
    changed = make_camera(*BECEJ)
    retired = make_camera(20.47, 44.81)
    first = take_snapshot()
    assert json.loads((first / "changelog.json").read_text())["added"] == sorted([kept.id, changed.id, retired.id])
    changed.manufacturer = Manufacturer.DAHUA
    retired.status = CameraStatus.REMOVED
    new = make_camera(20.48, 44.80)

    second = take_snapshot()

    assert os.path.basename(second) == f"{today().isoformat()}.2"
    changes = json.loads((second / "changelog.json").read_text())
    assert changes == {
        "previous": os.path.basename(first),
        "added": [new.id],
        "removed": [retired.id],
        "changed": [changed.id],
    }


def test_the_data_page_states_the_licence_and_lists_snapshots_with_checksums_and_the_key(client, take_snapshot):
    directory = take_snapshot()
    manifest = (directory / "SHA256SUMS").read_text()

    page = client.get("/data?lang=en").get_data(as_text=True)

    assert "Open Database License" in page and "ODbL 1.0" in page
    assert "How to cite" in page
    assert snapshots.public_key() in page
    for line in manifest.splitlines():
        assert line.split()[0] in page  # every checksum is shown
    assert "/api/v1/export/cameras.geojson" in page
    assert "OpenStreetMap contributors" in page  # boundary sources
    name = os.path.basename(directory)
    download = client.get(f"/data/snapshots/{name}/cameras.csv")
    assert download.status_code == 200
    assert download.data == (directory / "cameras.csv").read_bytes()
    assert download.mimetype == "text/csv"
    assert download.headers["Access-Control-Allow-Origin"] == "*"
    assert client.get(f"/data/snapshots/{name}/SHA256SUMS").mimetype == "text/plain"
    assert client.get(f"/data/snapshots/{name}/cameras.geojson").mimetype == "application/geo+json"
    assert client.get(f"/data/snapshots/{name}/..%2Finstance").status_code == 404
    assert client.get("/data/snapshot-key.pub").data.decode().strip() == snapshots.public_key()


def test_the_data_page_without_snapshots_says_so(client, snapshot_dir):
    page = client.get("/data?lang=en").get_data(as_text=True)
    assert "No snapshot has been published yet." in page
