"""Four interface languages, chosen by the URL (?lang=) or else by Accept-Language; names in the reader's script."""

import re

import pytest
from babel.numbers import format_decimal as babel_decimal
from flask_babel import get_locale

from app.i18n import TAGS, format_number, locale_for


def _html_lang(html: str) -> str:
    return re.search(r'<html lang="([^"]+)"', html).group(1)


def test_serbian_latin_is_the_default(client):
    html = client.get("/about").get_data(as_text=True)

    assert _html_lang(html) == "sr-Latn"
    assert "O projektu" in html


@pytest.mark.parametrize(
    ("tag", "locale"),
    [
        ("sr-Latn", "sr_Latn"),
        ("sr", "sr_Latn"),
        ("sr-RS", "sr_Latn"),
        ("sr-Latn-RS", "sr_Latn"),
        ("sr-Cyrl", "sr_Cyrl"),
        ("SR-cyrl-rs", "sr_Cyrl"),
        ("sr_Cyrl", "sr_Cyrl"),
        ("sq", "sq"),
        ("sq-XK", "sq"),
        ("sq-AL", "sq"),
        ("en-GB", "en"),
        ("de", None),
        ("", None),
        ("x" * 100, None),
    ],
)
def test_bcp47_tags_map_to_our_four_languages(tag, locale):
    assert locale_for(tag) == locale


@pytest.mark.parametrize(
    ("tag", "words"),
    [("sr-Latn", "O projektu"), ("sr-Cyrl", "О пројекту"), ("sq", "Rreth projektit"), ("en", "About")],
)
def test_every_language_is_a_url_and_every_link_keeps_it(client, tag, words):
    response = client.get(f"/about?lang={tag}")
    html = response.get_data(as_text=True)

    assert _html_lang(html) == tag
    assert words in html
    assert "Accept-Language" not in response.headers.get("Vary", "")
    assert "Set-Cookie" not in response.headers
    # The navigation and the brand link carry the language, so the next page is in it too.
    assert f'href="/report?lang={tag}"' in html and f'href="/?lang={tag}"' in html


def test_accept_language_chooses_when_the_url_does_not_and_says_so(client):
    cases = {"sr-Cyrl-RS,sr;q=0.8": "sr-Cyrl", "sq-XK": "sq", "en-GB,en;q=0.9": "en", "sr": "sr-Latn", "de": "sr-Latn"}
    for header, tag in cases.items():
        response = client.get("/about", headers={"Accept-Language": header})
        assert _html_lang(response.get_data(as_text=True)) == tag, header
        assert "Accept-Language" in response.headers["Vary"]


def test_the_url_wins_over_accept_language_and_nothing_is_remembered(client):
    assert _html_lang(client.get("/about?lang=en", headers={"Accept-Language": "sq"}).get_data(as_text=True)) == "en"
    assert _html_lang(client.get("/about").get_data(as_text=True)) == "sr-Latn"


def test_an_unavailable_language_says_so_in_serbian(client):
    html = client.get("/about?lang=xx", headers={"Accept-Language": "en"}).get_data(as_text=True)

    assert _html_lang(html) == "sr-Latn"
    assert "„xx“" in html or "“xx”" in html
    assert html.count('class="notice language-notice"') == 1


