"""What the fuzz suite reads: the forms a page shows, the messages it answers with, and a
fingerprint of the database to tell whether a request changed anything.

Forms are found the way a person finds them: on the page at the form's own address, or on the
page one or more path segments up (a "remove" button sits on the list it removes from).
"""

import hashlib
import re
from dataclasses import dataclass, field
from functools import cache
from html.parser import HTMLParser
from pathlib import Path

from babel.messages.pofile import read_po
from sqlalchemy import select

from incubator.extensions import db

# Rows a refused request may write by design: the signed-in browser (the suite signs in), and
# what a person typed into a form whose session had ended (kept for them, core/stash.py).
VOLATILE_TABLES = {"user_sessions", "form_stashes"}


@dataclass
class Field:
    name: str
    kind: str  # text, textarea, select, checkbox, radio, hidden, number, date, datetime-local, month, email, ...
    value: str = ""
    options: list = field(default_factory=list)
    checked: bool = False
    required: bool = False
    multiple: bool = False
    maxlength: int | None = None
    min: str | None = None
    max: str | None = None
    inputmode: str | None = None

    def __repr__(self) -> str:
        return f"<{self.kind} {self.name}={self.value[:40]!r}>"

    @property
    def numeric(self) -> bool:
        return self.kind == "number" or self.inputmode in ("numeric", "decimal")


@dataclass
class Form:
    action: str
    method: str
    fields: list = field(default_factory=list)
    submits: list = field(default_factory=list)  # (name, value) of each named submit button

    def __repr__(self) -> str:
        return f"<form {self.method} {self.action} {self.fields} {self.submits}>"

    def baseline(self) -> dict:
        """What a browser sends when the person changes nothing and presses the first button."""
        data: dict[str, list[str]] = {}
        for f in self.fields:
            if f.kind in ("checkbox", "radio"):
                if f.checked:
                    data.setdefault(f.name, []).append(f.value or "on")
            elif f.kind == "select":
                chosen = [value for value, selected in f.options if selected]
                if not chosen and f.options and not f.multiple:
                    chosen = [f.options[0][0]]
                if chosen:
                    data.setdefault(f.name, []).extend(chosen)
            elif f.kind != "file" and not f.name.endswith("csrf_token"):  # the test chooses the token
                data.setdefault(f.name, []).append(f.value)
        return data

    def token_names(self) -> list[str]:
        """The CSRF token's name: `csrf_token`, or with the form's prefix (`m2-csrf_token`)."""
        return sorted({f.name for f in self.fields if f.name.endswith("csrf_token")}) or ["csrf_token"]

    def hidden(self) -> list:
        """The hidden fields but the CSRF token (ids, fingerprints, `next`): a script can send anything there."""
        return [f for f in self.fields if f.kind == "hidden" and not f.name.endswith("csrf_token")]

    def typed(self) -> list:
        """The fields a person types into or picks from (one per name)."""
        seen, fields = set(), []
        for f in self.fields:
            if f.name in seen or f.name.endswith("csrf_token") or f.kind in ("hidden", "file", "submit"):
                continue
            seen.add(f.name)
            fields.append(f)
        return fields


class _FormParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._select: Field | None = None
        self._option: list | None = None
        self._textarea: Field | None = None

    def handle_starttag(self, tag, attrs):
        a = {k: (v if v is not None else "") for k, v in attrs}
        if tag == "form":
            self._form = Form(action=a.get("action", ""), method=a.get("method", "get").lower())
            self.forms.append(self._form)
            return
        form = self._form
        if form is None or "name" not in a and tag != "option":
            return
        if tag == "input":
            kind = a.get("type", "text").lower()
            if kind in ("submit", "image"):
                form.submits.append((a["name"], a.get("value", "")))
                return
            form.fields.append(self._field(a, kind, a.get("value", "")))
        elif tag == "button":
            if a.get("type", "submit") == "submit":
                form.submits.append((a["name"], a.get("value", "")))
        elif tag == "textarea":
            self._textarea = self._field(a, "textarea", "")
            form.fields.append(self._textarea)
        elif tag == "select":
            self._select = self._field(a, "select", "")
            self._select.multiple = "multiple" in a
            form.fields.append(self._select)
        elif tag == "option" and self._select is not None:
            self._option = [a.get("value"), "selected" in a, ""]
            self._select.options.append(self._option)

    @staticmethod
    def _field(a: dict, kind: str, value: str) -> Field:
        maxlength = a.get("maxlength")
        return Field(
            name=a["name"],
            kind=kind,
            value=value,
            checked="checked" in a,
            required="required" in a,
            maxlength=int(maxlength) if maxlength and maxlength.isdigit() else None,
            min=a.get("min"),
            max=a.get("max"),
            inputmode=a.get("inputmode"),
        )

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea.value += data
        if self._option is not None:
            self._option[2] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "textarea":
            if self._textarea is not None and self._textarea.value.startswith("\n"):
                self._textarea.value = self._textarea.value[1:]  # as browsers drop it
            self._textarea = None
        elif tag == "option" and self._option is not None:
            if self._option[0] is None:
                self._option[0] = self._option[2]
            self._option = None
        elif tag == "select":
            if self._select is not None:
                self._select.options = [(value, selected) for value, selected, _text in self._select.options]
            self._select = None


