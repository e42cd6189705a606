"""Languages, dates in WIB and money in Rupiah.

The language comes from `?lang=` (remembered in a long-lived cookie, and on the signed-in
user's account, see incubator.auth.access), then the signed-in user's saved choice, then
Bahasa Indonesia. The saved choice is also the language of the user's e-mails.
"""

from datetime import UTC, date, datetime
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from babel import Locale
from babel.numbers import get_decimal_symbol, get_group_symbol, get_minus_sign_symbol
from flask import Flask, current_app, g, request
from flask_babel import Domain, format_datetime, get_domain, get_locale, get_translations
from flask_login import current_user
from jinja2 import pass_eval_context
from markupsafe import Markup, escape

from incubator.extensions import babel

LANG_COOKIE = "lang"
LANG_COOKIE_AGE = 60 * 60 * 24 * 365


def _requested_language() -> str | None:
    lang = request.args.get("lang")
    return lang if lang in current_app.config["LANGUAGES"] else None


def chosen_language() -> str | None:
    """The language this visitor chose (`?lang=` now, or the cookie it left), None if they never did."""
    if not request:
        return None
    lang = _requested_language() or request.cookies.get(LANG_COOKIE)
    return lang if lang in current_app.config["LANGUAGES"] else None


def requested_language() -> str | None:
    """The language this request switches to with `?lang=`, if any."""
    return _requested_language() if request else None


def select_locale() -> str:
    if request:
        lang = _requested_language() or request.cookies.get(LANG_COOKIE)
        if lang in current_app.config["LANGUAGES"]:
            return lang
        if getattr(current_user, "is_authenticated", False) and current_user.locale:
            return current_user.locale
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def _kept() -> tuple | None:
    """(locale, translations, language code) of this request, worked out once per locale.

    Flask-Babel looks the translations up anew for every message, through a dozen lookups of
    the request context; a page says a hundred messages. They are kept next to the locale
    Flask-Babel chose, and worked out again whenever that locale object changes (a
    `force_locale` block, a `refresh`). None outside a request or app context."""
    try:
        state = g._flask_babel
    except (AttributeError, RuntimeError):
        return None
    kept = getattr(state, "incubator_translations", None)
    if kept is not None and kept[0] is getattr(state, "babel_locale", None):
        return kept
    translations = Domain.get_translations(get_domain())  # Flask-Babel's own; also settles state.babel_locale
    locale = state.babel_locale
    kept = state.incubator_translations = (locale, translations, str(locale))
    return kept


def translations():
    """This request's translations (see `_kept`)."""
    kept = _kept()
    return kept[1] if kept else get_translations()


class KeptDomain(Domain):
    """Flask-Babel's message domain, reading the translations kept for the request (`_kept`):
    Python code's `gettext` and the forms' lazy labels then cost what templates' messages do."""

    def get_translations(self):
        kept = _kept()
        return kept[1] if kept else super().get_translations()


def _formatted(autoescape: bool, text: str, variables: dict) -> str:
    """A catalogue text with its placeholders filled, as Jinja's newstyle gettext does. Escaped,
    it equals `Markup(text) % variables`: numbers go in as they are (for `%(num)d`), anything
    else escaped, but without Markup's wrapping of every value for the formatting."""
    if not autoescape:
        return text % variables
    safe = {k: v if isinstance(v, int | float | Decimal) else escape(v) for k, v in variables.items()}
    return Markup(text % safe)  # noqa: S704 - catalogue text, its values escaped above


@pass_eval_context
def _template_gettext(eval_ctx, string: str, **variables) -> str:
    """`_()` in templates, as Jinja's newstyle gettext: escaped placeholders, always formatted (a
    text with no `%` formats to itself, so it is not formatted)."""
    text = translations().ugettext(string)
    if not variables and "%" not in text:
        return Markup(text) if eval_ctx.autoescape else text  # noqa: S704 - catalogue text, as in Jinja
    return _formatted(eval_ctx.autoescape, text, variables)


@pass_eval_context
def _template_ngettext(eval_ctx, singular: str, plural: str, num: int, **variables) -> str:
    """`ngettext()` in templates, as Jinja's newstyle one: `%(num)d` is the count."""
    variables.setdefault("num", num)
    return _formatted(eval_ctx.autoescape, translations().ungettext(singular, plural, num), variables)


def current_language() -> str:
    """The language code of this request: `id` or `en`."""
    kept = _kept()
    if kept:
        return kept[2]
    return str(get_locale() or current_app.config["BABEL_DEFAULT_LOCALE"])


