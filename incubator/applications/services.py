"""Writes for startup profiles, teams and applications (draft, deck, submit, reopen, withdraw)."""

from collections.abc import Sequence
from datetime import datetime
from typing import BinaryIO, NamedTuple
from urllib.parse import urlsplit

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import bindparam, func, insert, select, update
from sqlalchemy.orm.exc import StaleDataError

from incubator.applications.models import TEXT_LIMITS, Application
from incubator.applications.uploads import DeckProblem, check_pdf, deck_path, safe_filename, store_deck
from incubator.audit.services import record, record_many
from incubator.auth.models import User
from incubator.cohorts import pipeline
from incubator.cohorts.models import Cohort, CohortStartup
from incubator.cohorts.services import Move, StartupRef, change_stage, change_stages
from incubator.core.database import chunks, utcnow
from incubator.core.errors import ServiceError
from incubator.core.phones import MESSAGE as PHONE_MESSAGE
from incubator.core.phones import PhoneProblem, normalise_phone
from incubator.extensions import db
from incubator.judging.conflicts import found as found_conflicts
from incubator.judging.ranking import results
from incubator.mail.outbox import queue_mail
from incubator.startups.models import BUSINESS_STAGES, LEGAL_STATUSES, Startup, TeamMember

DECK_MESSAGES = {
    "empty": _l("The file is empty."),
    "not_pdf": _l("The deck must be a PDF file; this file is not a PDF."),
    "broken": _l("This PDF is damaged or cannot be opened. Export it again and upload the new file."),
    "scripted": _l(
        "This PDF contains scripts or automatic actions, which are not allowed. Export it again as a plain PDF."
    ),
    "encrypted": _l("This PDF is protected with a password or encryption. Export it again without protection."),
    "attachment": _l("This PDF has files attached inside it, which are not allowed. Export it again as a plain PDF."),
}

# What a complete application needs, with the message that names what is missing.
REQUIRED = {
    "problem": _l("the problem you solve"),
    "solution": _l("your solution"),
    "target_market": _l("your target market"),
    "business_model": _l("your business model"),
    "traction": _l("your traction so far"),
    "why_programme": _l("why this programme"),
    "funding_need": _l("your funding need"),
    "deck": _l("a pitch deck (PDF)"),
}


def check_url(url: str) -> str:
    """An http(s) address, or a ServiceError; empty stays empty."""
    url = (url or "").strip()
    if not url:
        return ""
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc or " " in url or len(url) > 500:
        raise ServiceError(_l("Enter a full web address starting with https:// or http://."))
    return url


# --- startup profile and team ---------------------------------------------


def save_startup(startup: Startup | None, owner: User, **fields) -> Startup:
    """Create or update a startup profile owned by `owner`."""
    if fields.get("business_stage") not in BUSINESS_STAGES:
        raise ServiceError(_l("Choose the business stage."))
    if fields.get("legal_status") not in LEGAL_STATUSES:
        raise ServiceError(_l("Choose the legal status."))
    nib = (fields.get("nib") or "").strip()
    if nib and not (nib.isdigit() and len(nib) == 13):
        raise ServiceError(_l("An NIB has 13 digits."))
    fields["nib"] = nib
    fields["website"] = check_url(fields.get("website", ""))
    fields["social_link"] = check_url(fields.get("social_link", ""))
    created = startup is None
    if created:
        startup = Startup(owner_id=owner.id)
        db.session.add(startup)
    for key, value in fields.items():
        setattr(startup, key, value.strip() if isinstance(value, str) else value)
    startup.updated_at = utcnow()
    db.session.flush()
    if created:  # a judge who owns it, or shares the owner's e-mail domain, has a conflict with it
        found_conflicts.update(startup_ids=[startup.id])
    record("startup.created" if created else "startup.updated", startup, actor=owner, name=startup.name)
    return startup


def _member_fields(fields: dict) -> dict:
    """A team member's fields as stored: text trimmed, the phone number as E.164 (or a ServiceError)."""
    if "phone" in fields:
        try:
            fields = {**fields, "phone": normalise_phone(fields["phone"])}
        except PhoneProblem:
            raise ServiceError(PHONE_MESSAGE) from None
    return {key: value.strip() if isinstance(value, str) else value for key, value in fields.items()}