def forms_of(html: str) -> list[Form]:
    parser = _FormParser()
    parser.feed(html)
    return parser.forms


def forms_posting_to(client, url: str) -> list[Form]:
    """The POST forms whose action is `url`, from the page at `url` or the nearest page above it."""
    path = url.split("?")[0]
    candidates = [path]
    parts = path.rstrip("/").split("/")
    while len(parts) > 2:
        parts = parts[:-1]
        candidates.append("/".join(parts))
    for page in candidates:
        response = client.get(page)
        if response.status_code != 200 or not response.content_type.startswith("text/html"):
            continue
        found = [
            form
            for form in forms_of(response.get_data(as_text=True))
            if form.method == "post" and (form.action or page).split("?")[0] == path
        ]
        if found:
            return found
    return []


class _Messages(HTMLParser):
    """The text of every error and flash message on a page: field errors (`p.error`), a form's
    errors (`div.form-errors`) and flashed messages (`p.flash`)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.messages: list[str] = []
        self._depth = 0
        self._text: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        classes = (dict(attrs).get("class") or "").split()
        if self._text is not None:
            self._depth += 1
        elif tag == "p" and ("error" in classes or "flash" in classes or self.in_form_errors):
            self._text, self._depth = [], 1
        if tag == "div" and "form-errors" in classes:
            self.in_form_errors = True

    in_form_errors = False

    def handle_endtag(self, tag):
        if tag == "div" and self._text is None:
            self.in_form_errors = False
        if self._text is not None:
            self._depth -= 1
            if self._depth == 0:
                self.messages.append(" ".join("".join(self._text).split()))
                self._text = None

    def handle_data(self, data):
        if self._text is not None:
            self._text.append(data)


def messages_on(html: str) -> list[str]:
    parser = _Messages()
    parser.feed(html)
    return parser.messages


@cache
def _indonesian() -> re.Pattern:
    """One pattern that matches a message of the Indonesian catalogue, or several joined by spaces
    (a field with two errors), with any value where a placeholder is."""
    path = Path(__file__).resolve().parent.parent / "incubator/translations/id/LC_MESSAGES/messages.po"
    with path.open("rb") as handle:
        catalog = read_po(handle, locale="id")
    patterns = set()
    for message in catalog:
        texts = message.string if isinstance(message.string, tuple) else (message.string,)
        for text in texts:
            if not text:
                continue
            text = " ".join(text.split())
            pieces = re.split(r"%\(\w+\)[sdfr]|%[sdr]|\{\w*\}", text)
            patterns.add(".+?".join(re.escape(piece) for piece in pieces))
    one = "(?:" + "|".join(sorted(patterns, key=len, reverse=True)) + ")"
    return re.compile(f"{one}(?: {one})*", re.DOTALL)


def untranslated(messages: list[str]) -> list[str]:
    """The messages that are not (made of) messages of the Indonesian catalogue."""
    pattern = _indonesian()
    return [message for message in messages if not pattern.fullmatch(message)]


def fingerprint(app) -> dict:
    """{table: digest of its rows} for every table but VOLATILE_TABLES: equal before and after a
    request exactly when it changed no row."""
    digests = {}
    with app.app_context():
        for table in db.metadata.sorted_tables:
            if table.name in VOLATILE_TABLES:
                continue
            key = [column for column in table.primary_key.columns] or list(table.columns)
            rows = db.session.execute(select(table).order_by(*key)).all()
            digests[table.name] = hashlib.sha256(repr(rows).encode()).hexdigest()[:16] + f"/{len(rows)}"
        db.session.remove()
    return digests


def changed(before: dict, after: dict) -> list[str]:
    return sorted(name for name in before if before[name] != after.get(name))
