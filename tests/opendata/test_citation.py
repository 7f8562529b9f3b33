"""The "cite this" line on /data and a municipality's page: the latest snapshot's id, day and checksum, licence, URL."""

import hashlib
import html
import re

from tests.factories import BECEJ, BECEJ_CODE, make_camera


def _cite(page: str) -> str:
    block = re.search(r'<div class="cite" id="cite">(.*?)</div>', page, re.S).group(1)
    return html.unescape(re.sub(r"<[^>]+>", "", block))


def test_data_and_municipality_pages_cite_the_latest_snapshot_by_id_day_and_checksum(client, take_snapshot):
    make_camera(*BECEJ)
    take_snapshot()
    latest = take_snapshot()  # the same day again: 2026-12-01.2 or so
    checksum = hashlib.sha256((latest / "SHA256SUMS").read_bytes()).hexdigest()

    data = _cite(client.get("/data?lang=en").get_data(as_text=True))
    assert f"snapshot {latest.name} of " in data and checksum in data
    assert "ODbL 1.0" in data and "http://localhost/data" in data and "Hiljade kamera contributors" in data

    page = _cite(client.get(f"/municipalities/{BECEJ_CODE}?lang=sr-Latn").get_data(as_text=True))
    assert "Bečej" in page and f"snimak stanja {latest.name}" in page and checksum in page
    assert f"http://localhost/municipalities/{BECEJ_CODE}" in page and "lang=" not in page


def test_before_any_snapshot_the_cite_line_says_so(client, snapshot_dir):
    assert "No snapshot has been published yet" in _cite(client.get("/data?lang=en").get_data(as_text=True))
