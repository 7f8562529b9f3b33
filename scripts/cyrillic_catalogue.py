"""Generate the Serbian Cyrillic catalogue from the Serbian Latin one: `make cyrillic` (also run by `make messages`).

Serbian Latin and Cyrillic map letter for letter (lj, nj and dž are single Cyrillic letters), so the Cyrillic
catalogue is never translated or edited by hand: cyrtranslit transliterates the human text of every Latin msgstr.
What is not Serbian text stays as it is: placeholders, HTML tags and entities (but the text of a title, alt,
aria-label or placeholder attribute is read, so it is transliterated), URLs, e-mail addresses, host names, model
codes (any token with a letter and a digit in one part, such as IPC6625-Z30 or WGS84) and the words that
app/translations/sr_Cyrl/overrides.txt keeps in Latin. The same file spells the words whose letter pairs are not
digraphs (injekcija: инјекција, not ињекција).
"""

from __future__ import annotations

import copy
import io
import re
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import cyrtranslit
from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import read_po, write_po

TRANSLATIONS = Path(__file__).resolve().parent.parent / "app" / "translations"
LATIN_LOCALE = "sr_Latn"
CYRILLIC_LOCALE = "sr_Cyrl"
LATIN_PO = TRANSLATIONS / LATIN_LOCALE / "LC_MESSAGES" / "messages.po"
CYRILLIC_PO = TRANSLATIONS / CYRILLIC_LOCALE / "LC_MESSAGES" / "messages.po"
OVERRIDES = TRANSLATIONS / CYRILLIC_LOCALE / "overrides.txt"
WIDTH = 120  # as `pybabel update --width 120` writes the Latin catalogue (Makefile, `messages`)

# Python %-format and str.format placeholders: %(name)s, %(n)d, %s, %%, {name}, {0}, {}.
PLACEHOLDER = re.compile(r"%(?:\(\w+\))?[#0+-]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa%]|\{[\w.\[\]]*(?:![rsa])?(?::[^{}]*)?\}")
HTML_TAG = re.compile(r"</?[A-Za-z][\w-]*(?:\s[^<>]*)?/?>")
_PROTECTED = re.compile(
    "|".join(
        (
            PLACEHOLDER.pattern,
            HTML_TAG.pattern,
            r"&(?:[A-Za-z]\w*|#\d+|#[xX][0-9A-Fa-f]+);",  # entities
            r"(?:https?://|www\.)[^\s<>\"'“”„]*[^\s<>\"'“”„.,;:!?)]",  # URLs, without the sentence's punctuation
            r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+",  # e-mail addresses
            r"(?<![\w.])(?:[a-z0-9-]+\.)+(?:rs|org|com|net|eu|info|io|dev|app)\b",  # host names
            r"(?P<code>(?<![\w-])[A-Za-z0-9]+(?:[-._][A-Za-z0-9]+)*(?![\w-]))",  # model codes, see _is_model_code
        )
    )
)
_READABLE_ATTRIBUTE = re.compile(
    r"""(?P<name>\b(?:title|alt|aria-label|placeholder)\s*=\s*(?P<q>["']))(?P<text>.*?)(?P<end>(?P=q))"""
)
_LETTERS = r"[^\W\d_]"
_WORD = re.compile(_LETTERS + "+")


def _is_model_code(token: str) -> bool:
    """IPC6625-Z30, WGS84, Ed25519, base64: one part mixes letters and digits (12-bitni and SHA-256 do not)."""
    return any(re.search(r"[A-Za-z]", part) and re.search(r"\d", part) for part in re.split(r"[-._]", token))


def split_protected(text: str) -> Iterator[tuple[str, bool]]:
    """The text in parts, each with whether it is left as it is (placeholder, markup, URL, address, model code)."""
    position = 0
    for match in _PROTECTED.finditer(text):
        if match.lastgroup == "code" and not _is_model_code(match.group()):
            continue  # a word or a number, not a code: transliterated with the text around it
        yield text[position : match.start()], False
        yield match.group(), True
        position = match.end()
    yield text[position:], False


