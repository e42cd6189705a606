"""Addresses for the rows of a list: `url_for` once per list instead of once per row.

Building an address through the URL map costs about as much as writing the rest of a row, and a
page lists 25 rows or more. `row_url(endpoint, key, **values)` builds the address once with a
placeholder for `key` and returns a function that fills in each row's integer id.
"""

from collections.abc import Callable

from flask import Flask, request, url_for
from werkzeug.routing import IntegerConverter, UnicodeConverter

PLACEHOLDER = 10**18 + 7  # no row has this id; it only marks where the row's id goes


def row_url(endpoint: str, key: str, **values) -> Callable[[int], str]:
    """A function of one integer `key` giving what `url_for(endpoint, key=..., **values)` gives."""
    head, _, tail = url_for(endpoint, **values, **{key: PLACEHOLDER}).partition(str(PLACEHOLDER))

    def address(row_id: int) -> str:
        return f"{head}{int(row_id)}{tail}"

    return address


# The largest id a row can have: id columns are INTEGER, a signed 32-bit number on PostgreSQL
# (SQLite's holds more, but the same schema runs on both).
LARGEST_ID = 2**31 - 1


class RowId(IntegerConverter):
    """`<int:...>` in every route: a whole number no larger than a row id can be. A larger one
    matches no route and answers 404, as an id of no row does; passed on, it made the database
    fail with a 500 (PostgreSQL: "integer out of range"; SQLite's driver above 2**63 - 1)."""

    def __init__(self, map, fixed_digits=0, min=None, max=LARGEST_ID, signed=False):  # noqa: A002 - werkzeug's names
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


class TextSegment(UnicodeConverter):
    """`<token>` and `<string:...>` in every route: one path segment without a NUL character. A
    NUL (`/jobs/a%00b`) matches no route and answers 404; passed on, PostgreSQL refused the
    lookup ("text fields cannot contain NUL bytes"), a 500. Query and form values lose theirs in
    core.security."""

    def __init__(self, map, *args, **kwargs):  # noqa: A002 - werkzeug's name
        super().__init__(map, *args, **kwargs)
        self.regex = self.regex.replace("[^/]", "[^/\\x00]", 1)


def row_id(value) -> int | None:
    """A row id sent in a form (a hidden input, a select, a ticked box): the whole number when a
    row can have it (1 to LARGEST_ID), else None. `2**31` in a hidden id reached PostgreSQL's
    32-bit column (a 500)."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if 0 < number <= LARGEST_ID else None


def requested_id(name: str) -> int:
    """The row id in the query string's `name`, or 0 (no row's) when it is absent, not a whole
    number or past the id column: `?round_id=2**63` reached the database and answered 500 (SQLite's
    driver takes no larger integer; PostgreSQL's columns none above LARGEST_ID)."""
    value = request.args.get(name, type=int) or 0
    return value if 0 < value <= LARGEST_ID else 0


def init_app(app: Flask) -> None:
    """Route converters (before any blueprint adds its rules) and the row address helper."""
    app.url_map.converters["int"] = RowId
    app.url_map.converters["default"] = app.url_map.converters["string"] = TextSegment
    app.add_template_global(row_url, "row_url")