def save_member(
    startup: Startup, member: TeamMember | None, actor: User, *, find_conflicts: bool = True, **fields
) -> TeamMember:
    """Add or change a team member; the phone number is stored as E.164 (`+62…`). A caller that
    adds many at once uses `add_members`."""
    fields = _member_fields(fields)
    created = member is None
    if created:
        member = TeamMember(position=len(startup.members))
        startup.members.append(member)
    elif member.startup_id != startup.id:
        raise ServiceError(_l("This person is in another startup's team."))
    email_before = None if created else member.email
    for key, value in fields.items():
        setattr(member, key, value)
    db.session.flush()
    if find_conflicts and (member.email or None) != (email_before or None):
        # A judge on the team, or sharing its e-mail domain, has a conflict with the startup.
        found_conflicts.update(startup_ids=[startup.id])
    record("team_member.saved", startup, actor=actor, member=member.name)
    return member


def add_members(members: Sequence[tuple[int, dict]], actor: User, *, find_conflicts: bool = True) -> None:
    """Add many team members at once, (startup id, fields) each, as `save_member` adds one: after
    the startup's members, in this order, with one INSERT. A caller that updates the conflicts
    found in the data itself (the import, once for its new startups) passes `find_conflicts=False`."""
    rows = [{"startup_id": startup_id, **_member_fields(fields)} for startup_id, fields in members]
    startup_ids = sorted({row["startup_id"] for row in rows})
    count = {}
    for chunk in chunks(startup_ids):
        query = select(TeamMember.startup_id, func.count()).where(TeamMember.startup_id.in_(chunk))
        count.update((i, n) for i, n in db.session.execute(query.group_by(TeamMember.startup_id)))
    for row in rows:
        row["position"] = count.get(row["startup_id"], 0)
        count[row["startup_id"]] = row["position"] + 1
    if not rows:
        return
    db.session.execute(insert(TeamMember), rows)
    if find_conflicts:
        found_conflicts.update(startup_ids={row["startup_id"] for row in rows if row.get("email")})
    record_many(
        "team_member.saved", Startup, [(row["startup_id"], {"member": row["name"]}) for row in rows], actor=actor
    )


def remove_member(startup: Startup, member: TeamMember, actor: User) -> None:
    startup.members.remove(member)
    db.session.flush()
    if member.email:
        found_conflicts.update(startup_ids=[startup.id])
    record("team_member.removed", startup, actor=actor, member=member.name)


# --- applications ---------------------------------------------------------


def start_application(startup: Startup, cohort: Cohort, actor: User, now: datetime | None = None) -> Application:
    """A new draft of `startup` for `cohort`, or the one it already has."""
    existing = db.session.scalar(
        select(Application).where(Application.startup_id == startup.id, Application.cohort_id == cohort.id)
    )
    if existing is not None:
        return existing
    if not cohort.accepts_applications(now):
        raise ServiceError(_l("This cohort is not accepting applications now."))
    application = Application(startup=startup, cohort=cohort, status="draft", created_by_id=actor.id)
    db.session.add(application)
    db.session.flush()
    record("application.started", application, actor=actor, startup=startup.name, cohort=cohort.name)
    return application


def _editable(application: Application) -> None:
    if not application.is_draft:
        raise ServiceError(_l("This application has been submitted and can no longer be changed."))


STALE = _l(
    "This application was changed in another tab or on another device since this page was opened. "
    "Reload the page to see the saved version; what you typed is still on this page."
)
# The draft's fields that a founder types, in the order of the form.
DRAFT_FIELDS = (*TEXT_LIMITS, "funding_need", "video_url")


