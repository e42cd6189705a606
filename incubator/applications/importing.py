"""Importing applications from a spreadsheet into a cohort: the kept upload, the check, and the one write.

The pure reading and checking is in `importer`; this module keeps the uploaded file
under UPLOAD_FOLDER/imports/ between the pages, turns problem codes into translated
messages, and writes the valid rows (accounts, startups, applications) in the
caller's transaction.
"""

import os
import re
import secrets
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import BinaryIO, NamedTuple

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from incubator.applications import importer
from incubator.applications.importer import CSVProblem, FocusAreaOption, Problem, RowResult, Table
from incubator.applications.models import TEXT_LIMITS, Application
from incubator.applications.services import save_member, submit
from incubator.audit.services import record
from incubator.auth.models import Role, User
from incubator.auth.services import grant_role, invite_user
from incubator.cohorts.models import Cohort
from incubator.core.database import utcnow
from incubator.core.errors import ServiceError
from incubator.core.labels import business_stage_label, legal_status_label
from incubator.core.number_fields import RUPIAH_MESSAGES
from incubator.extensions import db
from incubator.judging.ranking.results import refresh_cohort
from incubator.startups.models import BUSINESS_STAGES, LEGAL_STATUSES, Startup

IMPORT_DIR = "imports"
TOKEN_RE = re.compile(r"[0-9a-f]{32}")
# Uploads nobody went on to import are removed after a day.
KEEP_SECONDS = 24 * 60 * 60
# Rows per IN (...) list when looking up what already exists (stays under every database's limit).
CHUNK = 500

FIELD_LABELS = {
    "email": _l("Applicant's e-mail"),
    "founder_name": _l("Founder's name"),
    "founder_phone": _l("Founder's phone (WhatsApp)"),
    "founder_age": _l("Founder's age"),
    "startup_name": _l("Startup name"),
    "city": _l("City or regency"),
    "focus_area": _l("Focus area"),
    "business_stage": _l("Business stage"),
    "legal_status": _l("Legal status"),
    "nib": _l("NIB"),
    "women_in_team": _l("Women in the team"),
    "problem": _l("Problem"),
    "solution": _l("Solution"),
    "target_market": _l("Target market"),
    "business_model": _l("Business model"),
    "traction": _l("Traction"),
    "funding_need": _l("Funding need (Rp)"),
    "video_url": _l("Pitch video link"),
    "deck_link": _l("Pitch deck link"),
    "submitted_at": _l("Submitted at (WIB)"),
}

FILE_MESSAGES = {
    "empty": _l("The file is empty."),
    "too_big": _l("The file is larger than %(mb)d MB. Split it into smaller files."),
    "not_text": _l(
        "This is not a CSV file. In Google Sheets or Excel, download or save the answers as "
        "comma-separated values (.csv) and upload that file."
    ),
    "malformed": _l("The file could not be read as CSV: check that every quoted cell is closed."),
    "no_header": _l("The first row must hold the column names."),
    "no_rows": _l("The file has column names but no answers."),
    "too_many_rows": _l("The file has more than %(rows)d rows. Split it into smaller files."),
}

PROBLEM_MESSAGES = {
    "required": _l("This field is required."),
    "email": _l("Enter a valid e-mail address."),
    "too_long": _l("Use at most %(max)d characters."),
    "nib": _l("An NIB has 13 digits."),
    "link": _l("Enter a full web address starting with https:// or http://."),
    **RUPIAH_MESSAGES,  # the forms' own, so an amount is explained alike everywhere
    "phone": _l("Write a phone number such as 0812-2653-7781 or +62 812 2653 7781."),
    "age": _l("Write the age in whole years, between 10 and 100."),
    "yes_no": _l("Write Ya or Tidak (Yes or No)."),
    "business_stage": _l("Unknown business stage. Use one of: %(choices)s."),
    "legal_status": _l("Unknown legal status. Use one of: %(choices)s."),
    "focus_area": _l("Not one of this cohort's focus areas: %(choices)s."),
    "date": _l("Write the date as day/month/year and the time in WIB, such as 18/12/2021 09:14:05."),
    "duplicate": _l("Row %(row)d has the same e-mail and startup; this row would import it twice."),
    "same_name": _l("Row %(row)d has a startup of the same name under another e-mail; both become separate startups."),
    "video_site": _l("This is not a video link (YouTube, Vimeo or Google Drive); it is imported anyway."),
}

MAPPING_MESSAGES = {
    "unmapped": _l("This field is required."),
    "no_column": _l("Choose one of the file's columns."),
    "twice": _l("This column is already chosen for another field."),
}