@dataclass(frozen=True)
class Overrides:
    """What overrides.txt says: words kept in Latin, and Cyrillic spellings of whole words and of word beginnings."""

    keep: tuple[str, ...] = ()
    spellings: tuple[tuple[str, str], ...] = ()  # (latin, cyrillic); a trailing * on both marks a word beginning

    def as_written(self) -> Overrides:
        """The entries as they read in the Cyrillic catalogue, all kept as they are: to find them there."""
        return Overrides(self.keep + tuple(cyrillic for _, cyrillic in self.spellings))

    def pattern(self) -> tuple[re.Pattern[str], dict[str, tuple[str, str | None]]]:
        """One regex for every case form of every entry, and per group the form and what it becomes (None: itself)."""
        forms: dict[str, str | None] = {}
        for latin in self.keep:
            forms.update(dict.fromkeys(_case_forms(latin)))
        for latin, cyrillic in self.spellings:
            forms.update(zip(_case_forms(latin), _case_forms(cyrillic), strict=True))
        if not forms:
            return re.compile(r"(?!)"), forms
        ordered = sorted(forms, key=len, reverse=True)  # the longest entry wins: "Open Database License" over "Open"
        alternatives = [
            re.escape(form.rstrip("*")).replace(r"\ ", r"\s+") + (_LETTERS + "*" if form.endswith("*") else "")
            for form in ordered
        ]
        regex = rf"(?<!{_LETTERS})(?:" + "|".join(f"(?P<o{i}>{a})" for i, a in enumerate(alternatives))
        return re.compile(regex + rf")(?!{_LETTERS})"), {f"o{i}": (form, forms[form]) for i, form in enumerate(ordered)}


def _case_forms(entry: str) -> list[str]:
    """The entry as written, Capitalised (when written in lower case) and in UPPER case."""
    forms = [entry]
    if entry[:1].islower():
        forms.append(entry[0].upper() + entry[1:])
    forms.append(entry.upper())
    return forms


def load_overrides(path: Path = OVERRIDES) -> Overrides:
    """Read overrides.txt: `word` keeps a word or phrase in Latin, `latin = ћирилица` spells it (format: the file)."""
    keep: list[str] = []
    spellings: list[tuple[str, str]] = []
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        if "=" not in line:
            keep.append(line)
            continue
        latin, cyrillic = (side.strip() for side in line.split("=", 1))
        if not latin or not cyrillic or latin.endswith("*") != cyrillic.endswith("*"):
            raise ValueError(f"{path}:{number}: expected `latin = ћирилица`, both or neither ending in *: {raw!r}")
        spellings.append((latin, cyrillic))
    return Overrides(tuple(keep), tuple(spellings))


class Transliterator:
    """Serbian Latin text to Cyrillic, leaving alone what is not Serbian text (see the module's docstring)."""

    def __init__(self, overrides: Overrides) -> None:
        self._overrides, self._replacements = overrides.pattern()

    def __call__(self, text: str) -> str:
        """The Cyrillic of one msgstr."""
        return "".join(
            self._protected(part) if protected else self._words(part) for part, protected in split_protected(text)
        )

    def _protected(self, part: str) -> str:
        """A protected part as it is, except the text a reader sees in a tag's title, alt or aria-label."""
        if not HTML_TAG.fullmatch(part):
            return part
        return _READABLE_ATTRIBUTE.sub(lambda m: m.group("name") + self._words(m.group("text")) + m.group("end"), part)

    def _words(self, text: str) -> str:
        out: list[str] = []
        position = 0
        for match in self._overrides.finditer(text):
            out.append(_WORD.sub(_word, text[position : match.start()]))
            latin, replacement = self._replacements[match.lastgroup]
            if replacement is None:
                out.append(match.group())
            elif replacement.endswith("*"):  # a word beginning: the rest of the word is transliterated
                out.append(replacement[:-1] + _word_text(match.group()[len(latin) - 1 :]))
            else:
                out.append(replacement)
            position = match.end()
        out.append(_WORD.sub(_word, text[position:]))
        return "".join(out)


