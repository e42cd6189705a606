"""Converting one cell: amounts, phone numbers, yes/no, stages, links, dates. Each function returns the
clean value or raises ValueProblem with a code that importing turns into a message."""

import re
import unicodedata
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from typing import NamedTuple
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from incubator.core import phones
from incubator.core.numbers import ValueProblem, read_rupiah

WIB = ZoneInfo("Asia/Jakarta")
LINK_LENGTH = 500  # applications.video_url and deck_link


def words(text: str) -> str:
    """A header reduced to lower-case words: 'Kebutuhan dana (Rp)' → 'kebutuhan dana rp'."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    text = text.replace("e-mail", "email")
    return " ".join(re.findall(r"[a-z0-9]+", text))


def parse_money(text: str) -> int | None:
    """Whole Rupiah from how people write amounts (core.numbers.read_rupiah, which the forms use too)."""
    return read_rupiah(text)


def normalise_phone(text: str) -> str:
    """A phone number as E.164 (+62…) by core.phones, the one reader every phone field uses:
    '0812-2653-7781', '+62 857 4012 3344', '62813…', '812…' (a spreadsheet dropped the 0)."""
    try:
        return phones.normalise_phone(text)
    except phones.PhoneProblem:
        raise ValueProblem("phone") from None


_YES = {"ya", "y", "iya", "yes", "true", "benar", "ada", "1"}
_NO = {"tidak", "tdk", "tak", "no", "n", "false", "salah", "tidak ada", "belum", "belum ada", "bukan", "0", "-"}


def parse_yes_no(text: str) -> bool | None:
    """Ya/Tidak, Yes/No and their usual short forms; anything else (e.g. 'x', 'mungkin') is a problem."""
    s = text.strip()
    if not s:
        return None
    s = s if s == "-" else words(s)
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
    s = words(text)
    if not s:
        return None
    for value, names in table.items():
        if s in names or s == words(value):
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


EMAIL_LENGTH = 254
EMAIL = re.compile(r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9-]+)+")


def parse_email(text: str) -> str:
    s = text.strip().lower()
    if s.startswith("mailto:"):
        s = s[len("mailto:") :]
    if not EMAIL.fullmatch(s) or ".." in s or len(s) > EMAIL_LENGTH:
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
    if len(s) > LINK_LENGTH:
        raise ValueProblem("too_long", max=LINK_LENGTH)
    return s


def is_video_link(url: str) -> bool:
    host = (urlsplit(url).hostname or "").lower()
    return any(host == h or host.endswith("." + h) for h in VIDEO_HOSTS)


_DMY = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?:[ T,]+(\d{1,2})[:.](\d{2})(?:[:.](\d{2}))?)?")
_YMD = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?")
# Years an application can have been sent in: a form's timestamp outside them is a typing slip.
FIRST_YEAR, LAST_YEAR = 2000, 2100


def date_order(texts: Iterable[str], language: str) -> tuple[bool, bool]:
    """(month_first, sure) for a column of dates such as '18/12/2021' or '12/18/2021'.

    A date whose first or second number is above 12 shows the order the whole column was written
    in (a spreadsheet writes one column one way). Without one, or with both orders in the column,
    the file's language decides: Indonesian writes the day first, an English (US) Google Form
    the month first; `sure` is then False and every ambiguous date gets a warning."""
    day_first = month_first = False
    for text in texts:
        if match := _DMY.fullmatch(" ".join(text.split())):
            first, second = int(match.group(1)), int(match.group(2))
            day_first |= first > 12 >= second
            month_first |= second > 12 >= first
    if day_first != month_first:
        return month_first, True
    return language == "en", False


def is_ambiguous_date(text: str) -> bool:
    """'1/5/2022' may be 1 May or 5 January; '18/12/2021' and '5/5/2022' may not."""
    match = _DMY.fullmatch(" ".join(text.split()))
    return bool(match) and match.group(1) != match.group(2) and max(int(match.group(1)), int(match.group(2))) <= 12


def parse_timestamp(text: str, *, month_first: bool = False) -> datetime | None:
    """A Google Form 'Stempel waktu' such as '18/12/2021 09:14:05' (day first; WIB) as an aware UTC datetime.

    ISO '2021-12-18 09:14:05' is read too; with `month_first`, '12/18/2021' (an English form). A
    date that can be read only one way ('12/18/2021' day first) is read that way."""
    s = " ".join(text.split())
    if not s:
        return None
    if match := _DMY.fullmatch(s):
        day, month, year = (int(g) for g in match.groups()[:3])
        if (month_first and day <= 12) or month > 12 >= day:
            day, month = month, day
    elif match := _YMD.fullmatch(s):
        year, month, day = (int(g) for g in match.groups()[:3])
    else:
        raise ValueProblem("date")
    hour, minute, second = (int(g or 0) for g in match.groups()[3:])
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise ValueProblem("date")
    try:
        local = datetime(year, month, day, hour, minute, second, tzinfo=WIB)
    except ValueError:
        raise ValueProblem("date") from None
    return local.astimezone(UTC)