WIB_PATTERNS = {"short": "d MMM yyyy HH.mm", "medium": "d MMM yyyy HH.mm", "long": "d MMMM yyyy HH.mm"}


def format_wib(value: datetime | None, fmt: str = "medium") -> str:
    """A timestamp in Asia/Jakarta time, with the zone named, e.g. `23 Nov 2026 18.04 WIB`."""
    if value is None:
        return ""
    pattern = WIB_PATTERNS.get(fmt, fmt)
    width = _MONTH_WIDTHS.get(pattern.removesuffix(" HH.mm"))
    if width is None or not pattern.endswith(" HH.mm"):
        return f"{format_datetime(value, pattern)} WIB"
    local = _in_wib(value)
    return f"{_dated(local, width)} {local.hour:02d}.{local.minute:02d} WIB"


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
    """A day as `23 November 2026` (a timestamp's day in WIB)."""
    if value is None:
        return ""
    return _dated(_in_wib(value) if isinstance(value, datetime) else value, "wide")


# The patterns above, written here rather than through Babel's pattern engine: a list page
# shows dozens of dates and Babel looks up the locale's data for each one. The month names
# are Babel's (CLDR), so the text is exactly what `format_datetime` writes.
_MONTH_WIDTHS = {"d MMM yyyy": "abbreviated", "d MMMM yyyy": "wide"}


@cache
def _month_names(language: str, width: str) -> tuple[str, ...]:
    names = Locale.parse(language).months["format"][width]
    return ("", *(names[month] for month in range(1, 13)))


def _dated(value: date, width: str) -> str:
    """`d MMM yyyy` or `d MMMM yyyy` in the request's language."""
    return f"{value.day} {_month_names(current_language(), width)[value.month]} {value.year:04d}"


def _in_wib(value: datetime) -> datetime:
    """A stored timestamp in WIB (naive ones are UTC, as Flask-Babel reads them)."""
    return (value if value.tzinfo else value.replace(tzinfo=UTC)).astimezone(WIB)


@cache
def _symbols(language: str) -> tuple[str, str, str]:
    return get_group_symbol(language), get_decimal_symbol(language), get_minus_sign_symbol(language)


def number_symbols() -> tuple[str, str, str]:
    """The request language's group separator, decimal sign and minus sign (`.`, `,`, `-` in
    Indonesian), for figures written without Babel's pattern engine."""
    return _symbols(current_language())


def grouped(whole: int | Decimal) -> str:
    """A whole number with the language's grouping, as Babel's `#,##0` writes it: 1.500.000 (id)."""
    group, _, minus = number_symbols()
    text = f"{abs(whole):,.0f}".replace(",", group)
    return minus + text if whole < 0 else text


def format_rupiah(amount: int | float | Decimal | None) -> str:
    """Whole Rupiah with the language's grouping: `Rp 1.500.000` (id), `Rp 1,500,000` (en)."""
    if amount is None:
        return ""
    whole = Decimal(str(amount)).quantize(Decimal("1"), rounding=ROUND_HALF_UP)
    sign = "-" if whole < 0 else ""
    return f"{sign}Rp {grouped(abs(whole))}"


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
    from incubator.core import forms  # its messages are this module's: imported late (forms imports i18n)

    babel.init_app(app, locale_selector=select_locale)
    forms.init_app(app)
    babel.domain_instance = KeptDomain()  # the default domain, "messages"
    # Templates say their messages through the kept translations, by callables that do what
    # Jinja's "newstyle" ones do without their two extra context lookups per message.
    app.jinja_env.install_gettext_callables(
        gettext=lambda s: translations().ugettext(s),
        ngettext=lambda s, p, n: translations().ungettext(s, p, n),
        pgettext=lambda c, s: translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: translations().unpgettext(c, s, p, n),
        newstyle=True,
    )
    app.jinja_env.globals.update(_=_template_gettext, gettext=_template_gettext, ngettext=_template_ngettext)
    app.after_request(_remember_language)
    app.jinja_env.add_extension("jinja2.ext.do")
    app.add_template_global(lang_url, "lang_url")
    app.add_template_filter(format_wib, "wib")
    app.add_template_filter(format_day, "day")
    app.add_template_filter(format_rupiah, "rupiah")

    @app.context_processor
    def _language_context():
        return {"current_language": current_language(), "languages": app.config["LANGUAGES"]}
