"""CSV and XLSX files of rows: one writer for every export, user text neutralised.

Every area's export (ranking, scores, KPIs, attendance) builds its rows of `Cell`s and
writes them here, so a CSV and its XLSX cannot differ, text typed by users never runs
as a spreadsheet formula, and no bidi control in it reorders what a spreadsheet shows.
"""

import csv
import io
from collections.abc import Collection, Iterable, Sequence
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from incubator.core.text import without_bidi_controls

# A spreadsheet reads a cell starting with one of these as a formula (OWASP "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

Cell = int | Decimal | str | None


def neutralised(text: str) -> str:
    """User text safe in a spreadsheet: control characters and bidi controls (core.text) dropped,
    a leading formula sign quoted. Dropping a bidi control can uncover a formula sign, so the
    controls go first: "\u202e=1+1" is quoted like "=1+1"."""
    text = without_bidi_controls(ILLEGAL_CHARACTERS_RE.sub("", text or ""))
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def plain_number(value) -> Decimal | None:
    """A stored number as people write it: 2.00 as 2, 2.50 as 2.5 (never 1E+2)."""
    if value is None:
        return None
    value = Decimal(value)
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize()


def _csv_text(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value, "f")  # always a dot, never an exponent
    return str(value)


def to_csv(columns: Sequence[str], rows: Iterable[Sequence[Cell]]) -> bytes:
    """UTF-8, comma-separated, a header row (CONTRACT.md)."""
    out = io.StringIO(newline="")
    writer = csv.writer(out)
    writer.writerow(columns)
    writer.writerows([_csv_text(v) for v in row] for row in rows)
    return out.getvalue().encode("utf-8")


def to_xlsx(
    title: str,
    columns: Sequence[str],
    rows: Iterable[Sequence[Cell]],
    two_decimals: Collection[str] = (),
) -> bytes:
    """The same header and rows as one worksheet; numbers stay numbers, text stays text.
    The columns named in `two_decimals` hold rounded figures and show as 0.00."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title)
    sheet.append(list(columns))
    fixed_columns = [name in two_decimals for name in columns]
    for row in rows:
        cells = []
        for value, fixed in zip(row, fixed_columns, strict=True):
            if isinstance(value, Decimal):
                value = int(value) if not fixed and value == value.to_integral_value() else float(value)
            elif isinstance(value, str):
                # Line breaks as the XML reader of every spreadsheet reads them: the same file
                # whether openpyxl writes through lxml (which keeps a CR) or its own writer.
                value = value.replace("\r\n", "\n").replace("\r", "\n")
            cell = WriteOnlyCell(sheet, value=value)
            if isinstance(value, str):
                cell.data_type = "s"  # never a formula, whatever it starts with
            elif fixed and value is not None:
                cell.number_format = "0.00"
            cells.append(cell)
        sheet.append(cells)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
