"""Language choice: Serbian (Latin) by default, English on request (?lang=en, remembered in a cookie)."""

from flask import Flask, Response, current_app, has_request_context, request
from flask_babel import format_decimal, get_locale

COOKIE = "lang"


def _supported(value: str | None) -> str | None:
    if not value:
        return None
    value = value.replace("-", "_")
    languages = current_app.config["LANGUAGES"]
    if value in languages:
        return value
    if value.split("_")[0] == "sr":
        return "sr_Latn"
    if value.split("_")[0] == "en":
        return "en"
    return None


def select_locale() -> str:
    """The request's language: explicit choice, then cookie, then Accept-Language, then Serbian."""
    if not has_request_context():  # CLI commands speak the default language
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    explicit = _supported(request.args.get("lang")) or _supported(request.cookies.get(COOKIE))
    if explicit:
        return explicit
    best = request.accept_languages.best_match(["sr", "sr-Latn", "en"])
    return _supported(best) or current_app.config["BABEL_DEFAULT_LOCALE"]


def _remember_choice(response: Response) -> Response:
    chosen = _supported(request.args.get("lang"))
    if chosen and request.cookies.get(COOKIE) != chosen:
        response.set_cookie(COOKIE, chosen, max_age=365 * 24 * 3600, samesite="Lax", httponly=True)
    return response


def html_lang() -> str:
    locale = get_locale()
    return "sr-Latn" if locale and locale.language == "sr" else (locale.language if locale else "sr-Latn")


def format_number(value: float | int | None, digits: int = 0) -> str:
    """A number in the reader's language: 30.681 and 490,3 in Serbian, 30,681 and 490.3 in English."""
    if value is None:
        return "–"
    pattern = "#,##0" + ("." + "0" * digits if digits else "")
    return format_decimal(value, format=pattern)


def init_app(app: Flask) -> None:
    app.jinja_env.filters["number"] = format_number
    app.after_request(_remember_choice)
    app.jinja_env.globals["html_lang"] = html_lang
