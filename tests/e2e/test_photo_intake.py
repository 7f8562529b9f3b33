"""The photo corpus through the served site (gunicorn with gunicorn.conf.py): the API and the form without
JavaScript, real sockets, real multipart bodies of phone size."""

import json
import shutil
import subprocess
import uuid

import pytest
import sqlalchemy as sa
from PIL import Image

from tests.factories import STARI_GRAD
from tests.photocorpus import CASES, photo, upright_top_is_red
from tests.web import hidden, where

HERE = {"lat": f"{STARI_GRAD[1]:.6f}", "lon": f"{STARI_GRAD[0]:.6f}"}
# exiftool -G1 groups that say only what the file is (System: the file system's name, size and dates of the
# stored file, not data inside it); anything else is metadata that survived.
HARMLESS_GROUPS = {"SourceFile", "ExifTool", "System", "File", "JFIF", "Composite"}


def stored_groups(path) -> set[str]:
    binary = shutil.which("exiftool")
    assert binary, "exiftool is missing: `make test` installs libimage-exiftool-perl"
    output = subprocess.run([binary, "-j", "-a", "-G1", "-u", str(path)], capture_output=True, check=True, text=True)
    return {key.split(":")[0] for key in json.loads(output.stdout)[0]} - HARMLESS_GROUPS


def stored_photo_paths(app, site, reference: str) -> list:
    engine = sa.create_engine(app.config["SQLALCHEMY_DATABASE_URI"], poolclass=sa.pool.NullPool)
    with engine.connect() as connection:
        keys = connection.execute(
            sa.text(
                "SELECT p.display_key, p.thumb_key FROM photos p JOIN sightings s ON s.id = p.sighting_id "
                "WHERE s.reference = :ref ORDER BY p.position"
            ),
            {"ref": reference},
        ).all()
    engine.dispose()
    return [site.photo_dir / key for pair in keys for key in pair]


def post_report_form(site, fields: dict, files: list, **options):
    """The report form as a browser without JavaScript sends it: the page first, for its hidden fields."""
    with site.session() as http:
        page = http.get(site.url + "/report?lang=en", timeout=10).text
        hidden_fields = {name: hidden(page, name) for name in ("csrf_token", "idempotency_key")}
        return http.post(
            site.url + "/report?lang=en", data={**hidden_fields, **HERE, **fields}, files=files, timeout=120, **options
        )


@pytest.mark.parametrize("name", list(CASES))
def test_every_corpus_photo_through_the_api(app, site, name):
    case = CASES[name]
    path = photo(name)
    with site.session() as http:
        response = http.post(
            site.url + "/api/v1/sightings",
            data=HERE,
            files={"photos": (case.filename, path.read_bytes())},
            headers={"Idempotency-Key": str(uuid.uuid4()), "Accept-Language": "en"},
            timeout=120,
        )
    body = response.json()
    if case.expect != "accepted":
        assert (response.status_code, body["error"]["code"]) == (case.status, case.expect), body
        assert "Photo 1" in body["error"]["message"]
        return
    assert response.status_code == 201, body
    site.remember(body["reference"])
    display, thumb = stored_photo_paths(app, site, body["reference"])
    for stored in (display, thumb):
        assert stored_groups(stored) == set(), stored
        with Image.open(stored) as image:
            assert image.format == "JPEG"
            assert upright_top_is_red(image)
            if case.portrait is not None:
                assert (image.height > image.width) == case.portrait


def test_full_size_photos_through_the_form_without_javascript(app, site):
    response = post_report_form(
        site,
        {"camera_type": "dome", "note": "Two cameras above the pharmacy"},
        [
            ("photos", ("IMG_0001.JPG", photo("jpeg-12mp-portrait").read_bytes(), "image/jpeg")),
            ("photos", ("IMG_0004.HEIC", photo("heic-12mp-orientation-6").read_bytes(), "image/heic")),
        ],
        allow_redirects=False,
    )
    assert response.status_code == 303, response.text[:2000]
    reference = where(response).rsplit("/", 1)[1]
    site.remember(reference)
    stored = stored_photo_paths(app, site, reference)
    assert len(stored) == 4
    for path in stored:
        with Image.open(path) as image:
            assert image.height > image.width and upright_top_is_red(image)


def test_a_photo_over_the_cap_comes_back_with_every_field_kept(site):
    oversize = photo("jpeg-50mp").read_bytes() + b"\0" * (3 * 1024 * 1024)  # past 25 MiB
    response = post_report_form(
        site,
        {"model": "IPC6625-Z30", "note": "Facing the bus stop, white housing"},
        [
            ("photos", ("a.jpg", photo("jpeg-orientation-1").read_bytes(), "image/jpeg")),
            ("photos", ("IMG_0003.JPG", oversize, "image/jpeg")),
        ],
    )
    assert response.status_code == 413
    assert "Photo 2 is larger than 25 MB." in response.text
    assert "Facing the bus stop, white housing" in response.text and 'value="IPC6625-Z30"' in response.text
    assert "choose your photos again" in response.text
