"""One language per page: every page of the access matrix, rendered in Indonesian, says nothing that
only the English catalogue says, and the reverse.

The pages are the GET cases of tests/access_cases that answer 200 to some identity, each opened by
every identity it answers 200 to, in the world of tests/test_access.py (built once). A catalogue
text is cut at its placeholders; a piece of at least MIN_LENGTH characters that the other language's
catalogue never says is a sign of the wrong language. Names and data typed into the world are
allowed (DATA)."""

import html
import re
from html.parser import HTMLParser
from pathlib import Path

from babel.messages.pofile import read_po

from tests.access_cases import collect
from tests.test_access import world  # noqa: F401 - the access matrix's world, reused here

ROOT = Path(__file__).resolve().parent.parent
MIN_LENGTH = 12
PLACEHOLDER = re.compile(r"%\(\w+\)[sdf]|%[sd%]")
NOT_HTML = re.compile(r"\.(csv|xlsx|pdf|css|zip)$|/deck$|/download$|^/healthz$")
# Text the world's data says that also happens to be a catalogue text (a name typed in English).
DATA: set[str] = set()


def _texts(locale: str) -> list[str]:
    """Every translation of the locale's catalogue (each plural form), as it is shown."""
    with (ROOT / "incubator" / "translations" / locale / "LC_MESSAGES" / "messages.po").open("rb") as fh:
        catalogue = read_po(fh)
    texts = []
    for message in catalogue:
        if message.id:
            texts.extend(message.string if isinstance(message.string, tuple | list) else [message.string])
    return [t for t in texts if t]


def _pieces(texts: list[str]) -> set[str]:
    return {p.strip() for text in texts for p in PLACEHOLDER.split(text) if len(p.strip()) >= MIN_LENGTH}


def only_in(locale: str, other: str) -> set[str]:
    """Pieces of `locale`'s catalogue that `other`'s never says (neither as a text nor inside one)."""
    theirs = "\n".join(_texts(other))
    return {piece for piece in _pieces(_texts(locale)) if piece not in theirs} - DATA


class _Visible(HTMLParser):
    """The text a reader sees or hears: text outside scripts and styles, and the attributes read
    aloud or shown (labels, titles, placeholders, button values)."""

    ATTRIBUTES = ("aria-label", "title", "placeholder", "alt")

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._hidden += 1
        found = dict(attrs)
        self.parts.extend(found[a] for a in self.ATTRIBUTES if found.get(a))
        if tag == "input" and found.get("type") in ("submit", "button") and found.get("value"):
            self.parts.append(found["value"])

    def handle_endtag(self, tag):
        if tag in ("script", "style") and self._hidden:
            self._hidden -= 1

    def handle_data(self, data):
        if not self._hidden and data.strip():
            self.parts.append(data)


def visible_text(page: str) -> str:
    parser = _Visible()
    parser.feed(page)
    return "\n".join(" ".join(html.unescape(p).split()) for p in parser.parts)


def _pages() -> dict[str, list[str]]:
    """{identity: [url template, ...]} of the HTML pages each identity opens (status 200)."""
    matrix, _public = collect()
    pages: dict[str, list[str]] = {}
    for method, url, expected in matrix:
        if method != "GET" or NOT_HTML.search(url.split("?")[0]):
            continue
        for identity, status in expected.items():
            if status == 200:
                pages.setdefault(identity, []).append(url)
    return pages


def _sent_mail(app) -> str:
    """The subjects and bodies of the world's e-mails: the outbox shows each one as it was sent, in its
    recipient's language, whatever the reader's."""
    from sqlalchemy import select

    from incubator.extensions import db
    from incubator.mail.models import OutboxMessage

    with app.app_context():
        return "\n".join(f"{m.subject}\n{m.body}" for m in db.session.scalars(select(OutboxMessage)))


def test_every_page_speaks_one_language(app, make_client, login_as, world):  # noqa: F811 - the fixture
    ids, users = world
    foreign = {"id": only_in("en", "id"), "en": only_in("id", "en")}
    sent = _sent_mail(app)
    mixed = []
    for identity, urls in sorted(_pages().items()):
        client = make_client()
        if identity != "anonymous":
            login_as(client, users[identity])
        for url in urls:
            path = url.format(**ids)
            allowed = sent if path.startswith("/admin/outbox") else ""
            for lang in ("id", "en"):
                response = client.get(path + ("&" if "?" in path else "?") + f"lang={lang}")
                assert response.status_code == 200, f"{identity} {path}"
                text = visible_text(response.get_data(as_text=True))
                found = (piece for piece in sorted(foreign[lang]) if piece in text and piece not in allowed)
                mixed.extend(f"{lang} {path}: {piece!r}" for piece in found)
    assert not mixed, "\n".join(sorted(set(mixed)))


def test_the_check_sees_each_language_and_what_a_reader_sees():
    assert "Please correct the fields marked below." in only_in("en", "id")
    assert "Mohon perbaiki isian yang ditandai di bawah ini." in only_in("id", "en")
    assert "Hetero for Startup" not in only_in("en", "id")  # said in both
    page = (
        '<nav aria-label="Pages"><a rel="prev">Previous</a></nav><script>var x = "hidden";</script>'
        '<input type="submit" value="Save &amp; go"><p>Page  1\n of 9</p>'
    )
    assert visible_text(page) == "Pages\nPrevious\nSave & go\nPage 1 of 9"
