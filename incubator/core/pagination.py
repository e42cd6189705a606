"""Pages of a list, for the `pager` macro: one already in memory (a computed ranking, a judge's
queue), or one picked in SQL."""

import math
from dataclasses import dataclass

from flask import request
from sqlalchemy import Integer, Select, bindparam

# Far past the last page of any list, and small enough that its offset is a number every
# database takes: `?page=99999999999999999999` made the OFFSET overflow (a 500 on both).
LAST_PAGE = 100_000


def requested_page(values=None) -> int:
    """The page asked for in `values` (the query string by default): 1 when it is absent, not a
    whole number or below 1, and at most LAST_PAGE. A page past a list's end shows its last page
    or none, as each list decides."""
    number = (values if values is not None else request.args).get("page", 1, type=int) or 1
    return min(max(number, 1), LAST_PAGE)


def window(query: Select, page: int, per_page: int) -> Select:
    """`query` limited to its `page`-th page of `per_page` rows (the first is 1).

    The limit and offset are written into the SQL as numbers, not sent as parameters. PostgreSQL
    plans a prepared statement once for all its parameter values only when that plan is as good
    as one made for the values; for "LIMIT $1" it has to assume many rows, and it would plan a list
    page anew on every view. With the numbers in the SQL, each page is planned once per connection.
    """
    limit = bindparam("page_limit", per_page, Integer, unique=True, literal_execute=True)
    offset = bindparam("page_offset", (page - 1) * per_page, Integer, unique=True, literal_execute=True)
    return query.limit(limit).offset(offset)


def windowed(query: Select) -> Select:
    """`window` for a statement built once: run it with `window_params`."""
    limit = bindparam("page_limit", type_=Integer, literal_execute=True)
    offset = bindparam("page_offset", type_=Integer, literal_execute=True)
    return query.limit(limit).offset(offset)


def window_params(page: int, per_page: int) -> dict[str, int]:
    """The values of `windowed`'s limit and offset for the `page`-th page of `per_page` rows."""
    return {"page_limit": per_page, "page_offset": (page - 1) * per_page}


@dataclass
class ListPage:
    """One page of an in-memory list, shaped like Flask-SQLAlchemy's pagination."""

    items: list
    page: int
    per_page: int
    total: int

    @classmethod
    def of(cls, rows: list, page: int | None, per_page: int) -> "ListPage":
        pages = max(1, math.ceil(len(rows) / per_page))
        page = min(max(page or 1, 1), pages)
        return cls(rows[(page - 1) * per_page : page * per_page], page, per_page, len(rows))

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def prev_num(self) -> int:
        return self.page - 1

    @property
    def next_num(self) -> int:
        return self.page + 1
