"""Importing applications from a spreadsheet into a cohort: the kept upload, the check, and the writes.

The pure reading and checking is in `importer`, the messages in `import_messages`, the
background jobs that run a check or an import in `import_jobs`; this module keeps the uploaded
file under UPLOAD_FOLDER/imports/ between the pages and writes the valid rows (accounts,
startups, applications) in the caller's transaction, a batch at a time: the rows' values are
built here and each table is written once per batch through the services' batch forms
(`invite_users`, `add_members`, `submit_imported`, `change_stages`, `record_many`), which write
the same rows as their single-item forms (tests/test_import_batch.py).
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
from sqlalchemy import insert, select

from incubator.applications import importer
from incubator.applications.import_messages import file_message
from incubator.applications.importer import CSVProblem, FocusAreaOption, RowResult, Table
from incubator.applications.late_entries import keep_out_of_closed_rounds
from incubator.applications.models import TEXT_LIMITS, Application
from incubator.applications.services import Imported, add_members, submit_imported
from incubator.audit.services import record, record_many
from incubator.auth.models import Role, User
from incubator.auth.services import NewUser, grant_role, invite_users
from incubator.cohorts.models import Cohort
from incubator.cohorts.pipeline import APPLIED
from incubator.cohorts.services import StartupRef
from incubator.core.database import utcnow
from incubator.core.errors import ServiceError
from incubator.extensions import db
from incubator.judging.conflicts import found as found_conflicts
from incubator.judging.ranking.results import refresh_cohort
from incubator.startups.models import Startup

IMPORT_DIR = "imports"
TOKEN_RE = re.compile(r"[0-9a-f]{32}")
# Uploads nobody went on to import are removed after a day.
KEEP_SECONDS = 24 * 60 * 60
# Rows per IN (...) list when looking up what already exists (stays under every database's limit).
CHUNK = 500

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


def _check_rows(cohort: Cohort, table: Table, mapping: importer.ColumnMap, progress=None) -> list[RowResult]:
    return importer.check_rows(
        table, mapping, focus_areas=focus_area_options(cohort), text_limits=TEXT_LIMITS, progress=progress
    )


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
        # Ids, not objects: a file of thousands of rows needs the objects of the few it adds to.
        self.startups: dict[tuple[int, str], int] = {}
        self.names: dict[int, str] = {}
        for chunk in _chunks(owner_ids):
            query = select(Startup.id, Startup.owner_id, Startup.name).where(Startup.owner_id.in_(chunk))
            for startup_id, owner_id, name in db.session.execute(query.order_by(Startup.id)):
                self.startups.setdefault((owner_id, importer.startup_key(name)), startup_id)
                self.names[startup_id] = name
        startup_ids = sorted(self.startups.values())
        self.applied: set[int] = set()
        for chunk in _chunks(startup_ids):
            self.applied.update(
                db.session.scalars(
                    select(Application.startup_id).where(
                        Application.cohort_id == cohort.id, Application.startup_id.in_(chunk)
                    )
                )
            )

    def startup_id(self, user: User | None, name: str) -> int | None:
        return self.startups.get((user.id, importer.startup_key(name))) if user is not None else None

    def already_imported(self, row: RowResult) -> bool:
        return self.startup_id(self.users.get(row.values["email"]), row.values["startup_name"]) in self.applied


def check(cohort: Cohort, table: Table, mapping: importer.ColumnMap, *, progress=None) -> Checked:
    """Every row's problems, the counts, and how many valid rows are already in the cohort. Writes
    nothing. `progress(done, total)` is told the rows checked as it goes."""
    results = _check_rows(cohort, table, mapping, progress)
    valid = [r for r in results if r.valid]
    existing = _Existing(cohort, valid)
    return Checked(results, importer.count(results), sum(1 for r in valid if existing.already_imported(r)))


# --- importing ----------------------------------------------------------------------------------


class ImportResult(NamedTuple):
    imported: int
    already_imported: int
    invalid: int
    invited: int


def _invite(cohort: Cohort, rows: Sequence[RowResult], existing: _Existing, actor: User) -> int:
    """Invite (in Indonesian) the founders who have no account yet, each once, named and told about
    the startup of their first row; the number invited."""
    first: dict[str, dict] = {}
    for row in rows:
        if row.values["email"] not in existing.users:
            first.setdefault(row.values["email"], row.values)
    users = invite_users(
        [NewUser(v["email"], v["founder_name"], [Role.APPLICANT], "id") for v in first.values()],
        actor,
        mail="imported_application",
        contexts=[{"cohort": cohort, "startup_name": v["startup_name"]} for v in first.values()],
    )
    existing.users.update((user.email, user) for user in users)
    return len(users)


def _new_startups(rows: list[tuple[dict, tuple[int, str]]], existing: _Existing, actor: User) -> None:
    """Create the startups of these rows, each with its founder in the team; (values, key) each."""
    if not rows:
        return
    startups = [
        {
            "owner_id": owner_id,
            "name": values["startup_name"],
            "city": values["city"],
            "focus_area_id": values["focus_area"],
            "business_stage": values["business_stage"] or "idea",
            "legal_status": values["legal_status"] or "unincorporated",
            "nib": values["nib"],
            "declared_women_in_team": bool(values["women_in_team"]),
        }
        for values, (owner_id, _name) in rows
    ]
    ids = list(db.session.scalars(insert(Startup).returning(Startup.id, sort_by_parameter_order=True), startups))
    for (values, key), startup_id in zip(rows, ids, strict=True):
        existing.startups[key] = startup_id
        existing.names[startup_id] = values["startup_name"]
    created = [(i, {"name": row["name"], "imported": True}) for i, row in zip(ids, startups, strict=True)]
    record_many("startup.created", Startup, created, actor=actor)
    founders = []
    for (values, _key), startup_id in zip(rows, ids, strict=True):
        age = values["founder_age"]
        founder = {
            "name": values["founder_name"],
            "email": values["email"],
            "phone": values["founder_phone"],
            "is_founder": True,
            "under_30": age is not None and age < 30,
        }
        founders.append((startup_id, founder))
    add_members(founders, actor, find_conflicts=False)  # once for every new startup, in import_rows


def valid_rows(cohort: Cohort, table: Table, mapping: importer.ColumnMap) -> tuple[list[RowResult], int]:
    """The rows an import writes, checked again (the file is the one checked, the cohort may have
    changed), and the number of rows refused."""
    results = _check_rows(cohort, table, mapping)
    valid = [r for r in results if r.valid]
    return valid, len(results) - len(valid)


def import_rows(
    cohort: Cohort, rows: Sequence[RowResult], actor: User, *, now: datetime | None = None
) -> tuple[int, int]:
    """Import these valid rows into `cohort`, in the caller's transaction; (imported, invited).

    For each row: find the applicant by e-mail or invite a new account (in Indonesian); find
    their startup by name (any case) or create it with the founder in its team; create
    the application with the pitch and submit it as imported, at the form's timestamp,
    so the startup enters the cohort as applied. A row whose startup already has an
    application in the cohort is skipped, so the same file imported twice changes nothing.
    A round of the applied stage that has already closed leaves the new applications out
    (they were never judged there); the others rank them from now on.

    The rows are written together, one statement per table (a few queries find what exists
    first): a chunk of the job's rows costs a few dozen statements, not some twenty per row."""
    now = now or utcnow()
    existing = _Existing(cohort, rows)
    invited = _invite(cohort, rows, existing, actor)
    applying: list[tuple[dict, tuple[int, str]]] = []  # (values, (owner id, startup key)), in file order
    keys: set[tuple[int, str]] = set()
    for row in rows:
        user = existing.users[row.values["email"]]
        if Role.APPLICANT not in user.roles:
            grant_role(user, Role.APPLICANT, actor)
        key = (user.id, importer.startup_key(row.values["startup_name"]))
        if key not in keys and existing.startups.get(key) not in existing.applied:
            keys.add(key)
            applying.append((row.values, key))
    _new_startups([(values, key) for values, key in applying if key not in existing.startups], existing, actor)
    pitches = [
        {
            "startup_id": existing.startups[key],
            "cohort_id": cohort.id,
            "status": "draft",
            "created_by_id": actor.id,
            "funding_need": values["funding_need"],
            "video_url": values["video_url"],
            "deck_link": values["deck_link"],
            **{name: values[name] for name in importer.PITCH_FIELDS},
        }
        for values, key in applying
    ]
    statement = insert(Application).returning(Application.id, sort_by_parameter_order=True)
    ids = list(db.session.scalars(statement, pitches)) if pitches else []
    drafts = []
    for application_id, (values, key) in zip(ids, applying, strict=True):
        startup_id = existing.startups[key]
        drafts.append(
            Imported(
                application_id,
                StartupRef(startup_id, existing.names[startup_id]),
                cohort,
                values["submitted_at"] or now,
            )
        )
        existing.applied.add(startup_id)
    submit_imported(drafts, actor)
    found_conflicts.update(startup_ids={d.startup.id for d in drafts})
    keep_out_of_closed_rounds(cohort.id, APPLIED, ids)
    refresh_cohort(cohort.id)  # once for all these rows: the rounds at the applied stage rank them now
    return len(ids), invited


def record_import(cohort: Cohort, actor: User, rows: int, result: ImportResult) -> None:
    record("applications.imported", cohort, actor=actor, rows=rows, **result._asdict())


def import_applications(
    cohort: Cohort, table: Table, mapping: importer.ColumnMap, actor: User, *, now: datetime | None = None
) -> ImportResult:
    """Import the valid rows of a checked file into `cohort` (see `import_rows`) in the caller's
    transaction, in one go. One audit event records the counts."""
    valid, invalid = valid_rows(cohort, table, mapping)
    imported, invited = import_rows(cohort, valid, actor, now=now)
    result = ImportResult(imported, len(valid) - imported, invalid, invited)
    record_import(cohort, actor, len(valid) + invalid, result)
    db.session.flush()
    return result
