"""Reading a spreadsheet of applications (e.g. a Google Form export): plain functions over plain data.

No Flask and no database here. The caller reads the bytes, picks the column of each
field (`guess_mapping` proposes one), and gets back, per row, the clean values and the
problems found, as codes; `incubator.applications.importing` turns the codes into
translated messages and writes the valid rows.

Rows are numbered as in the spreadsheet: the header is row 1, the first answer row 2.
"""

import csv
import io
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, NamedTuple
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from incubator.core.numbers import ValueProblem, read_rupiah

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5000
PREVIEW_ROWS = 5
WIB = ZoneInfo("Asia/Jakarta")

# --- the file -------------------------------------------------------------------------------------


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
    return bool(_EMAIL.fullmatch(header)) or header.lower().startswith(("http://", "https://"))


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


# --- the fields -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Field:
    key: str
    kind: str
    required: bool = False
    # Header names that point to this field: lower case, words separated by one space, '|' between names.
    aliases: str = ""

    @property
    def alias_list(self) -> tuple[str, ...]:
        return tuple(self.aliases.split("|"))


FIELDS: tuple[Field, ...] = (
    Field("email", "email", True, "alamat email|email|email address|surel|alamat surel"),
    Field(
        "founder_name",
        "text",
        True,
        "nama pendiri|nama founder|nama lengkap|nama lengkap pendiri|founder name|full name|founder|nama|name",
    ),
    Field(
        "founder_phone",
        "phone",
        False,
        "nomor whatsapp|no whatsapp|whatsapp|nomor wa|no wa|nomor hp|no hp|nomor telepon|telepon|no telp"
        "|phone|phone number|whatsapp number|mobile",
    ),
    Field("founder_age", "age", False, "usia pendiri|umur pendiri|usia|umur|founder age|age"),
    Field(
        "startup_name",
        "text",
        True,
        "nama startup|nama usaha|nama bisnis|nama perusahaan|startup name|business name|company name|startup",
    ),
    Field("city", "text", False, "kota kabupaten|kota|kabupaten|domisili|city|regency|city regency"),
    Field("focus_area", "focus_area", False, "bidang fokus|bidang usaha|bidang|fokus|focus area|sektor|sector"),
    Field("business_stage", "business_stage", False, "tahap usaha|tahapan usaha|tahap|business stage|stage"),
    Field(
        "legal_status",
        "legal_status",
        False,
        "status legalitas|legalitas|status hukum|badan hukum|legal status|legal entity",
    ),
    Field("nib", "nib", False, "nib|nomor induk berusaha"),
    Field(
        "women_in_team",
        "yes_no",
        False,
        "ada anggota tim perempuan|anggota tim perempuan|perempuan|wanita|women in team|women|woman",
    ),
    Field("problem", "text", False, "masalah yang diselesaikan|masalah|permasalahan|problem"),
    Field("solution", "text", False, "solusi|solution"),
    Field("target_market", "text", False, "target pasar|pasar sasaran|target market|market"),
    Field("business_model", "text", False, "model bisnis|model usaha|business model"),
    Field("traction", "text", False, "traksi saat ini|traksi|traction"),
    Field("funding_need", "money", False, "kebutuhan dana|dana|funding need|funding"),
    Field("video_url", "video", False, "link video pitch|video pitch|link video|pitch video|video"),
    Field("deck_link", "link", False, "link pitch deck|pitch deck|link deck|deck"),
    Field("submitted_at", "timestamp", False, "stempel waktu|timestamp|waktu|submitted at|tanggal|date"),
)
FIELD_KEYS = tuple(f.key for f in FIELDS)
REQUIRED = tuple(f.key for f in FIELDS if f.required)
PITCH_FIELDS = ("problem", "solution", "target_market", "business_model", "traction")
# Column sizes of the non-pitch text fields (users.name, startups.name, ...); the pitch limits come from the caller.
LENGTHS = {"email": 254, "founder_name": 120, "startup_name": 160, "city": 80, "video_url": 500, "deck_link": 500}

ColumnMap = Mapping[str, int | None]


