"""The fuzz suite's browsers: one signed-in client per identity of the access matrix, the CSRF
token of its session, and the world put back whenever an accepted request changed it.

Every example starts from the access-matrix world as tests/snapshots.py keeps it: a request that
wrote rows (an accepted form) is followed by a reset (tables emptied, the world restored, every
client signed in again), so a failing example replays against the same data.
"""

import re

from sqlalchemy import event

from incubator.extensions import db
from tests.access_cases import IDENTITIES
from tests.conftest import CSRF_RE, _empty_all_tables
from tests.fuzz_pages import Form, changed, fingerprint, forms_of, forms_posting_to
from tests.snapshots import kept_world

PLACEHOLDER = re.compile(r"\{(\w+)\}")


class Browsers:
    def __init__(self, app, login_as, world):
        self.app = app
        self.login_as = login_as
        self.ids, self.users = world
        self._clients: dict = {}
        self._tokens: dict = {}
        self._forms: dict = {}
        self.examples = 0
        # The fingerprint is taken again only after a statement that may have written a row:
        # hashing every table costs more than most requests.
        self._print: dict | None = None
        with app.app_context():
            self._engine = db.engine
        event.listen(self._engine, "before_cursor_execute", self._saw)

    def _saw(self, conn, cursor, statement, parameters, context, executemany) -> None:
        if statement.lstrip()[:6].upper() in ("INSERT", "UPDATE", "DELETE"):
            self._print = None

    def close(self) -> None:
        event.remove(self._engine, "before_cursor_execute", self._saw)

    def client(self, identity: str):
        """The identity's client, signed in (again, after a reset)."""
        if identity not in self._clients:
            client = self.app.test_client()
            if identity != "anonymous":
                self.login_as(client, self.users[identity])
            self._clients[identity] = client
            self._tokens[identity] = None
        return self._clients[identity]

    def token(self, identity: str) -> str:
        if self._tokens.get(identity) is None:
            body = self.client(identity).get("/auth/reset").get_data(as_text=True)
            match = CSRF_RE.search(body)
            self._tokens[identity] = match.group(1) if match else ""
        return self._tokens[identity]

    def forms(self, identity: str, url: str) -> list[Form]:
        """The POST forms for `url` the identity is shown (found once per test)."""
        key = (identity, url)
        if key not in self._forms:
            self._forms[key] = forms_posting_to(self.client(identity), url)
        return self._forms[key]

    def query_names(self, identity: str, url: str) -> list[str]:
        """The names of the GET forms (filters) on the page at `url`, as the identity sees it."""
        key = (identity, "GET " + url)
        if key not in self._forms:
            response = self.client(identity).get(url)
            names = []
            if response.status_code == 200 and response.content_type.startswith("text/html"):
                for form in forms_of(response.get_data(as_text=True)):
                    if form.method == "get":
                        names.extend(f.name for f in form.fields)
            self._forms[key] = sorted(set(names))
        return self._forms[key]

    def url(self, template: str, replace: dict | None = None) -> str:
        return template.format(**(self.ids | (replace or {})))

    def fingerprint(self) -> dict:
        """{table: digest} of the database now (tests/fuzz_pages.py)."""
        if self._print is None:
            self._print = fingerprint(self.app)
        return self._print

    def put_back(self, before: dict, after: dict) -> None:
        """The world as it was, when the request changed it; every client signs in again."""
        if not changed(before, after):
            return
        _empty_all_tables(self.app)
        kept_world(self.app, "access-matrix", _never_built)
        self.signed_out()

    def signed_out(self) -> None:
        self._clients.clear()
        self._tokens.clear()


def _never_built():  # pragma: no cover - the `world` fixture built it first
    raise AssertionError("the access-matrix world is built by the `world` fixture")


def placeholders(template: str) -> list[str]:
    return PLACEHOLDER.findall(template)


def insiders(expected: dict) -> list[str]:
    """The identities the case lets in (they reach the form's validation)."""
    signed_in = [identity for identity in IDENTITIES[1:] if expected[identity] in (200, 302)]
    return (["anonymous"] if expected["anonymous"] == 200 else []) + signed_in


def auth_page(url: str) -> bool:
    """The sign-in, registration and reset forms are for visitors: signed-in people are sent on."""
    return url.startswith("/auth/") and url not in ("/auth/password", "/auth/logout")
