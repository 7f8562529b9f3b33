"""The Albanian catalogue uses the glossary's terms (app/translations/GLOSSARY.md), and no catalogue is missing,
empty or fuzzy for any message of messages.pot: a reader never meets an English string or a guessed translation."""

import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po

TRANSLATIONS = Path(__file__).resolve().parents[2] / "app" / "translations"
GLOSSARY = TRANSLATIONS / "GLOSSARY.md"
ALBANIAN = TRANSLATIONS / "sq" / "LC_MESSAGES" / "messages.po"
CATALOGUES = sorted(TRANSLATIONS.glob("*/LC_MESSAGES/messages.po"))
COLUMNS = [
    "English",
    "Albanian",
    "Albanian forms",
    "Serbian Latin",
    "Serbian Cyrillic",
    "Source of the Albanian term",
    "Confidence",
]
CONFIDENCE = ("high", "medium", "low")


@dataclass(frozen=True)
class Term:
    english: tuple[str, ...]
    albanian: str
    forms: tuple[tuple[re.Pattern, ...], ...]
    cyrillic: str
    source: str
    confidence: str

    def in_msgid(self, text: str) -> bool:
        return any(re.search(rf"(?<!\w){re.escape(form)}(?!\w)", text, re.IGNORECASE) for form in self.english)

    def in_msgstr(self, text: str) -> bool:
        return any(all(word.search(text) for word in alternative) for alternative in self.forms)


def _word(spec: str) -> re.Pattern:
    """`komun*` is a stem matched at the start of a word; a word or phrase without `*` must occur whole."""
    stem = spec.endswith("*")
    body = re.escape(spec.rstrip("*"))
    return re.compile(rf"(?<!\w){body}" + ("" if stem else r"(?!\w)"), re.IGNORECASE)


def _cells(line: str) -> list[str]:
    return [cell.strip() for cell in line.strip().strip("|").split("|")]


def read_glossary(text: str) -> list[Term]:
    """The rows of the one table under "## Terms", its header checked against COLUMNS."""
    section = text.split("\n## Terms\n", 1)[1].split("\n## ", 1)[0]
    lines = [line for line in section.splitlines() if line.startswith("|")]
    assert _cells(lines[0]) == COLUMNS, f"GLOSSARY.md's table must have the columns {COLUMNS}"
    terms = []
    for line in lines[2:]:
        cells = _cells(line)
        assert len(cells) == len(COLUMNS), f"a glossary row has {len(cells)} cells, not {len(COLUMNS)}: {line}"
        english, albanian, forms, _latin, cyrillic, source, confidence = cells
        terms.append(
            Term(
                english=tuple(form.strip() for form in english.split(";") if form.strip()),
                albanian=albanian,
                forms=tuple(
                    tuple(_word(word.strip()) for word in alternative.split(" + "))
                    for alternative in forms.split(";")
                    if alternative.strip()
                ),
                cyrillic=cyrillic,
                source=source,
                confidence=confidence,
            )
        )
    return terms


def _read(path: Path) -> Catalog:
    with path.open("rb") as file:
        return read_po(file)


def _strings(value: str | tuple[str, ...]) -> tuple[str, ...]:
    return value if isinstance(value, tuple) else (value,)


TERMS = read_glossary(GLOSSARY.read_text(encoding="utf-8"))


def test_the_glossary_covers_the_key_terms_with_a_source_and_a_confidence():
    headwords = {term.english[0] for term in TERMS}
    required = {"surveillance camera", "camera", "facial recognition", "number-plate recognition", "number plate"}
    required |= {"municipality", "report", "sighting", "moderator", "moderation", "evidence", "capability"}
    required |= {"operator", "manufacturer", "density", "verified", "pending", "rejected", "police", "procurement"}
    required |= {"map", "photo", "blur"}

    assert required <= headwords, f"missing from GLOSSARY.md: {sorted(required - headwords)}"
    for term in TERMS:
        assert term.forms, f"{term.english[0]}: no Albanian form to check"
        assert term.source, f"{term.english[0]}: no source for the Albanian term"
        assert term.confidence.split(":")[0] in CONFIDENCE, f"{term.english[0]}: confidence {term.confidence!r}"
        assert term.in_msgstr(term.albanian), f"{term.english[0]}: {term.albanian!r} fails its own forms"
        assert not re.search(r"[a-z]", term.cyrillic), f"{term.english[0]}: Latin letters in {term.cyrillic!r}"


@pytest.mark.parametrize("term", TERMS, ids=[term.english[0] for term in TERMS])
def test_albanian_translations_use_the_glossary_term(term: Term):
    misses = []
    for message in _read(ALBANIAN):
        english = " ".join(_strings(message.id))
        if not message.id or not term.in_msgid(english):
            continue
        albanian = " ".join(_strings(message.string))
        if not term.in_msgstr(albanian):
            misses.append(f"  {english!r}\n    -> {albanian!r}")

    assert not misses, f"these sq msgstrs do not use {term.albanian!r} for {term.english[0]!r}:\n" + "\n".join(misses)


def test_there_is_an_albanian_catalogue():
    assert ALBANIAN in CATALOGUES


@pytest.mark.parametrize("path", CATALOGUES, ids=[path.parts[-3] for path in CATALOGUES])
def test_every_catalogue_translates_every_message_without_guessing(path: Path):
    catalogue = _read(path)
    template = _read(TRANSLATIONS / "messages.pot")
    missing = [
        message.id for message in template if message.id and catalogue.get(message.id, context=message.context) is None
    ]
    empty, fuzzy = [], []
    for message in catalogue:
        if not message.id:
            continue
        forms = _strings(message.string)
        if not all(form.strip() for form in forms) or (message.pluralizable and len(forms) < catalogue.num_plurals):
            empty.append(message.id)
        if message.fuzzy:
            fuzzy.append(message.id)

    name = path.parts[-3]
    problems = [
        f"{name} lacks {len(missing)} messages of messages.pot, e.g. {missing[:5]}" if missing else "",
        f"{name} has {len(empty)} empty translations, e.g. {empty[:5]}" if empty else "",
        f"{name} has {len(fuzzy)} fuzzy translations, e.g. {fuzzy[:5]}" if fuzzy else "",
    ]
    assert not any(problems), "\n".join(problem for problem in problems if problem)
