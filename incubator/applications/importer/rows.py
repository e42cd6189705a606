"""Checking rows: every field of a row converted, with its problems; and what only the whole file shows."""

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from incubator.applications.importer.csvfile import Row, Table
from incubator.applications.importer.fields import FIELDS, LENGTHS, PITCH_FIELDS, ColumnMap, file_language
from incubator.applications.importer.values import (
    FocusAreaOption,
    ValueProblem,
    clean_link,
    date_order,
    is_ambiguous_date,
    is_video_link,
    match_focus_area,
    normalise_phone,
    parse_age,
    parse_business_stage,
    parse_email,
    parse_legal_status,
    parse_money,
    parse_nib,
    parse_timestamp,
    parse_yes_no,
)


@dataclass(frozen=True)
class Problem:
    field: str  # the field key
    code: str
    column: int | None  # 0-based column of the file, None for the row as a whole
    value: str = ""
    warning: bool = False  # a warning is shown but does not stop the row from being imported
    params: Mapping[str, Any] = field(default_factory=dict)


@dataclass
class RowResult:
    number: int
    values: dict[str, Any]
    problems: list[Problem]

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if not p.warning]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.warning]

    @property
    def valid(self) -> bool:
        return not self.errors


class Counts(NamedTuple):
    rows: int
    valid: int
    invalid: int
    warnings: int


def count(results: Sequence[RowResult]) -> Counts:
    valid = sum(1 for r in results if r.valid)
    return Counts(len(results), valid, len(results) - valid, sum(len(r.warnings) for r in results))


PROGRESS_ROWS = 250

PROGRESS_ROWS = 250

_PARSERS = {
    "email": parse_email,
    "phone": normalise_phone,
    "age": parse_age,
    "money": parse_money,
    "yes_no": parse_yes_no,
    "business_stage": parse_business_stage,
    "legal_status": parse_legal_status,
    "nib": parse_nib,
    "link": clean_link,
    "video": clean_link,
}
_EMPTY = {"text": "", "email": "", "phone": "", "nib": "", "link": "", "video": ""}
# Optional links: one that cannot be used is left out with a warning; the application is still worth having.
_DROPPED_IF_BAD = ("link", "video")


class Dates(NamedTuple):
    """How the file writes its dates (see values.date_order)."""

    month_first: bool = False
    sure: bool = True
    language: str = "id"


def _convert(spec, raw: str, focus_areas, limits, dates: Dates):
    if spec.kind == "text":
        value = " ".join(raw.split()) if spec.key not in PITCH_FIELDS else raw
        if spec.key in limits and len(value) > limits[spec.key]:
            raise ValueProblem("too_long", max=limits[spec.key])
        return value
    if spec.kind == "focus_area":
        return match_focus_area(raw, focus_areas)
    if spec.kind == "timestamp":
        return parse_timestamp(raw, month_first=dates.month_first)
    return _PARSERS[spec.kind](raw)


def check_row(
    row: Row,
    mapping: ColumnMap,
    *,
    focus_areas: Sequence[FocusAreaOption] = (),
    text_limits: Mapping[str, int] | None = None,
    dates: Dates = Dates(),
) -> RowResult:
    """The clean values of one row (every field key present) and its problems."""
    limits = {**LENGTHS, **(text_limits or {})}
    values: dict[str, Any] = {}
    problems: list[Problem] = []
    for spec in FIELDS:
        column = mapping.get(spec.key)
        raw = row.cells[column] if column is not None and column < len(row.cells) else ""
        values[spec.key] = _EMPTY.get(spec.kind)
        if not raw:
            if spec.required:
                problems.append(Problem(spec.key, "required", column))
            continue
        try:
            value = _convert(spec, raw, focus_areas, limits, dates)
        except ValueProblem as problem:
            dropped = spec.kind in _DROPPED_IF_BAD
            code = f"{problem.code}_dropped" if dropped else problem.code
            problems.append(Problem(spec.key, code, column, raw[:200], dropped, problem.params))
            continue
        values[spec.key] = value
        if spec.kind == "video" and value and not is_video_link(value):
            problems.append(Problem(spec.key, "video_site", column, raw[:200], warning=True))
        elif spec.kind == "timestamp" and value and not dates.sure and is_ambiguous_date(raw):
            params = {"month_first": dates.month_first, "language": dates.language, "when": value}
            problems.append(Problem(spec.key, "ambiguous_date", column, raw[:200], True, params))
    return RowResult(row.number, values, problems)


def startup_key(name: str) -> str:
    """How two startup names are compared: case and spacing ignored."""
    return " ".join(name.casefold().split())


def file_dates(table: Table, mapping: ColumnMap) -> Dates:
    """How the file's date column is written: from its own dates, else from the file's language."""
    language = file_language(table.headers)
    column = mapping.get("submitted_at")
    if column is None or not 0 <= column < len(table.headers):
        return Dates(language=language)
    month_first, sure = date_order((row.cells[column] for row in table.rows), language)
    return Dates(month_first, sure, language)


def check_rows(
    table: Table,
    mapping: ColumnMap,
    *,
    focus_areas: Sequence[FocusAreaOption] = (),
    text_limits: Mapping[str, int] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> list[RowResult]:
    """Every row checked, plus what only the whole file shows: the same e-mail and startup twice
    (the later rows are refused) and one startup name under two e-mails (a warning).
    `progress(done, total)` hears of the rows checked every PROGRESS_ROWS rows and at the end."""
    dates = file_dates(table, mapping)
    results = []
    total = len(table.rows)
    for done, row in enumerate(table.rows, start=1):
        results.append(check_row(row, mapping, focus_areas=focus_areas, text_limits=text_limits, dates=dates))
        if progress is not None and (done % PROGRESS_ROWS == 0 or done == total):
            progress(done, total)
    first_of: dict[tuple[str, str], int] = {}
    owner_of: dict[str, tuple[str, int]] = {}
    for result in results:
        email, name = result.values["email"], result.values["startup_name"]
        if not email or not name:
            continue
        key = (email, startup_key(name))
        if key in first_of:
            result.problems.append(
                Problem("startup_name", "duplicate", mapping.get("startup_name"), name, params={"row": first_of[key]})
            )
            continue
        first_of[key] = result.number
        other = owner_of.setdefault(key[1], (email, result.number))
        if other[0] != email:
            result.problems.append(
                Problem("startup_name", "same_name", mapping.get("startup_name"), name, True, {"row": other[1]})
            )
    return results
