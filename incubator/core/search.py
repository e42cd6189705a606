"""Searching text columns for what a person typed in a filter box.

A filter's text arrives in the query string, where no form's length check has run: 100,000
characters made SQLite refuse the LIKE pattern ("LIKE or GLOB pattern too complex"), which the
error page read as the database being down (503). `%` and `_` typed in a search are letters,
not wildcards.
"""

from sqlalchemy import ColumnElement

LONGEST_SEARCH = 100  # characters; every filter box takes at most this many


def search_words(typed: str | None) -> str:
    """What is searched for: the typed words with single spaces, cut to LONGEST_SEARCH characters."""
    return " ".join((typed or "").split())[:LONGEST_SEARCH]


def like_pattern(typed: str | None) -> str | None:
    """The pattern of "contains the typed words" for `ilike(pattern, escape="\\")`, with `%` and
    `_` as letters, or None for an empty search. A statement built once takes it as a value."""
    words = search_words(typed)
    if not words:
        return None
    return "%" + words.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def contains(column, typed: str | None) -> ColumnElement | None:
    """The condition "`column` contains the typed words" in any letter case, or None for an
    empty search."""
    pattern = like_pattern(typed)
    return None if pattern is None else column.ilike(pattern, escape="\\")
