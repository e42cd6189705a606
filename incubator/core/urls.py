"""Addresses for the rows of a list: `url_for` once per list instead of once per row.

Building an address through the URL map costs about as much as writing the rest of a row, and a
page lists 25 rows or more. `row_url(endpoint, key, **values)` builds the address once with a
placeholder for `key` and returns a function that fills in each row's integer id.
"""

from collections.abc import Callable

from flask import Flask, url_for

PLACEHOLDER = 10**18 + 7  # no row has this id; it only marks where the row's id goes


def row_url(endpoint: str, key: str, **values) -> Callable[[int], str]:
    """A function of one integer `key` giving what `url_for(endpoint, key=..., **values)` gives."""
    head, _, tail = url_for(endpoint, **values, **{key: PLACEHOLDER}).partition(str(PLACEHOLDER))

    def address(row_id: int) -> str:
        return f"{head}{int(row_id)}{tail}"

    return address


def init_app(app: Flask) -> None:
    app.add_template_global(row_url, "row_url")
