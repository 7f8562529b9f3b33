"""A crawl of every public page, the report flow and the moderation pages in each of the four languages.

What a reader sees (text nodes, placeholders, labels, button values) must be in the page's language: no text may
be an English message id that the language translates, and a Cyrillic page is written in Cyrillic (at least
95 % of its letters, brand and model names, URLs and code aside). The crawl is also the page list that other
checks of every page (the base map, phone layout) reuse: tests/browser/crawl.py.
"""

import re
from pathlib import Path

from babel.messages.pofile import read_po

from scripts.cyrillic_catalogue import load_overrides
from tests.browser.crawl import GNJILANE_CODE, crawl_paths, seed_crawl, visit
from tests.browser.test_moderation import sign_in

TRANSLATIONS = Path(__file__).resolve().parents[2] / "app" / "translations"
LANGUAGES = {"sr-Latn": "sr_Latn", "sr-Cyrl": "sr_Cyrl", "sq": "sq", "en": "en"}

# Everything a reader sees: visible text nodes, the words of controls (placeholders, labels, buttons, alt) and the
# messages the page's scripts will show.
# Code and keyboard keys, the map's attribution line (licences and proper names), Leaflet's scale (the SI unit
# symbols km and m), text marked translate=no (source credits quoted as the licensor words them) and text marked
# lang= another language (the language switcher's names) are not the page's language.
VISIBLE_TEXT = """() => {
  const page = document.documentElement.lang;
  const foreign = (el) => { const marked = el.closest("[lang]"); return marked && marked.lang !== page; };
  const skip = "code, pre, kbd, script, style, noscript, [translate=no], "
    + ".leaflet-control-attribution, .leaflet-control-scale";
  const texts = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const el = walker.currentNode.parentElement;
    if (!el || el.closest(skip) || foreign(el) || !el.checkVisibility()) { continue; }
    const text = walker.currentNode.textContent.replace(/\\s+/g, " ").trim();
    if (text) { texts.push(text); }
  }
  document.querySelectorAll("[placeholder], [aria-label], [title], img[alt], input[type=submit], input[type=button]")
    .forEach((el) => {
      if (el.closest(skip) || foreign(el)) { return; }
      for (const name of ["placeholder", "aria-label", "title", "alt"]) {
        const value = (el.getAttribute(name) || "").trim();
        if (value) { texts.push(value); }
      }
      if (el.matches("input[type=submit], input[type=button]") && el.value.trim()) { texts.push(el.value.trim()); }
    });
  // What the scripts will show (offline and outbox messages, map labels) is written in data-msg-* and data-label-*.
  document.querySelectorAll("*").forEach((el) => {
    for (const attribute of el.attributes) {
      if (/^data-(msg|label)-/.test(attribute.name) && attribute.value.trim()) { texts.push(attribute.value.trim()); }
    }
  });
  return texts;
}"""

LATIN_TOKEN = re.compile(r"https?://\S+|\S+@\S+|\S*\d\S*|[\w.-]+\.(?:org|rs|com|net|json|csv|geojson|osm)\b")


# Pages kept as screenshots (test-artifacts/lang-<page>-<tag>-desktop.png) for a reader to look at.
SHOWN = {"/": "map", f"/municipalities/{GNJILANE_CODE}": "gnjilane", "/moderation": "queue"}


def _catalogue(locale: str) -> dict[str, str]:
    with (TRANSLATIONS / locale / "LC_MESSAGES" / "messages.po").open("rb") as source:
        return {m.id: m.string for m in read_po(source) if isinstance(m.id, str) and m.id}


def _untranslated_ids(locale: str) -> set[str]:
    """English message ids this language translates differently: seeing one on its page is a missed string."""
    return {msgid.strip() for msgid, msgstr in _catalogue(locale).items() if msgstr and msgstr != msgid}


def _cyrillic_share(texts: list[str], kept_latin: set[str]) -> float:
    letters = cyrillic = 0
    for text in texts:
        text = LATIN_TOKEN.sub(" ", text)
        for word in re.findall(r"[^\W\d_]+", text):
            if word in kept_latin or word.lower() in kept_latin:
                continue
            letters += len(word)
            cyrillic += sum("\u0400" <= char <= "\u04ff" for char in word)

    return cyrillic / letters if letters else 1.0


def _texts(page, url: str) -> list[str]:
    visit(page, url, frames=False)  # the text is the page's; the framed map's labels are checked elsewhere
    return page.evaluate(VISIBLE_TEXT)


def test_every_page_speaks_the_language_its_url_names(live_server, desktop):
    camera, confirmed, pending, admin = seed_crawl()
    paths = crawl_paths(camera.id, pending.id, confirmed.reference)
    kept_latin = {word.lower() for phrase in load_overrides().keep for word in phrase.split()}
    page = desktop.page
    missed, scripts, counts, errors = [], {}, {}, []
    page.on("pageerror", lambda error: errors.append(f"{page.url}: {error}"))

    def crawl(group: str) -> None:
        for tag, locale in LANGUAGES.items():
            english = _untranslated_ids(locale) if locale != "en" else set()
            for path in paths[group]:
                url = f"{live_server}{path}{'&' if '?' in path else '?'}lang={tag}"
                texts = _texts(page, url)
                assert page.evaluate("document.documentElement.lang") == tag, url
                counts[tag] = counts.get(tag, 0) + 1
                if path in SHOWN:
                    desktop.screenshot(f"lang-{SHOWN[path]}-{tag}")
                missed.extend(f"{tag} {path}: {text!r}" for text in texts if text in english)
                if tag == "sr-Cyrl":
                    scripts[path] = _cyrillic_share(texts, kept_latin)

    crawl("public")
    sign_in(page, live_server, admin)
    page.wait_for_url("**/moderation?lang=*")
    crawl("moderation")

    assert errors == []  # a script that fails leaves the page half in the server's words
    assert missed == []
    assert {path: share for path, share in scripts.items() if share < 0.95} == {}
    assert counts == {tag: len(paths["public"]) + len(paths["moderation"]) for tag in LANGUAGES}
    assert desktop.foreign_requests(live_server) == []


def test_the_switcher_keeps_the_map_where_the_reader_left_it(live_server, desktop):
    page = desktop.page
    page.goto(f"{live_server}/?lang=en&layer=density")
    page.wait_for_selector("#map[data-municipalities-loaded]", state="attached")
    page.wait_for_function("new URLSearchParams(location.search).get('map') !== null")
    before = page.evaluate("new URLSearchParams(location.search).get('map')")
    page.evaluate("document.querySelector('.leaflet-control-zoom-in').click()")
    # The zoom has ended when the address changes (a function: the page's CSP forbids evaluating strings).
    page.wait_for_function("(before) => new URLSearchParams(location.search).get('map') !== before", arg=before)
    page.wait_for_timeout(300)  # and nothing else is moving
    here = page.evaluate("new URLSearchParams(location.search).get('map')")

    page.click("nav.lang a[hreflang=sq]")
    page.wait_for_url("**lang=sq**")

    query = page.evaluate("Object.fromEntries(new URLSearchParams(location.search))")
    assert query["map"] == here and query["layer"] == "density"
    assert page.evaluate("document.documentElement.lang") == "sq"
    assert page.get_attribute(".leaflet-control-zoom-in", "title") != "Zoom in"