def test_hreflang_alternates_are_this_page_in_each_language_with_its_query_kept(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "PUBLIC_ORIGIN", "https://hiljadekamera.example http://abc.onion")
    html = client.get("/municipalities/?measure=cameras_per_10k&lang=en", headers={"Host": "evil.example"}).get_data(
        as_text=True
    )

    alternates = dict(re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">', html))
    assert set(alternates) == {"sr-Latn", "sr-Cyrl", "sq", "en"}
    # Absolute, as search engines require, on the public origin: never on the Host the request named.
    assert alternates["sq"] == "https://hiljadekamera.example/municipalities/?measure=cameras_per_10k&amp;lang=sq"


def test_municipality_names_follow_the_readers_language_and_script(client):
    pages = {
        tag: client.get(f"/municipalities/?lang={tag}").get_data(as_text=True)
        for tag in ("sr-Latn", "sr-Cyrl", "sq", "en")
    }

    assert ">Gnjilane<" in pages["sr-Latn"] and ">Гњилане<" in pages["sr-Cyrl"]
    assert ">Gjilan<" in pages["sq"] and ">Gjilan<" in pages["en"]
    # Serbian units stay in Latin on Albanian pages; Cyrillic on Cyrillic ones.
    assert ">Bečej<" in pages["sq"] and ">Бечеј<" in pages["sr-Cyrl"]
    assert ">Gjilan<" not in pages["sr-Latn"]


def test_labels_built_at_import_time_are_translated_per_request(client):
    serbian = client.get("/report?lang=sr-Latn").get_data(as_text=True)
    english = client.get("/report?lang=en").get_data(as_text=True)

    assert "Prepoznavanje lica" in serbian and "Facial recognition" not in serbian
    assert "Facial recognition" in english


@pytest.mark.parametrize(("tag", "english"), [("sq", "Longitude must be"), ("sr-Cyrl", "Longitude must be")])
def test_a_report_refused_without_javascript_explains_itself_in_the_pages_language(client, tag, english):
    from tests.web import post_report

    response = post_report(client, {"lat": "44.8", "lon": "200"}, action=f"/report?lang={tag}")
    html = response.get_data(as_text=True)

    assert response.status_code == 422 and _html_lang(html) == tag
    assert english not in html


@pytest.mark.parametrize("tag", ["sr-Latn", "sr-Cyrl", "sq", "en"])
def test_the_json_error_envelope_speaks_the_language_of_the_request(client, tag):
    from flask_babel import force_locale

    from app.i18n import locale_for

    envelope = client.get(f"/api/v1/nearby?lat=x&lon=1&lang={tag}").get_json()["error"]
    with client.application.test_request_context(), force_locale(locale_for(tag)):
        from flask_babel import gettext

        expected = gettext("Latitude and longitude must be numbers in range.")
    assert envelope["message"] == expected
    assert (expected == "Latitude and longitude must be numbers in range.") == (tag == "en")


def test_language_free_answers_keep_one_address_and_pages_keep_the_language(app):
    from flask import url_for

    from app.i18n import day

    with app.test_request_context("/?lang=sq"):
        assert url_for("cameras.photo", camera_id=1, photo_id=2, size="thumb") == "/cameras/1/photos/2/thumb"
        assert url_for("moderation.photo", photo_id=2, variant="display") == "/moderation/photos/2/display"
        assert url_for("api.cameras_in_viewport") == "/api/v1/cameras"
        assert re.fullmatch(r"/static/css/site\.css\?v=[0-9a-f]{12}", url_for("static", filename="css/site.css"))
        # Pages, and JSON whose words are in the reader's language, carry it.
        assert url_for("cameras.detail", camera_id=1) == "/cameras/1?lang=sq"
        assert url_for("moderation.camera", camera_id=1) == "/moderation/cameras/1?lang=sq"
        assert url_for("api.nearby") == "/api/v1/nearby?lang=sq"
        assert str(day(None)) == "–"


@pytest.mark.parametrize("locale", list(TAGS))
def test_counts_are_written_as_babel_writes_them_in_every_language(app, locale):
    """format_number writes counts without Babel (the ranking has 4,500 of them): the same text, separator and all."""
    counts = [0, 7, 999, 1000, 9999, 10_000, 43_922, 999_999, 1_000_000, 123_456_789]
    with app.test_request_context(f"/?lang={TAGS[locale]}"):
        assert str(get_locale()) == locale
        assert [format_number(n) for n in counts] == [babel_decimal(n, format="#,##0", locale=locale) for n in counts]
        assert format_number(1234.5, 1) == babel_decimal(1234.5, format="#,##0.0", locale=locale)
