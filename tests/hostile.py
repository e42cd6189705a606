"""Hostile text for the security review's input tests, and the checks that a page shows it safely.

HOSTILE is the list of named inputs (script tags, attribute breakers, `javascript:` URLs, SQL,
template syntax, spreadsheet formulas, right-to-left and zero-width characters, a NUL byte,
CRLF, homoglyphs, emoji, a text as long as the field takes...). LONG is the very long string,
kept apart: every text field refuses it with its length message. A NUL byte is dropped from
every submitted value (PostgreSQL cannot store it), so `stored(value)` is what a page shows.
"""

from html.parser import HTMLParser

from markupsafe import escape

HOSTILE = [
    ("script_tag", "<script>alert(1)</script>"),
    ("img_onerror", '"><img src=x onerror=alert(1)>'),
    ("single_quote_handler", "' onmouseover='alert(1)"),
    ("double_quote_handler", '" autofocus onfocus="alert(1)'),
    ("javascript_url", "javascript:alert(1)"),
    ("data_url", "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg=="),
    ("textarea_close", "</textarea><script>alert(1)</script>"),
    ("title_close", "</title><script>alert(1)</script>"),
    ("style_close", "</style><script>alert(1)</script>"),
    ("comment_close", "--><script>alert(1)</script><!--"),
    ("svg_onload", "<svg onload=alert(1)>"),
    ("iframe", '<iframe src="javascript:alert(1)"></iframe>'),
    ("anchor_javascript", '<a href="javascript:alert(1)">klik</a>'),
    ("jinja_expression", "{{7*7}}"),
    ("jinja_config", "{{ config.SECRET_KEY }}"),
    ("template_literal", "${7*7} #{7*7}"),
    ("sql_drop", "'; DROP TABLE users;--"),
    ("sql_or", "' OR '1'='1"),
    ("formula_hyperlink", '=HYPERLINK("http://evil.example","klik")'),
    ("formula_plus", "+cmd|' /C calc'!A0"),
    ("formula_minus", "-2+3"),
    ("formula_at", "@SUM(1+1)*cmd|' /C calc'!A0"),
    ("rtl_override", "invoice\u202egnp.exe"),
    ("zero_width", "zero\u200bwidth\ufeffjoin\u200der"),
    ("nul_byte", "nul\x00byte"),
    ("crlf", "line one\r\nSet-Cookie: evil=1"),
    ("homoglyphs", "Ηеtеrо Ѕрасе"),  # Greek and Cyrillic letters that look Latin
    ("emoji", "🚀 Startup 👩🏽‍💻"),
    ("markdown_javascript_link", "[klik](javascript:alert(1))"),
    ("html_entities", "&lt;script&gt;alert(1)&lt;/script&gt; &amp;"),
    ("backticks", "`whoami` $(id)"),
    ("long_at_the_limit", "Batik-Lurik" * 1000),  # cut to each field's limit: the longest text it takes
    (
        "polyglot",
        "jaVasCript:/*-/*`/*\\`/*'/*\"/**/(/* */oNcliCk=alert() )//%0D%0A"
        "</stYle/</titLe/</teXtarEa/</scRipt/--!>\\x3csVg/<sVg/oNloAd=alert()//>\\x3e",
    ),
]
NAMES = [name for name, _value in HOSTILE]
VALUES = [value for _name, value in HOSTILE]
LONG = "A" * 30_000  # longer than any text field takes


def stored(value: str) -> str:
    """What the app keeps of a submitted value: the same text without NUL characters."""
    return value.replace("\x00", "")


def fit(value: str, limit: int | None) -> str:
    """`value` cut to a field's length limit (a cut hostile string is still hostile)."""
    return value if limit is None else value[:limit]


def escaped(value: str) -> str:
    """The value as the page must carry it: stored, then HTML-escaped."""
    return str(escape(stored(value)))


URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "poster"}
BAD_SCHEMES = ("javascript:", "vbscript:", "data:text/html")
BAD_TAGS = {"iframe", "object", "embed", "base", "frame"}


class _Injections(HTMLParser):
    """Collects every element or attribute that typed text could have smuggled into a page."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found = []

    def handle_starttag(self, tag, attrs):
        names = {name for name, _value in attrs}
        if tag == "script" and "src" not in names:
            self.found.append(f"inline <script> ({attrs})")
        if tag in BAD_TAGS:
            self.found.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"<{tag} {name}=...>")
            compact = "".join((value or "").split()).lower()
            if name in URL_ATTRIBUTES and compact.startswith(BAD_SCHEMES):
                self.found.append(f"<{tag} {name}={value!r}>")

    handle_startendtag = handle_starttag


def injections(html: str) -> list[str]:
    """Elements and attributes in `html` that no page of the app has of its own."""
    parser = _Injections()
    parser.feed(html)
    parser.close()
    return parser.found


def assert_safe(html: str, where: str = "") -> None:
    """No injected element or handler, and no template evaluated (`{{ config.SECRET_KEY }}`)."""
    assert injections(html) == [], where
    assert "test-secret-key" not in html, where
