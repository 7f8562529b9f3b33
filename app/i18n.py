"""Language choice: Serbian Latin by default, Serbian Cyrillic, Albanian and English; the language is in the URL.

A page's language is `?lang=` with a BCP 47 tag (`sr-Latn`, `sr-Cyrl`, `sq`, `en`). Every link and form the
site writes carries it (a URL default), so caches key on the URL and `hreflang` alternates are real addresses.
A request without `?lang=` is answered in the best language its Accept-Language names, and says
`Vary: Accept-Language`. No cookie remembers the choice: the URL does.
"""

import functools
from collections.abc import Callable
from urllib.parse import urlencode

from babel.numbers import get_group_symbol
from flask import Flask, Response, current_app, has_request_context, request
from flask_babel import format_date, format_datetime, format_decimal, format_time, get_locale
from markupsafe import Markup

# Babel locale -> BCP 47 tag, in the switcher's order.
TAGS = {"sr_Latn": "sr-Latn", "sr_Cyrl": "sr-Cyrl", "sq": "sq", "en": "en"}
DEFAULT = "sr_Latn"
# Endpoints whose answer does not depend on the language: no ?lang= on their URLs, so one copy is cached.
LANGUAGE_FREE_BLUEPRINTS = ("assets.", "basemap.", "tiles.", "photos.")
LANGUAGE_FREE_ENDPOINTS = frozenset(
    {
        "static",
        "cameras.photo",
        "moderation.photo",
        "api.cameras_in_viewport",
        "api.municipalities_geojson",
        "api.openapi_json",
        "health.healthz",
    }
)
MAX_TAG = 35  # RFC 5646's practical limit on a language tag


def locale_for(tag: str | None) -> str | None:
    """The Babel locale a BCP 47 tag asks for, or None: sr and sr-Latn(-RS) Latin, sr-Cyrl(-RS) Cyrillic,
    sq(-XK, -AL) Albanian, en(-*) English. Case and `_` for `-` do not matter."""
    if not tag or len(tag) > MAX_TAG:
        return None
    parts = [part.lower() for part in tag.replace("_", "-").split("-") if part]
    if not parts:
        return None
    language, rest = parts[0], parts[1:]
    if language == "sr":
        return "sr_Cyrl" if "cyrl" in rest else "sr_Latn"
    if language in ("sq", "en"):
        return language
    return None


def _accepted() -> str | None:
    for tag, _quality in request.accept_languages:  # best first
        if (locale := locale_for(tag)) is not None:
            return locale
    return None


def select_locale() -> str:
    """The request's language: `?lang=`, else Accept-Language, else Serbian Latin."""
    if not has_request_context():  # CLI commands speak the default language
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    asked = request.args.get("lang")
    if asked is not None:
        return locale_for(asked) or DEFAULT
    return _accepted() or DEFAULT


def current_tag() -> str:
    locale = get_locale()
    return TAGS.get(str(locale), TAGS[DEFAULT]) if locale else TAGS[DEFAULT]


def unavailable_language() -> str | None:
    """The tag a visitor asked for with ?lang= that we do not have (shown in a one-line notice), or None."""
    asked = request.args.get("lang")
    if asked is None or locale_for(asked) is not None:
        return None
    return asked[:MAX_TAG]


def url_in(tag: str) -> str:
    """This page's URL in another language: the same path and query string, `lang` replaced."""
    query = [(key, value) for key, value in request.args.items(multi=True) if key != "lang"]
    return request.path + "?" + urlencode([*query, ("lang", tag)])


def alternates() -> list[tuple[str, str, str]]:
    """(tag, name, URL) of this page in every language, for the switcher and `<link rel="alternate" hreflang>`."""
    names = current_app.config["LANGUAGES"]
    return [(tag, names[locale], url_in(tag)) for locale, tag in TAGS.items() if locale in names]


def public_url(path: str) -> str:
    """An absolute URL on the site's public origin (the first of PUBLIC_ORIGIN), never on whatever Host was sent:
    `<link rel="alternate" hreflang>` must be absolute for search engines."""
    origin = current_app.config["PUBLIC_ORIGIN"].split()[0].rstrip("/")
    return origin + path