def file_message(problem: CSVProblem) -> str:
    return str(FILE_MESSAGES[problem.code]) % problem.params


def problem_message(problem: Problem, cohort: Cohort) -> str:
    """A row problem in the reader's language."""
    if problem.code == "focus_area":
        choices = ", ".join(area.name for area in cohort.focus_areas) or "—"
    elif problem.code == "business_stage":
        choices = ", ".join(business_stage_label(code) for code in BUSINESS_STAGES)
    elif problem.code == "legal_status":
        choices = ", ".join(legal_status_label(code) for code in LEGAL_STATUSES)
    else:
        choices = ""
    return str(PROBLEM_MESSAGES[problem.code]) % {**problem.params, "choices": choices}


# --- the uploaded file, kept between the pages ------------------------------------------------------


def import_folder() -> Path:
    folder = Path(current_app.config["UPLOAD_FOLDER"]) / IMPORT_DIR
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def upload_path(token: str) -> Path:
    """The kept file of a token this module made; anything else is refused."""
    if not TOKEN_RE.fullmatch(token or ""):
        raise FileNotFoundError(token)
    return import_folder() / f"{token}.csv"


def _sweep(folder: Path) -> None:
    limit = time.time() - KEEP_SECONDS
    for path in folder.iterdir():
        try:
            if path.stat().st_mtime < limit:
                path.unlink()
        except OSError:  # another request removed it first
            pass


def keep_upload(stream: BinaryIO) -> str:
    """Check that an upload is a usable CSV file and keep it; returns the token that names it.

    A file that cannot be used is refused with a ServiceError saying why; nothing is kept."""
    data = stream.read(importer.MAX_BYTES + 1)
    try:
        importer.read_csv(data)
    except CSVProblem as problem:
        raise ServiceError(file_message(problem)) from None
    folder = import_folder()
    _sweep(folder)
    token = secrets.token_hex(16)
    (folder / f"{token}.csv").write_bytes(data)
    return token


def load_table(token: str) -> Table:
    """The kept file as a table; FileNotFoundError when the token names no kept, readable file."""
    data = upload_path(token).read_bytes()
    try:
        return importer.read_csv(data)
    except CSVProblem:  # pragma: no cover - it was checked when it was kept; someone changed it since
        raise FileNotFoundError(token) from None


@contextmanager
def claimed_upload(token: str) -> Iterator[None]:
    """Hold the kept file while it is imported, so a second click cannot import it again at the same time.

    The file is deleted when the block ends normally and put back when it fails.
    FileNotFoundError when it is missing or already held."""
    path = upload_path(token)
    held = path.with_suffix(".importing")
    os.rename(path, held)
    try:
        yield
    except BaseException:
        os.rename(held, path)
        raise
    held.unlink(missing_ok=True)


# --- checking -----------------------------------------------------------------------------------


class Checked(NamedTuple):
    results: list[RowResult]
    counts: importer.Counts
    already_imported: int  # valid rows whose application is already in the cohort


def focus_area_options(cohort: Cohort) -> list[FocusAreaOption]:
    return [FocusAreaOption(a.id, a.code, a.name_id, a.name_en) for a in cohort.focus_areas]


def _check_rows(cohort: Cohort, table: Table, mapping: importer.ColumnMap) -> list[RowResult]:
    return importer.check_rows(table, mapping, focus_areas=focus_area_options(cohort), text_limits=TEXT_LIMITS)


def _chunks(values: Sequence, size: int = CHUNK) -> Iterable[Sequence]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


class _Existing:
    """The accounts, their startups, and the cohort's applications that the rows may point at:
    a few queries for the whole file instead of several per row."""

    def __init__(self, cohort: Cohort, rows: Iterable[RowResult]) -> None:
        emails = sorted({r.values["email"] for r in rows})
        self.users: dict[str, User] = {}
        for chunk in _chunks(emails):
            self.users.update((u.email, u) for u in db.session.scalars(select(User).where(User.email.in_(chunk))))
        owner_ids = sorted(u.id for u in self.users.values())
        self.startups: dict[tuple[int, str], Startup] = {}
        for chunk in _chunks(owner_ids):
            query = select(Startup).where(Startup.owner_id.in_(chunk)).order_by(Startup.id)
            for startup in db.session.scalars(query):
                self.startups.setdefault((startup.owner_id, importer.startup_key(startup.name)), startup)
        startup_ids = sorted(s.id for s in self.startups.values())
        self.applied: set[int] = set()
        for chunk in _chunks(startup_ids):
            self.applied.update(
                db.session.scalars(
                    select(Application.startup_id).where(
                        Application.cohort_id == cohort.id, Application.startup_id.in_(chunk)
                    )
                )
            )

    def startup(self, user: User | None, name: str) -> Startup | None:
        return self.startups.get((user.id, importer.startup_key(name))) if user is not None else None

    def already_imported(self, row: RowResult) -> bool:
        startup = self.startup(self.users.get(row.values["email"]), row.values["startup_name"])
        return startup is not None and startup.id in self.applied