def _words(text: str) -> str:
    """A header reduced to lower-case words: 'Kebutuhan dana (Rp)' → 'kebutuhan dana rp'."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    text = text.replace("e-mail", "email")
    return " ".join(re.findall(r"[a-z0-9]+", text))


def guess_mapping(headers: Sequence[str]) -> dict[str, int | None]:
    """The column (0-based) each field most likely sits in, or None.

    An exact header beats one that merely contains an alias; a longer alias beats a
    shorter one; each column serves one field."""
    candidates = []
    normalised = [_words(h) for h in headers]
    for order, spec in enumerate(FIELDS):
        for rank, alias in enumerate(spec.alias_list):
            for column, header in enumerate(normalised):
                if header == alias:
                    score = (2, len(alias), -rank)
                elif f" {alias} " in f" {header} ":
                    score = (1, len(alias), -rank)
                else:
                    continue
                candidates.append((score, -order, -column, spec.key, column))
    candidates.sort(reverse=True)
    mapping: dict[str, int | None] = dict.fromkeys(FIELD_KEYS)
    taken: set[int] = set()
    for *_score, key, column in candidates:
        if mapping[key] is None and column not in taken:
            mapping[key] = column
            taken.add(column)
    return mapping


def mapping_problems(mapping: ColumnMap, width: int) -> list[tuple[str, str]]:
    """(field, code) for a mapping that cannot be used: 'unmapped' (a required field has no
    column), 'no_column' (a column the file does not have), 'twice' (a column chosen for two fields)."""
    problems = []
    seen: dict[int, str] = {}
    for key in FIELD_KEYS:
        column = mapping.get(key)
        if column is None:
            if key in REQUIRED:
                problems.append((key, "unmapped"))
            continue
        if not 0 <= column < width:
            problems.append((key, "no_column"))
        elif column in seen:
            problems.append((key, "twice"))
        else:
            seen[column] = key
    return problems


# --- converting one value -------------------------------------------------------------------------


def parse_money(text: str) -> int | None:
    """Whole Rupiah from how people write amounts (core.numbers.read_rupiah, which the forms use too)."""
    return read_rupiah(text)


def normalise_phone(text: str) -> str:
    """An Indonesian number as +62…: '0812-2653-7781', '+62 857 4012 3344', '62813…', '812…' (a
    spreadsheet dropped the 0). Another country's +number is kept as it is."""
    s = text.strip().lstrip("'")
    if not s:
        return ""
    if not re.fullmatch(r"\+?[\d\s().-]+", s):
        raise ValueProblem("phone")
    digits = re.sub(r"\D", "", s)
    if s.startswith("00"):  # the international dialling prefix: '0062 812…'
        s, digits = "+" + s[2:], digits[2:]
    if s.startswith("+") and not digits.startswith("62"):
        if not 8 <= len(digits) <= 15:
            raise ValueProblem("phone")
        return "+" + digits
    if digits.startswith("62"):
        national = digits[2:]
    elif digits.startswith("0"):
        national = digits[1:]
    elif digits.startswith("8"):
        national = digits
    else:
        raise ValueProblem("phone")
    national = national.removeprefix("0")  # '+62 (0)812…'
    if not 8 <= len(national) <= 12 or national.startswith("0"):
        raise ValueProblem("phone")
    return "+62" + national


_YES = {"ya", "y", "iya", "yes", "true", "benar", "ada", "1"}
_NO = {"tidak", "tdk", "tak", "no", "n", "false", "salah", "tidak ada", "belum", "belum ada", "bukan", "0", "-"}


def parse_yes_no(text: str) -> bool | None:
    """Ya/Tidak, Yes/No and their usual short forms; anything else (e.g. 'x', 'mungkin') is a problem."""
    s = text.strip()
    if not s:
        return None
    s = s if s == "-" else _words(s)
    if s in _YES:
        return True
    if s in _NO:
        return False
    raise ValueProblem("yes_no")


BUSINESS_STAGE_WORDS = {
    "idea": ("idea", "ide", "gagasan", "konsep", "ide gagasan"),
    "mvp": ("mvp", "prototipe", "prototype", "purwarupa", "minimum viable product"),
    "early_revenue": ("early revenue", "pendapatan awal", "sudah ada pendapatan", "awal pendapatan"),
    "growth": ("growth", "bertumbuh", "tumbuh", "berkembang", "pertumbuhan", "scale up"),
}
LEGAL_STATUS_WORDS = {
    "unincorporated": (
        "unincorporated",
        "belum berbadan hukum",
        "belum ada",
        "belum",
        "tidak ada",
        "tidak berbadan hukum",
        "perorangan",
        "not yet incorporated",
        "none",
    ),
    "cv": ("cv", "persekutuan komanditer"),
    "pt": ("pt", "perseroan terbatas", "pt perorangan"),
    "cooperative": ("cooperative", "koperasi"),
}


def _choose(text: str, table: Mapping[str, Iterable[str]], code: str) -> str | None:
    s = _words(text)
    if not s:
        return None
    for value, words in table.items():
        if s in words or s == _words(value):
            return value
    raise ValueProblem(code)


def parse_business_stage(text: str) -> str | None:
    """idea | mvp | early_revenue | growth from Indonesian or English words ('Pendapatan awal', 'Growth')."""
    return _choose(text, BUSINESS_STAGE_WORDS, "business_stage")


def parse_legal_status(text: str) -> str | None:
    """unincorporated | cv | pt | cooperative from 'Belum berbadan hukum', 'CV', 'PT', 'Koperasi', ..."""
    return _choose(text, LEGAL_STATUS_WORDS, "legal_status")


class FocusAreaOption(NamedTuple):
    id: int
    code: str
    name_id: str
    name_en: str


def match_focus_area(text: str, options: Iterable[FocusAreaOption]) -> int | None:
    """The id of the cohort's focus area named by its code or either name, any case."""
    s = " ".join(text.casefold().split())
    if not s:
        return None
    for option in options:
        if s in {" ".join(v.casefold().split()) for v in (option.code, option.name_id, option.name_en)}:
            return option.id
    raise ValueProblem("focus_area")