def is_language_free(endpoint: str | None) -> bool:
    """Whether a response is the same in every language (tiles, photos, assets, data): its URL has no ?lang=."""
    return endpoint is not None and (
        endpoint in LANGUAGE_FREE_ENDPOINTS or endpoint.startswith(LANGUAGE_FREE_BLUEPRINTS)
    )


def _add_language(endpoint: str, values: dict) -> None:
    if not has_request_context() or "lang" in values or endpoint is None or is_language_free(endpoint):
        return
    values["lang"] = current_tag()


def _vary(response: Response) -> Response:
    if "lang" not in request.args and not is_language_free(request.endpoint):
        response.vary.add("Accept-Language")
    return response


def format_number(value: float | int | None, digits: int = 0) -> str:
    """A number in the reader's language: 30.681 and 490,3 in Serbian, 30,681 and 490.3 in English."""
    if value is None:
        return "–"
    if not digits and isinstance(value, int) and value >= 0:
        return count_formatter()(value)
    pattern = "#,##0" + ("." + "0" * digits if digits else "")
    return format_decimal(value, format=pattern)


def count_formatter() -> Callable[[int | float | None], str]:
    """format_number for whole numbers in the reader's language, the language looked up once: for a table of
    thousands of counts (the ranking's 4,500), where Babel's 10 µs and the locale's lookup per cell add up to tens
    of milliseconds. Python groups the digits and the locale's separator replaces the comma, as Babel writes it."""
    group = _group_symbol(current_locale())

    def count(value: int | float | None) -> str:
        if isinstance(value, int) and value >= 0:
            return f"{value:,}".replace(",", group)
        return format_number(value)

    return count


@functools.cache
def _group_symbol(locale: str) -> str:
    return get_group_symbol(locale)


def day(value) -> Markup:
    """A day as the reader writes it (1. 12. 2026. in Serbian, Dec 1, 2026 in English), machine-readable too;
    "–" for no day (a sighting decided before decision days were kept)."""
    if value is None:
        return Markup("–")
    return Markup('<time datetime="{}">{}</time>').format(value.isoformat(), format_date(value, format="medium"))


def moment(value) -> Markup:
    """A moment in the site's time zone, as the reader writes it (moderators' log)."""
    return Markup('<time datetime="{}">{}</time>').format(value.isoformat(), format_datetime(value, format="short"))


def clock(value) -> Markup:
    """A time of today in the site's time zone, as the reader writes it (10:42): when a moderator opened an item."""
    return Markup('<time datetime="{}">{}</time>').format(value.isoformat(), format_time(value, format="short"))


# The name field a page in each locale prefers for a municipality ("name", Serbian Latin, where it has none).
PLACE_NAME_FIELDS = {"sr_Cyrl": "name_cyrillic", "sq": "name_sq", "en": "name_en"}
# PostgreSQL's ICU collations: names sorted as the reader's alphabet sorts them (Č after C, Љ after Л).
COLLATIONS = {"sr_Latn": "sr-Latn-x-icu", "sr_Cyrl": "sr-Cyrl-x-icu", "sq": "sq-x-icu", "en": "en-x-icu"}


def place_name(place) -> str:
    """A municipality's name in the reader's language and script (a model or a row of the density query).

    Serbian Latin and Albanian pages name Serbian units in Latin; Kosovo units are Albanian on Albanian pages,
    Serbian elsewhere (Cyrillic on Cyrillic pages); English pages use the English name where the data has one.
    """

    def field(name: str) -> str | None:
        return place.get(name) if isinstance(place, dict) else getattr(place, name, None)

    preferred = PLACE_NAME_FIELDS.get(current_locale())
    return (field(preferred) if preferred else None) or field("name") or ""


def current_locale() -> str:
    """The reader's locale as Babel names it (sr_Latn, sr_Cyrl, sq, en); the default outside a request."""
    return str(get_locale() or DEFAULT) if has_request_context() else DEFAULT


def init_app(app: Flask) -> None:
    app.url_defaults(_add_language)
    app.after_request(_vary)
    app.jinja_env.filters["number"] = format_number
    app.jinja_env.filters["place_name"] = place_name
    app.jinja_env.filters["day"] = day
    app.jinja_env.filters["moment"] = moment
    app.jinja_env.filters["clock"] = clock
    app.jinja_env.globals.update(
        html_lang=current_tag,
        language_alternates=alternates,
        unavailable_language=unavailable_language,
        public_url=public_url,
        count_formatter=count_formatter,
    )