def check(cohort: Cohort, table: Table, mapping: importer.ColumnMap) -> Checked:
    """Every row's problems, the counts, and how many valid rows are already in the cohort. Writes nothing."""
    results = _check_rows(cohort, table, mapping)
    valid = [r for r in results if r.valid]
    existing = _Existing(cohort, valid)
    return Checked(results, importer.count(results), sum(1 for r in valid if existing.already_imported(r)))


# --- importing ----------------------------------------------------------------------------------


class ImportResult(NamedTuple):
    imported: int
    already_imported: int
    invalid: int
    invited: int


def _new_startup(owner: User, values: dict, actor: User) -> Startup:
    startup = Startup(
        owner_id=owner.id,
        name=values["startup_name"],
        city=values["city"],
        focus_area_id=values["focus_area"],
        business_stage=values["business_stage"] or "idea",
        legal_status=values["legal_status"] or "unincorporated",
        nib=values["nib"],
        declared_women_in_team=bool(values["women_in_team"]),
    )
    db.session.add(startup)
    db.session.flush()
    record("startup.created", startup, actor=actor, name=startup.name, imported=True)
    age = values["founder_age"]
    save_member(
        startup,
        None,
        actor,
        name=values["founder_name"],
        email=values["email"],
        phone=values["founder_phone"],
        is_founder=True,
        under_30=age is not None and age < 30,
    )
    return startup


def _import_row(values: dict, cohort: Cohort, existing: _Existing, actor: User, now: datetime) -> tuple[bool, bool]:
    """One valid row: (imported, invited). Not imported means its application was already there."""
    user = existing.users.get(values["email"])
    invited = user is None
    if user is None:
        user = invite_user(
            values["email"],
            values["founder_name"],
            [Role.APPLICANT],
            actor,
            locale="id",
            mail="imported_application",
            cohort=cohort,
            startup_name=values["startup_name"],
        )
        existing.users[user.email] = user
    elif Role.APPLICANT not in user.roles:
        grant_role(user, Role.APPLICANT, actor)
    startup = existing.startup(user, values["startup_name"])
    if startup is not None and startup.id in existing.applied:
        return False, invited
    if startup is None:
        startup = _new_startup(user, values, actor)
        existing.startups[(user.id, importer.startup_key(startup.name))] = startup
    application = Application(
        startup=startup,
        cohort=cohort,
        status="draft",
        created_by_id=actor.id,
        funding_need=values["funding_need"],
        video_url=values["video_url"],
        deck_link=values["deck_link"],
        **{key: values[key] for key in importer.PITCH_FIELDS},
    )
    db.session.add(application)
    db.session.flush()
    submit(application, actor, now=values["submitted_at"] or now, imported=True)
    existing.applied.add(startup.id)
    return True, invited


def import_applications(
    cohort: Cohort, table: Table, mapping: importer.ColumnMap, actor: User, *, now: datetime | None = None
) -> ImportResult:
    """Import the valid rows of a checked file into `cohort`, in the caller's transaction.

    Per row: find the applicant by e-mail or invite a new account (in Indonesian); find
    their startup by name (any case) or create it with the founder in its team; create
    the application with the pitch and submit it as imported, at the form's timestamp,
    so the startup enters the cohort as applied. A row whose startup already has an
    application in the cohort is skipped, so the same file imported twice changes nothing.
    One audit event records the counts."""
    now = now or utcnow()
    results = _check_rows(cohort, table, mapping)
    valid = [r for r in results if r.valid]
    existing = _Existing(cohort, valid)
    imported = invited = 0
    for row in valid:
        row_imported, row_invited = _import_row(row.values, cohort, existing, actor, now)
        imported += row_imported
        invited += row_invited
    result = ImportResult(imported, len(valid) - imported, len(results) - len(valid), invited)
    record("applications.imported", cohort, actor=actor, rows=len(results), **result._asdict())
    db.session.flush()
    refresh_cohort(cohort.id)  # once for every row: the rounds at the applied stage rank them now
    return result


def mapping_errors(mapping: importer.ColumnMap, width: int) -> list[tuple[str, str]]:
    """(field, translated message) for a column choice that cannot be used."""
    return [(key, str(MAPPING_MESSAGES[code])) for key, code in importer.mapping_problems(mapping, width)]