def _word(match: re.Match[str]) -> str:
    return _word_text(match.group())


def _word_text(word: str) -> str:
    # cyrtranslit reads LJ, NJ and DŽ as two letters (Л+Ј): an UPPER-case word goes through in lower case.
    if len(word) > 1 and word.isupper():
        return cyrtranslit.to_cyrillic(word.lower(), "sr").upper()
    return cyrtranslit.to_cyrillic(word, "sr")


def cyrillic_catalogue(latin: Catalog, transliterate: Transliterator) -> Catalog:
    """The Latin catalogue with every msgstr transliterated and the header saying Cyrillic and generated."""
    catalogue = copy.deepcopy(latin)
    catalogue.locale = CYRILLIC_LOCALE
    catalogue.language_team = latin.language_team.replace(LATIN_LOCALE, CYRILLIC_LOCALE)
    comment = latin.header_comment.splitlines()
    catalogue.header_comment = "\n".join(
        [
            "# Serbian (Cyrillic) translations for hiljade-kamera.",
            f"# Made from {LATIN_LOCALE}/LC_MESSAGES/messages.po by `make cyrillic` (scripts/cyrillic_catalogue.py):",
            f"# edit the Latin catalogue or {CYRILLIC_LOCALE}/overrides.txt, never this file.",
            *comment[1:],
        ]
    )
    for message in catalogue:
        if not message.id:
            continue
        forms = tuple(transliterate(form) for form in msgstr_forms(message))
        message.string = forms if isinstance(message.string, (list, tuple)) else forms[0]
    return catalogue


def render(catalogue: Catalog) -> bytes:
    """The .po file's bytes, written as the Latin catalogue is."""
    buffer = io.BytesIO()
    write_po(buffer, catalogue, width=WIDTH, ignore_obsolete=True)
    return buffer.getvalue()


def generate(latin_po: Path = LATIN_PO, overrides: Path = OVERRIDES) -> bytes:
    """The Cyrillic catalogue's bytes generated from the Latin .po file."""
    with latin_po.open("rb") as file:
        latin = read_po(file, locale=LATIN_LOCALE)
    return render(cyrillic_catalogue(latin, Transliterator(load_overrides(overrides))))


def uncovered_text(text: str, written_overrides: re.Pattern[str]) -> str:
    """A generated msgstr without its protected parts and override words: what must all be Cyrillic."""
    return " ".join(written_overrides.sub(" ", part) for part, protected in split_protected(text) if not protected)


def latin_words(text: str) -> set[str]:
    """The words of the text that have a Latin letter."""
    return {word for word in _WORD.findall(text) if re.search(r"[A-Za-zčćžšđČĆŽŠĐ]", word)}


def main() -> int:
    started = time.perf_counter()
    po = generate()
    seconds = time.perf_counter() - started
    CYRILLIC_PO.parent.mkdir(parents=True, exist_ok=True)
    CYRILLIC_PO.write_bytes(po)
    catalogue = read_po(io.BytesIO(po))
    written, _ = load_overrides().as_written().pattern()
    strings = [text for message in catalogue if message.id for text in msgstr_forms(message)]
    uncovered = " ".join(uncovered_text(text, written) for text in strings)
    print(f"{CYRILLIC_PO.relative_to(TRANSLATIONS.parent.parent)}: {len(catalogue)} messages in {seconds:.2f} s")
    if words := latin_words(uncovered):
        print("Latin words no override explains (add them to overrides.txt?):", " ".join(sorted(words)))
    return 0


def msgstr_forms(message: Message) -> tuple[str, ...]:
    """A message's msgstr, or its plural forms."""
    return tuple(message.string) if isinstance(message.string, (list, tuple)) else (message.string,)


if __name__ == "__main__":
    sys.exit(main())
