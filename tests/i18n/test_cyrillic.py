"""The Serbian Cyrillic catalogue is the Latin one transliterated (scripts/cyrillic_catalogue.py), and no catalogue
loses a placeholder or a tag on the way from the English message id."""

import difflib
import re
from collections import Counter
from pathlib import Path

import cyrtranslit
import pytest
from babel.messages.catalog import Message
from babel.messages.pofile import read_po

from scripts.cyrillic_catalogue import (
    CYRILLIC_PO,
    HTML_TAG,
    PLACEHOLDER,
    TRANSLATIONS,
    Transliterator,
    generate,
    latin_words,
    load_overrides,
    msgstr_forms,
    uncovered_text,
)

CATALOGUES = sorted(TRANSLATIONS.glob("*/LC_MESSAGES/messages.po"))
CYRILLIC = re.compile(r"[\u0400-\u04ff]")


def _read(path: Path):
    with path.open("rb") as file:
        return read_po(file)


def _messages(path: Path) -> list[Message]:
    return [message for message in _read(path) if message.id]


def test_the_committed_cyrillic_catalogue_is_what_the_latin_one_generates():
    generated = generate().decode()
    committed = CYRILLIC_PO.read_text(encoding="utf-8")

    diff = "".join(difflib.unified_diff(committed.splitlines(True), generated.splitlines(True), "committed", "made"))
    assert not diff, f"sr_Cyrl drifted from sr_Latn: run `make cyrillic` and commit the result\n{diff[:3000]}"


def test_the_cyrillic_catalogue_says_it_is_cyrillic():
    catalogue = _read(CYRILLIC_PO)
    latin = _read(TRANSLATIONS / "sr_Latn" / "LC_MESSAGES" / "messages.po")

    assert str(catalogue.locale) == "sr_Cyrl" and catalogue.locale.script == "Cyrl"
    assert catalogue.language_team.startswith("sr_Cyrl")
    assert catalogue.plural_forms == latin.plural_forms
    assert len(catalogue) == len(latin)


def _placeholders(text: str) -> Counter:
    return Counter(PLACEHOLDER.findall(text))


def _tags(text: str) -> Counter:
    """Tags by name and direction (<a>, </a>, <br>): a translation may change an attribute's text, not the markup."""
    return Counter(re.match(r"</?[A-Za-z][\w-]*", tag).group() for tag in HTML_TAG.findall(text))


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda path: path.parent.parent.name)
def test_every_msgstr_has_the_placeholders_and_tags_of_its_msgid(path):
    wrong = []
    for message in _messages(path):
        # A plural form may read like the singular id or like the plural one ("confirmed once", "… %(num)d times").
        ids = message.id if isinstance(message.id, (list, tuple)) else (message.id,)
        for form in msgstr_forms(message):
            if not form:
                continue  # untranslated: the completeness test's business
            for name, found in (("placeholders", _placeholders), ("tags", _tags)):
                if found(form) not in [found(msgid) for msgid in ids]:
                    wrong.append(f"{name} {dict(found(form))} ≠ {dict(found(ids[-1]))}: {ids[0]!r} → {form!r}")

    assert not wrong, f"{len(wrong)} msgstrs in {path.relative_to(TRANSLATIONS)}:\n" + "\n".join(wrong)


@pytest.fixture(scope="module")
def transliterate() -> Transliterator:
    return Transliterator(load_overrides())


@pytest.mark.parametrize(
    ("latin", "cyrillic"),
    [
        # Letter pairs that are not digraphs, in every case and inflection.
        ("injekcija", "инјекција"),
        ("Injekcije", "Инјекције"),
        ("INJEKCIJU", "ИНЈЕКЦИЈУ"),
        ("konjunktura", "конјунктура"),
        ("Konjunkturom", "Конјунктуром"),
        ("nadživeti", "надживети"),
        ("Nadživljavaju", "Надживљавају"),
        # Real digraphs, also in UPPER case (cyrtranslit alone reads LJ as Л+Ј).
        ("Ljudi, njive i džepovi", "Људи, њиве и џепови"),
        ("LJUDI, NJIVE I DŽEPOVI", "ЉУДИ, ЊИВЕ И ЏЕПОВИ"),
        ("Odjavi se", "Одјави се"),
        # Brands, model codes, formats; Serbian acronyms and case endings are Cyrillic.
        ("Huawei kamere", "Huawei камере"),
        ("HUAWEI i Dahua", "HUAWEI и Dahua"),
        ("modeli IPC6625-Z30 i IPC6225-VRZ-ES", "модели IPC6625-Z30 и IPC6225-VRZ-ES"),
        ("JPEG, PNG ili HEIC do 12 MB", "JPEG, PNG или HEIC до 12 МБ"),
        ("Policija (MUP)", "Полиција (МУП)"),
        ("licencom OpenStreetMap-a", "лиценцом OpenStreetMap-а"),
        ("12-bitni, SHA-256, WGS84", "12-битни, SHA-256, WGS84"),
        # URLs, e-mail addresses, host names.
        ("Vidi https://hiljadekamera.rs/mapa?lang=sr-Latn.", "Види https://hiljadekamera.rs/mapa?lang=sr-Latn."),
        (
            "Pišite na kontakt@hiljadekamera.rs ili na data.gov.rs",
            "Пишите на kontakt@hiljadekamera.rs или на data.gov.rs",
        ),
        # Placeholders and markup; a tag's title is read, so it is transliterated, its href is not.
        ("%(n)d kamera u %(name)s", "%(n)d камера у %(name)s"),
        ("{count} kamera, %s opština, 100%%", "{count} камера, %s општина, 100%%"),
        (
            '<a href="/data" title="Podaci">Otvoreni podaci</a>&nbsp;<strong>sada</strong>',
            '<a href="/data" title="Подаци">Отворени подаци</a>&nbsp;<strong>сада</strong>',
        ),
        # The moderation page's keyboard shortcuts are the Latin keys the script listens for.
        ("Tasteri: a odobri, m spoji", "Тастери: a одобри, m споји"),
    ],
)
def test_transliteration_keeps_what_is_not_serbian_text(transliterate, latin, cyrillic):
    assert transliterate(latin) == cyrillic


def test_every_override_spelling_is_its_latin_word_in_cyrillic():
    """A typo in overrides.txt (надживе* for nadživ*) would otherwise go straight into the catalogue."""
    overrides = load_overrides()

    assert overrides.keep and overrides.spellings
    assert [latin for latin, cyrillic in overrides.spellings if cyrtranslit.to_latin(cyrillic, "sr") != latin] == []
    assert [word for word in overrides.keep if not re.search("[A-Za-z]", word)] == []


def test_the_generated_catalogue_is_written_in_cyrillic():
    written, _ = load_overrides().as_written().pattern()
    forms = [form for message in _messages(CYRILLIC_PO) for form in msgstr_forms(message)]

    latin = []
    for form in forms:
        letters = [c for c in uncovered_text(form, written) if c.isalpha()]
        if letters and sum(bool(CYRILLIC.match(c)) for c in letters) < 0.99 * len(letters):
            latin.append(f"{sorted(latin_words(uncovered_text(form, written)))}: {form!r}")
    assert not latin, "Latin letters that no override explains (add the word to overrides.txt?):\n" + "\n".join(latin)

    # Overrides included, most of what a reader of the Cyrillic site sees is Cyrillic.
    everything = [c for form in forms for c in PLACEHOLDER.sub("", form) if c.isalpha()]
    assert sum(bool(CYRILLIC.match(c)) for c in everything) >= 0.95 * len(everything)