def parse_nib(text: str) -> str:
    s = re.sub(r"\s", "", text).lstrip("'")
    if s and not (s.isdigit() and len(s) == 13):
        raise ValueProblem("nib")
    return s


_EMAIL = re.compile(r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9-]+)+")


def parse_email(text: str) -> str:
    s = text.strip().lower()
    if s.startswith("mailto:"):
        s = s[len("mailto:") :]
    if not _EMAIL.fullmatch(s) or ".." in s or len(s) > LENGTHS["email"]:
        raise ValueProblem("email")
    return s


def parse_age(text: str) -> int | None:
    s = text.strip().lower()
    if not s:
        return None
    match = re.fullmatch(r"(\d{1,3})\s*(tahun|thn|th|years?|yrs?|yo)?\.?", s)
    if not match or not 10 <= int(match.group(1)) <= 100:
        raise ValueProblem("age")
    return int(match.group(1))


VIDEO_HOSTS = ("youtube.com", "youtu.be", "youtube-nocookie.com", "vimeo.com", "drive.google.com")


def clean_link(text: str) -> str:
    """An http(s) address; 'youtu.be/x' or 'www.…' gets https:// put in front; other schemes are refused."""
    s = text.strip()
    if not s:
        return ""
    if not re.match(r"[a-z][a-z0-9+.-]*:", s, re.IGNORECASE) and re.fullmatch(
        r"(?:[a-z0-9-]+\.)+[a-z]{2,}(?:[/?#]\S*)?", s, re.IGNORECASE
    ):
        s = "https://" + s
    parts = urlsplit(s)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname or re.search(r"\s", s):
        raise ValueProblem("link")
    if len(s) > LENGTHS["video_url"]:
        raise ValueProblem("too_long", max=LENGTHS["video_url"])
    return s


def is_video_link(url: str) -> bool:
    host = (urlsplit(url).hostname or "").lower()
    return any(host == h or host.endswith("." + h) for h in VIDEO_HOSTS)


_DMY = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?:[ T,]+(\d{1,2})[:.](\d{2})(?:[:.](\d{2}))?)?")
_YMD = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?")


def parse_timestamp(text: str) -> datetime | None:
    """A Google Form 'Stempel waktu' such as '18/12/2021 09:14:05' (day first; WIB) as an aware UTC datetime.

    ISO '2021-12-18 09:14:05' is read too; '12/18/2021' (month first) only when the day cannot be a month."""
    s = " ".join(text.split())
    if not s:
        return None
    if match := _DMY.fullmatch(s):
        day, month, year = (int(g) for g in match.groups()[:3])
        if month > 12 >= day:
            day, month = month, day
    elif match := _YMD.fullmatch(s):
        year, month, day = (int(g) for g in match.groups()[:3])
    else:
        raise ValueProblem("date")
    hour, minute, second = (int(g or 0) for g in match.groups()[3:])
    try:
        local = datetime(year, month, day, hour, minute, second, tzinfo=WIB)
    except ValueError:
        raise ValueProblem("date") from None
    return local.astimezone(UTC)


# --- checking rows --------------------------------------------------------------------------------


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
    "timestamp": parse_timestamp,
}
_EMPTY = {"text": "", "email": "", "phone": "", "nib": "", "link": "", "video": ""}


def check_row(
    row: Row,
    mapping: ColumnMap,
    *,
    focus_areas: Sequence[FocusAreaOption] = (),
    text_limits: Mapping[str, int] | None = None,
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
            if spec.kind == "text":
                value = " ".join(raw.split()) if spec.key not in PITCH_FIELDS else raw
                if spec.key in limits and len(value) > limits[spec.key]:
                    raise ValueProblem("too_long", max=limits[spec.key])
            elif spec.kind == "focus_area":
                value = match_focus_area(raw, focus_areas)
            else:
                value = _PARSERS[spec.kind](raw)
        except ValueProblem as problem:
            problems.append(Problem(spec.key, problem.code, column, raw[:200], params=problem.params))
            continue
        values[spec.key] = value
        if spec.kind == "video" and value and not is_video_link(value):
            problems.append(Problem(spec.key, "video_site", column, raw[:200], warning=True))
    return RowResult(row.number, values, problems)


def startup_key(name: str) -> str:
    """How two startup names are compared: case and spacing ignored."""
    return " ".join(name.casefold().split())


def check_rows(
    table: Table,
    mapping: ColumnMap,
    *,
    focus_areas: Sequence[FocusAreaOption] = (),
    text_limits: Mapping[str, int] | None = None,
) -> list[RowResult]:
    """Every row checked, plus what only the whole file shows: the same e-mail and startup twice
    (the later rows are refused) and one startup name under two e-mails (a warning)."""
    results = [check_row(r, mapping, focus_areas=focus_areas, text_limits=text_limits) for r in table.rows]
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
