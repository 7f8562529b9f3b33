"""The open-data page on a phone (licence, downloads, signed snapshots) and the API page on a desktop."""

import pytest

from tests.factories import STARI_GRAD, make_camera, make_event


@pytest.fixture
def published(app, tmp_path, monkeypatch, runner):
    monkeypatch.setitem(app.config, "SNAPSHOT_DIR", str(tmp_path / "snapshots"))
    monkeypatch.setitem(app.config, "SNAPSHOT_KEY_FILE", str(tmp_path / "key"))
    make_camera(*STARI_GRAD)
    make_event()
    assert runner.invoke(args=["data", "snapshot"]).exit_code == 0


def test_a_phone_reads_the_licence_downloads_and_snapshot_checksums(live_server, phone, published):
    page = phone.page
    page.goto(live_server + "/data")

    assert "ODbL 1.0" in page.inner_text("#licence + p")
    assert page.locator("table.snapshot").count() == 1
    assert page.locator("table.snapshot code").count() == 7  # every file with its checksum
    heads = page.locator("code.log-head")  # the log's current head and the published one, wrapped to the screen
    assert heads.count() == 2
    width = page.viewport_size["width"]
    assert all(heads.nth(i).bounding_box()["x"] + heads.nth(i).bounding_box()["width"] <= width for i in range(2))
    assert page.locator("code.public-key").inner_text().endswith("=")
    with page.expect_download() as download:
        page.click('table.snapshot a:text-is("cameras.csv")')
    assert download.value.suggested_filename.endswith("-cameras.csv")
    phone.screenshot("data-page")
    assert phone.foreign_requests(live_server) == []


def test_the_api_page_documents_every_endpoint_from_our_origin(live_server, desktop):
    page = desktop.page
    page.goto(live_server + "/api?lang=en")

    assert page.locator("section.api-operation").count() >= 8
    assert page.locator("#getCamera h2").inner_text() == "GET /api/v1/cameras/{id}"
    page.click("#schema-Camera summary")
    assert '"additionalProperties": false' in page.inner_text("#schema-Camera pre")
    desktop.screenshot("api-page")
    assert desktop.foreign_requests(live_server) == []
