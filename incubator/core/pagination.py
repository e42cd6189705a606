"""Pages of a list already in memory (a computed ranking, a judge's queue), for the `pager` macro."""

import math
from dataclasses import dataclass


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
