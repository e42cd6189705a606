"""The file: a CSV export read into a header and numbered rows, or the reason it cannot be used."""

import csv
import io
import unicodedata
from dataclasses import dataclass
from typing import Any, NamedTuple

from incubator.applications.importer.values import EMAIL

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5000
PREVIEW_ROWS = 5


class CSVProblem(Exception):
    """Why a file cannot be used at all: 'empty', 'too_big', 'not_text', 'malformed', 'no_header',
    'no_rows' or 'too_many_rows'."""

    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(code)
        self.code = code
        self.params = params


class Row(NamedTuple):
    number: int  # as in the spreadsheet: the header is row 1
    cells: tuple[str, ...]  # one per header column, stripped


@dataclass(frozen=True)
class Table:
    headers: tuple[str, ...]
    rows: tuple[Row, ...]
    encoding: str
    delimiter: str

    def preview(self, n: int = PREVIEW_ROWS) -> tuple[Row, ...]:
        return self.rows[:n]


def column_letter(index: int) -> str:
    """The spreadsheet name of a 0-based column: 0 → A, 25 → Z, 26 → AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def _decode(data: bytes) -> tuple[str, str]:
    # A NUL byte never occurs in a text CSV: this is a spreadsheet (xlsx/ods), an image, UTF-16...
    if b"\x00" in data:
        raise CSVProblem("not_text")
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "cp1252"  # Excel on Windows saves "CSV" in the ANSI code page
    except UnicodeDecodeError:
        raise CSVProblem("not_text") from None


def _sniff_delimiter(text: str) -> str:
    """Comma or semicolon (Excel in Indonesian locales uses ';'): whichever splits the header into more cells."""
    best, width = ",", 0
    for delimiter in (",", ";"):
        try:
            header = next(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), [])
        except csv.Error:
            continue
        if len(header) > width:
            best, width = delimiter, len(header)
    return best


def _clean_cell(value: str) -> str:
    value = unicodedata.normalize("NFC", value).replace("\u200b", "").replace("\ufeff", "").replace("\xa0", " ")
    return value.strip()


def _looks_like_data(header: str) -> bool:
    """An e-mail address or a link in the first row: the file has no header row."""
    return bool(EMAIL.fullmatch(header)) or header.lower().startswith(("http://", "https://"))


def read_csv(data: bytes, *, max_bytes: int = MAX_BYTES, max_rows: int = MAX_ROWS) -> Table:
    """The header and the non-blank rows of a CSV file, or CSVProblem saying why not.

    UTF-8 (with or without BOM), else cp1252; comma or semicolon; the first row names the
    columns. Short rows are padded, cells beyond the header ignored."""
    if not data or not data.strip():
        raise CSVProblem("empty")
    if len(data) > max_bytes:
        raise CSVProblem("too_big", mb=max_bytes // (1024 * 1024))
    text, encoding = _decode(data)
    if any(unicodedata.category(ch) == "Cc" and ch not in "\t\r\n" for ch in text[:4096]):
        raise CSVProblem("not_text")
    delimiter = _sniff_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[Row] = []
    try:
        headers = tuple(_clean_cell(h) for h in next(reader, []))
        if not any(headers) or any(_looks_like_data(h) for h in headers):
            raise CSVProblem("no_header")
        # Records, not physical lines: a quoted cell may span several lines, as in a spreadsheet cell.
        for number, record in enumerate(reader, start=2):
            cells = tuple(_clean_cell(c) for c in record[: len(headers)])
            cells += ("",) * (len(headers) - len(cells))
            if not any(cells):
                continue
            if len(rows) >= max_rows:
                raise CSVProblem("too_many_rows", rows=max_rows)
            rows.append(Row(number, cells))
    except csv.Error:
        raise CSVProblem("malformed") from None
    if not rows:
        raise CSVProblem("no_rows")
    return Table(headers=headers, rows=tuple(rows), encoding=encoding, delimiter=delimiter)