def check_draft_field(name: str, value):
    """The value to store for one field of the draft, or ServiceError with the field's message."""
    if name in TEXT_LIMITS:
        value = (value or "").strip()
        if len(value) > TEXT_LIMITS[name]:
            raise ServiceError(_l("Use at most %(max)d characters.", max=TEXT_LIMITS[name]))
        return value
    if name == "video_url":
        return check_url(value or "")
    if name == "funding_need":
        if value is not None and value < 0:
            raise ServiceError(_l("The funding need cannot be negative."))
        if value is not None and value > MAX_FUNDING:
            raise ServiceError(_l("This amount is too large."))
        return value
    raise KeyError(name)


MAX_FUNDING = 2**63 - 1  # the column's range (BIGINT)


def save_draft(
    application: Application, actor: User, fields: dict, *, expected_version: int | None = None
) -> dict[str, str]:
    """Store every field of `fields` that is valid and keep the others as they were; returns the
    refused fields' messages by name. Nothing is required until submission.

    `expected_version` is the version the founder's page showed: a save from a page older than
    the last save (another tab, another device) is refused whole, never merged."""
    _editable(application)
    if expected_version is not None and expected_version != application.version:
        raise ServiceError(STALE)
    refused: dict[str, str] = {}
    for name, value in fields.items():
        try:
            setattr(application, name, check_draft_field(name, value))
        except ServiceError as exc:
            refused[name] = str(exc.message)
    application.updated_at = utcnow()
    try:
        db.session.flush()
    except StaleDataError:  # another save of the same version got there first
        raise ServiceError(STALE) from None
    record("application.saved", application, actor=actor)
    return refused


def attach_deck(application: Application, stream: BinaryIO, filename: str, actor: User) -> None:
    """Check the upload is a real PDF within the size limit, store it, and replace any earlier deck."""
    _editable(application)
    max_bytes = current_app.config["MAX_DECK_BYTES"]
    try:
        size = check_pdf(stream, max_bytes)
    except DeckProblem as problem:
        if problem.code == "too_large":
            mb = max_bytes // (1024 * 1024)
            raise ServiceError(_l("The deck is larger than %(mb)d MB. Please upload a smaller PDF.", mb=mb)) from None
        raise ServiceError(DECK_MESSAGES[problem.code]) from None
    old = application.deck_path
    application.deck_path = store_deck(stream)
    application.deck_filename = safe_filename(filename)
    application.deck_size = size
    application.updated_at = utcnow()
    db.session.flush()
    if old:
        deck_path(old).unlink(missing_ok=True)
    record("application.deck_uploaded", application, actor=actor, size=size)


def missing(application: Application) -> list[str]:
    """What the application still lacks before it can be submitted, translated."""
    gaps = []
    for key, label in REQUIRED.items():
        value = application.deck_path if key == "deck" else getattr(application, key)
        if value in (None, ""):
            gaps.append(str(label))
    return gaps


def window_open(application: Application, now: datetime | None = None) -> bool:
    """Whether the founder may still submit: inside the cohort's window (server time), or at any
    time after a director reopened the application for changes."""
    return application.cohort.accepts_applications(now) or application.reopened_at is not None


def submit(application: Application, actor: User, *, now: datetime | None = None, imported: bool = False) -> None:
    """Submit inside the application window (server time): the startup enters the cohort as
    applied, the application becomes read-only, and a confirmation e-mail is queued.

    `now` is when the request arrived (routes pass the time its first byte was answered, so a
    submission that starts before the deadline is on time even if its deck arrives after it).
    An application a director reopened may be submitted again after the window closed.
    `imported` applications (from a spreadsheet of an earlier form) skip the window and
    completeness checks: they were submitted elsewhere."""
    now = now or utcnow()
    if not application.is_draft:
        raise ServiceError(_l("This application has already been submitted."))
    if not imported:
        if not window_open(application, now):
            raise ServiceError(
                _l("Applications for this cohort are closed; your draft is kept. Contact the programme team.")
            )
        gaps = missing(application)
        if gaps:
            raise ServiceError(_l("Still missing: %(items)s.", items=", ".join(gaps)))
    for key, value in _submitted(now).items():
        setattr(application, key, value)
    membership = db.session.scalar(
        select(CohortStartup).where(
            CohortStartup.cohort_id == application.cohort_id, CohortStartup.startup_id == application.startup_id
        )
    )
    if membership is None:
        change_stage(
            application.startup, application.cohort, pipeline.APPLIED, actor, system=imported, refresh_results=False
        )
    if not imported:  # an import refreshes once, for all its rows (applications.importing)
        db.session.flush()
        results.refresh_cohort(application.cohort_id)  # the rounds at its startup's stage rank it now
    record("application.submitted", application, actor=actor, imported=imported or None)
    owner = application.startup.owner
    if owner is not None and not imported:
        queue_mail(owner, "application_submitted", user=owner, application=application)


