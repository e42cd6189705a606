"""Sentences the system writes for people to read later: stored as a key with its values, said in
the reader's language when shown.

A stage change made by a decision, a failed export: the system speaks there, and the sentence is
read later by people who may use the other language (a founder reads in English what an
Indonesian-speaking director decided). Storing the sentence as written would freeze it in the
language of whoever acted, so the database keeps `{"key": ..., "values": {...}}` instead, and
`render` writes it in the reader's language. Values that are codes (an outcome, a stage) stay
codes and are shown through their labels; names stay as people typed them. Text a person typed
is stored as typed, in a column of its own.
"""

import re
from collections.abc import Callable, Mapping
from typing import Any, NamedTuple

from flask_babel import gettext

from incubator.core.labels import outcome_label


def N_(text: str) -> str:  # noqa: N802 - the name pybabel knows for "extract, translate later"
    """Marks a message for extraction; it is translated when shown (`render`)."""
    return text


class SystemMessage(NamedTuple):
    text: str
    # Values that are codes, and how each is shown (its translated label).
    codes: Mapping[str, Callable[[Any], str]] = {}


MESSAGES: dict[str, SystemMessage] = {
    "decision": SystemMessage(
        N_("Decision of the round %(round)s: %(outcome)s."),
        {"outcome": outcome_label},
    ),
    "export_failed": SystemMessage(
        N_("The export could not be made. Please try again; if it fails again, tell the administrator.")
    ),
}

_PLACEHOLDER = re.compile(r"%\((\w+)\)")


def placeholders(key: str) -> set[str]:
    """The names a message's text needs."""
    return set(_PLACEHOLDER.findall(MESSAGES[key].text))


def system_message(key: str, **values: str | int) -> dict:
    """The stored form of the message `key` with its values; refuses an unknown key and values
    that do not match the text's placeholders, so what is stored can always be shown."""
    if key not in MESSAGES:
        raise KeyError(f"no system message {key!r}")
    wanted = placeholders(key)
    if set(values) != wanted:
        raise ValueError(f"system message {key!r} takes {sorted(wanted)}, not {sorted(values)}")
    return {"key": key, "values": dict(values)}


def render(stored: Mapping | None) -> str:
    """A stored message in the language of this request (or of a `force_locale` block); "" for
    none. A key no longer known (a message retired since) is shown as nothing rather than fail."""
    if not stored:
        return ""
    entry = MESSAGES.get(stored.get("key"))
    if entry is None:
        return ""
    values = {
        name: entry.codes[name](value) if name in entry.codes else value
        for name, value in (stored.get("values") or {}).items()
    }
    return gettext(entry.text, **values)
