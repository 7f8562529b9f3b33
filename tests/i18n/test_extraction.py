"""Every message the code and templates use is in messages.pot, so no string reaches a page untranslated."""

from pathlib import Path

from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]


def test_the_catalogue_template_holds_every_message_in_the_code():
    with (ROOT / "babel.cfg").open() as config:
        method_map, options_map = parse_mapping_cfg(config)
    keywords = {**DEFAULT_KEYWORDS, "_l": None, "lazy_gettext": None}
    used = {
        message if isinstance(message, str) else message[0]
        for _file, _line, message, _comments, _context in extract_from_dir(
            ROOT, method_map, options_map, keywords=keywords
        )
    }
    with (ROOT / "app/translations/messages.pot").open("rb") as template:
        extracted = {message.id if isinstance(message.id, str) else message.id[0] for message in read_po(template)}

    assert used, "nothing was extracted: the mapping in babel.cfg no longer matches the code"
    assert sorted(used - extracted - {""}) == [], "run `make messages` and translate the new entries"