def _submitted(now: datetime) -> dict:
    """What a submission sets on the application."""
    return {"status": "submitted", "submitted_at": now, "updated_at": now}


class Imported(NamedTuple):
    """A draft to submit as imported (see `submit_imported`)."""

    application_id: int
    startup: StartupRef
    cohort: Cohort
    submitted_at: datetime


def submit_imported(drafts: Sequence[Imported], actor: User) -> None:
    """Submit many drafts that came from a spreadsheet of an earlier form at once, as `submit`
    does with `imported=True` (no window or completeness check, no e-mail): each at its form's
    time, its startup entering the cohort as applied unless it is in it already. One statement
    per table; the caller refreshes the rounds' results once (judging.ranking.results.refresh_cohort)."""
    if not drafts:
        return
    table = Application.__table__
    values = [_submitted(d.submitted_at) for d in drafts]
    statement = (
        update(table)
        .where(table.c.id == bindparam("application_id"), table.c.status == "draft")
        .values(version=table.c.version + 1, **{key: bindparam(f"new_{key}") for key in values[0]})
    )
    db.session.execute(
        statement,
        [
            {"application_id": d.application_id, **{f"new_{k}": v for k, v in row.items()}}
            for d, row in zip(drafts, values, strict=True)
        ],
    )
    inside = set()
    for cohort_id in {d.cohort.id for d in drafts}:
        startup_ids = [d.startup.id for d in drafts if d.cohort.id == cohort_id]
        for chunk in chunks(startup_ids):
            query = select(CohortStartup.startup_id).where(
                CohortStartup.cohort_id == cohort_id, CohortStartup.startup_id.in_(chunk)
            )
            inside.update((cohort_id, i) for i in db.session.scalars(query))
    moves = [Move(d.startup, d.cohort, pipeline.APPLIED) for d in drafts if (d.cohort.id, d.startup.id) not in inside]
    change_stages(moves, actor, system=True, refresh_results=False)
    record_many(
        "application.submitted", Application, [(d.application_id, {"imported": True}) for d in drafts], actor=actor
    )


def reopen(application: Application, actor: User) -> None:
    """A director makes a submitted application editable again (the stage stays as it is); the
    founder may submit it again, even after the window closed.

    Refused once a judge has submitted a sheet for it: a draft is in no round's ranking, so
    reopening would take judged scores out of the ranking, its explanation and scorecards."""
    from incubator.judging.models import ScoreSheet  # judging builds on applications

    if application.is_draft:
        raise ServiceError(_l("This application is already a draft."))
    judged = db.session.scalar(
        select(ScoreSheet.id).where(ScoreSheet.application_id == application.id, ScoreSheet.status == "final").limit(1)
    )
    if judged is not None:
        raise ServiceError(
            _l(
                "Judges have already submitted scores for this application, so it cannot be reopened: "
                "its ranking and scorecards rest on what was submitted."
            )
        )
    application.status = "draft"
    application.reopened_at = utcnow()
    try:
        db.session.flush()
    except StaleDataError:  # the founder's page saved at the same moment
        raise ServiceError(STALE) from None
    results.refresh_cohort(application.cohort_id)  # no round ranks a draft
    record("application.reopened", application, actor=actor)


def withdraw(application: Application, actor: User, reason: str) -> None:
    """The founder (or a director) withdraws the startup from the cohort."""
    change_stage(application.startup, application.cohort, pipeline.WITHDRAWN, actor, reason)
    record("application.withdrawn", application, actor=actor)
