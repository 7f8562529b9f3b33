"""Every photo a current phone makes is stored upright and clean; every photo we refuse gets the right answer."""

import io
import json
import re
import shutil
import subprocess

import pytest
from PIL import Image

from app.errors import PhotoRejected, PhotoTooLarge, PhotoUnsupported
from app.photos.pipeline import clean_photo
from tests.photocorpus import CASES, SENTINELS, photo, upright_top_is_red

ACCEPTED = [name for name, case in CASES.items() if case.expect == "accepted"]
REFUSED = [name for name, case in CASES.items() if case.expect != "accepted"]
# exiftool's family-1 groups that describe the file itself rather than anything stored in it ("System" is
# the file system: name, size, dates).
HARMLESS = {"SourceFile", "ExifTool", "System", "File", "JFIF", "Composite"}


def exiftool_groups(*paths) -> set[str]:
    binary = shutil.which("exiftool")
    assert binary, "exiftool is missing: `make test` installs libimage-exiftool-perl"
    output = subprocess.run([binary, "-a", "-G1", "-j", *map(str, paths)], capture_output=True, check=True, text=True)
    return {key.split(":")[0] for entry in json.loads(output.stdout) for key in entry}


@pytest.mark.parametrize("name", ACCEPTED)
def test_a_phone_photo_is_stored_upright_with_nothing_but_pixels(name, tmp_path):
    clean = clean_photo(photo(name).read_bytes())

    display, thumb = tmp_path / "display.jpg", tmp_path / "thumb.jpg"
    display.write_bytes(clean.display)
    thumb.write_bytes(clean.thumb)
    assert exiftool_groups(display, thumb) <= HARMLESS
    for path in (display, thumb):
        data = path.read_bytes()
        assert not [sentinel for sentinel in SENTINELS if sentinel.encode() in data]
        image = Image.open(path)
        assert image.format == "JPEG"
        assert upright_top_is_red(image), f"{path.name} is not upright"
        assert (image.height > image.width) == CASES[name].portrait
    assert max(clean.width, clean.height) <= 1600
    assert Image.open(io.BytesIO(clean.display)).size == (clean.width, clean.height)


@pytest.mark.parametrize("name", REFUSED)
def test_a_photo_we_cannot_take_is_refused_with_its_reason(name):
    expected = {"photo_too_large": PhotoTooLarge, "photo_unsupported": PhotoUnsupported}[CASES[name].expect]

    with pytest.raises(PhotoRejected) as refused:
        clean_photo(photo(name).read_bytes())

    assert type(refused.value) is expected
    assert refused.value.code == CASES[name].expect and refused.value.status == CASES[name].status
    assert refused.value.message


def test_a_200_mp_photo_is_refused_naming_the_limit():
    with pytest.raises(PhotoTooLarge) as refused:
        clean_photo(photo("jpeg-200mp").read_bytes())

    # In the reader's language (outside a request: Serbian, with a decimal comma).
    assert re.search(r"199,8 megapiksela; ograničenje za JPEG je 65,0", refused.value.message)
