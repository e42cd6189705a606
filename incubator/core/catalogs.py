"""Checks and upkeep of the translation catalogues (used by `make messages` and the tests).

Message ids are English, so the English catalogue translates each one to itself;
`python -m incubator.core.catalogs fill-en` does that for new entries.
"""

import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

TRANSLATIONS = Path(__file__).resolve().parent.parent / "translations"


def catalogue_path(locale: str) -> Path:
    return TRANSLATIONS / locale / "LC_MESSAGES" / "messages.po"


def _read(path: Path):
    with path.open("rb") as fh:
        return read_po(fh)


def problems(locale: str, template: Path) -> list[str]:
    """Every entry of `template` that the locale's catalogue lacks, leaves empty or marks fuzzy."""
    catalogue = _read(catalogue_path(locale))
    found = []
    for message in _read(template):
        if not message.id:
            continue
        entry = catalogue.get(message.id, message.context)
        if entry is None:
            found.append(f"{locale}: missing {message.id!r}")
        elif entry.fuzzy:
            found.append(f"{locale}: fuzzy {message.id!r}")
        elif not all(entry.string) if isinstance(entry.string, tuple | list) else not entry.string:
            found.append(f"{locale}: untranslated {message.id!r}")
    return found


def fill_source_language(locale: str = "en") -> int:
    """Give every empty entry of the source-language catalogue its own id as translation."""
    path = catalogue_path(locale)
    catalogue = _read(path)
    filled = 0
    for message in catalogue:
        if not message.id:
            continue
        if isinstance(message.id, tuple | list):
            if not all(message.string):
                message.string = tuple(message.id)
                filled += 1
        elif not message.string:
            message.string = message.id
            filled += 1
        message.flags.discard("fuzzy")
    with path.open("wb") as fh:
        write_po(fh, catalogue, omit_header=False, sort_output=True, width=0)
    return filled


if __name__ == "__main__":
    if sys.argv[1:] == ["fill-en"]:
        print(f"filled {fill_source_language('en')} English entries")
    else:
        raise SystemExit("usage: python -m incubator.core.catalogs fill-en")
