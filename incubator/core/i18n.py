"""Languages, dates in WIB and money in Rupiah.

The language comes from `?lang=` (remembered in a long-lived cookie), then the
signed-in user's saved choice, then Bahasa Indonesia.
"""

from datetime import UTC, date, datetime
from decimal import ROUND_HALF_UP, Decimal
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from flask import Flask, current_app, request
from flask_babel import format_date, format_datetime, format_decimal, get_locale
from flask_login import current_user

from incubator.extensions import babel

LANG_COOKIE = "lang"
LANG_COOKIE_AGE = 60 * 60 * 24 * 365


def _requested_language() -> str | None:
    lang = request.args.get("lang")
    return lang if lang in current_app.config["LANGUAGES"] else None


def select_locale() -> str:
    if request:
        lang = _requested_language() or request.cookies.get(LANG_COOKIE)
        if lang in current_app.config["LANGUAGES"]:
            return lang
        if getattr(current_user, "is_authenticated", False) and current_user.locale:
            return current_user.locale
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def current_language() -> str:
    return str(get_locale() or current_app.config["BABEL_DEFAULT_LOCALE"])


def format_wib(value: datetime | None, fmt: str = "medium") -> str:
    """A timestamp in Asia/Jakarta time, with the zone named, e.g. `23 Nov 2026 18.04 WIB`."""
    if value is None:
        return ""
    pattern = {"short": "d MMM yyyy HH.mm", "medium": "d MMM yyyy HH.mm", "long": "d MMMM yyyy HH.mm"}
    return f"{format_datetime(value, pattern.get(fmt, fmt))} WIB"


WIB = ZoneInfo("Asia/Jakarta")


def wib_to_utc(value: datetime | None) -> datetime | None:
    """A wall-clock time typed in WIB (naive, from a form) as an aware UTC datetime."""
    if value is None:
        return None
    return value.replace(tzinfo=WIB).astimezone(UTC)


def utc_to_wib(value: datetime | None) -> datetime | None:
    """An aware datetime as naive WIB wall-clock time, to pre-fill a form field."""
    if value is None:
        return None
    return value.astimezone(WIB).replace(tzinfo=None)


def format_day(value: date | datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return format_datetime(value, "d MMMM yyyy")
    return format_date(value, "d MMMM yyyy")


def format_rupiah(amount: int | float | Decimal | None) -> str:
    """Whole Rupiah with the language's grouping: `Rp 1.500.000` (id), `Rp 1,500,000` (en)."""
    if amount is None:
        return ""
    whole = Decimal(str(amount)).quantize(Decimal("1"), rounding=ROUND_HALF_UP)
    sign = "-" if whole < 0 else ""
    return f"{sign}Rp {format_decimal(abs(whole), format='#,##0')}"


def lang_url(code: str) -> str:
    """This page's address in another language (other query arguments kept)."""
    args = request.args.to_dict(flat=False)
    args["lang"] = [code]
    return request.path + "?" + urlencode(args, doseq=True)


def _remember_language(response):
    lang = _requested_language() if request else None
    if lang:
        response.set_cookie(
            LANG_COOKIE,
            lang,
            max_age=LANG_COOKIE_AGE,
            httponly=True,
            samesite="Lax",
            secure=current_app.config.get("SESSION_COOKIE_SECURE", False),
        )
    return response


def init_app(app: Flask) -> None:
    babel.init_app(app, locale_selector=select_locale)
    app.after_request(_remember_language)
    app.jinja_env.add_extension("jinja2.ext.do")
    app.add_template_global(lang_url, "lang_url")
    app.add_template_filter(format_wib, "wib")
    app.add_template_filter(format_day, "day")
    app.add_template_filter(format_rupiah, "rupiah")

    @app.context_processor
    def _language_context():
        return {"current_language": current_language(), "languages": app.config["LANGUAGES"]}
