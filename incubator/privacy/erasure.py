"""Erasure of personal data: an applicant's on an approved request, an expired application's on
the retention run.

What is erased is overwritten or removed; what makes the programme's figures is kept, anonymised.
Rows that rankings and statistics stand on (applications, score sheets and their values, stages,
attendance, KPI figures, team members' founder / under-30 / woman flags) stay, with every text a
person typed about themselves emptied, so the stored results of decided rounds (round_results and
its siblings, judging.results) never change. Last, a sweep over every text and JSON column of every
table (from the SQLAlchemy metadata, so a table added later is covered too) masks any remaining
occurrence of the person's name, e-mail or phone number (a stage-change reason, a mentor's note, an
audit event's details), and temporary files under UPLOAD_FOLDER that name them are removed.

Decks are removed from disk after the transaction commits (`remove_files_after_commit`), so a
rolled-back erasure never loses a file its rows still point to."""

import json
import re
from collections import Counter
from pathlib import Path

from flask import current_app
from sqlalchemy import JSON, String, Table, and_, cast, delete, func, or_, select, update
from sqlalchemy import Text as TextType

from incubator.applications.models import Application
from incubator.applications.uploads import DECK_DIR, deck_path
from incubator.audit.models import AuditEvent
from incubator.auth.models import User, UserRole, UserSession, UserToken
from incubator.cohorts.models import CohortStartup
from incubator.core.stash import FormStash
from incubator.extensions import db
from incubator.judging.conflicts import found as found_conflicts
from incubator.judging.models import Score, ScoreSheet
from incubator.kpis.models import KpiReport
from incubator.mail.models import OutboxMessage
from incubator.mentoring.models import ActionItem, SessionNote
from incubator.milestones.models import MilestoneProgress
from incubator.privacy.models import DeletionRequest, Erasure
from incubator.startups.models import Startup, TeamMember

MASK = "***"
PITCH_FIELDS = ("problem", "solution", "target_market", "business_model", "traction", "why_programme")
LINK_FIELDS = ("video_url", "deck_link")
# Needles shorter than this would mask unrelated words all over the database.
MIN_NEEDLE = 4
# The sweep leaves these alone: other people's accounts are never rewritten (the person's own
# row is anonymised precisely), and the erasure records hold ids and counts only.
SWEEP_SKIPS = {"users", "erasures"}
PENDING_FILES = "privacy_files_to_remove"
TEMP_FILE_LIMIT = 50 * 1024 * 1024


# --- what would be removed ----------------------------------------------------------------------


def owned_startups(user: User) -> list[Startup]:
    return list(db.session.scalars(select(Startup).where(Startup.owner_id == user.id).order_by(Startup.id)))


def applications_of(startup_ids: list[int]) -> list[Application]:
    if not startup_ids:
        return []
    return list(
        db.session.scalars(select(Application).where(Application.startup_id.in_(startup_ids)).order_by(Application.id))
    )


def preview(user: User) -> dict:
    """What erasing `user` would remove or anonymise, for the director's review (names shown only
    to the director who decides; nothing of it is stored)."""
    startups = owned_startups(user)
    applications = applications_of([s.id for s in startups])
    return {
        "account": user,
        "startups": startups,
        "members": sum(len(s.members) for s in startups),
        "applications": applications,
        "decks": sum(1 for a in applications if a.deck_path),
        "sheets": _count(select(func.count(ScoreSheet.id)).where(ScoreSheet.application_id.in_(_ids(applications)))),
        "emails": _count(select(func.count(OutboxMessage.id)).where(OutboxMessage.recipient == user.email)),
    }


def _ids(rows) -> list[int]:
    return [row.id for row in rows] or [-1]


def _count(query) -> int:
    return db.session.scalar(query) or 0


# --- erasure ------------------------------------------------------------------------------------


def erase_person(user: User, request: DeletionRequest) -> dict[str, int]:
    """Erase everything personal about `user` (an applicant) and their startups; returns counts."""
    counts: Counter = Counter()
    own = {user.name, user.email}
    team = set()
    for startup in owned_startups(user):
        own |= {m.phone for m in startup.members if m.email and m.email.lower() == user.email.lower()}
        team |= erase_startup(startup, "request", counts, request=request)
    _anonymise_account(user, counts)
    for other in db.session.scalars(select(DeletionRequest).where(DeletionRequest.user_id == user.id)):
        other.reason = ""
    db.session.flush()
    needles = own | (team - still_held(team))
    counts["masked"] += sweep(needles)
    counts["files"] += scrub_temporary_files(needles)
    return dict(counts)


def erase_startup(startup: Startup, cause: str, counts: Counter, request: DeletionRequest | None = None) -> set[str]:
    """Erase a startup's profile, team contacts, pitches and decks, and the text typed about it in
    incubation (KPI notes, milestone evidence, mentors' notes and comments); keeps its figures.
    Returns the team's names, e-mails and phone numbers for the sweep."""
    needles = set()
    already = select(Erasure.id).where(Erasure.application_id == Application.id)
    for application in db.session.scalars(
        select(Application).where(Application.startup_id == startup.id, ~already.exists()).order_by(Application.id)
    ):
        erase_application(application, cause, counts, request=request)
    for member in startup.members:
        needles |= {member.name, member.email, member.phone}
        member.name, member.role, member.email, member.phone = MASK, "", "", ""
        counts["members"] += 1
    startup.name = f"#{startup.id}"
    startup.city = startup.nib = startup.description = startup.website = startup.social_link = ""
    startup.owner_id = None
    memberships = select(CohortStartup.id).where(CohortStartup.startup_id == startup.id)
    _blank(KpiReport, KpiReport.cohort_startup_id.in_(memberships), note="")
    _blank(MilestoneProgress, MilestoneProgress.cohort_startup_id.in_(memberships), evidence_url="", evidence_note="")
    counts["notes"] += _blank(SessionNote, SessionNote.cohort_startup_id.in_(memberships), body="")
    _blank(ActionItem, ActionItem.cohort_startup_id.in_(memberships), done_comment="")
    _forget_stashes(f"/startups/{startup.id}/")
    found_conflicts.update(startup_ids=[startup.id])  # nothing of the team is left to find one in
    db.session.add(Erasure(cause=cause, request_id=getattr(request, "id", None), startup_id=startup.id, counts={}))
    counts["startups"] += 1
    return needles


def erase_application(
    application: Application, cause: str, counts: Counter, request: DeletionRequest | None = None
) -> None:
    """Empty an application's pitch and links, remove its deck, and empty the judges' comments on
    it; the scores, its status and its stage stay, so rankings stay true."""
    for name in (*PITCH_FIELDS, *LINK_FIELDS):
        setattr(application, name, "")
    if application.deck_path:
        pending = db.session.info.setdefault(PENDING_FILES, [])
        pending.append(application.deck_path)
        counts["decks"] += 1
    application.deck_path = application.deck_filename = application.deck_size = None
    sheets = select(ScoreSheet.id).where(ScoreSheet.application_id == application.id)
    _blank(ScoreSheet, ScoreSheet.application_id == application.id, overall_comment="")
    _blank(Score, Score.sheet_id.in_(sheets), comment="")
    _forget_stashes(f"/applications/{application.id}/")
    db.session.add(
        Erasure(cause=cause, request_id=getattr(request, "id", None), application_id=application.id, counts={})
    )
    counts["applications"] += 1


def _blank(model, where, **values) -> int:
    """Set text columns of the matching rows in one statement; the number of rows."""
    result = db.session.execute(
        update(model).where(where).values(**values), execution_options={"synchronize_session": "fetch"}
    )
    return result.rowcount or 0


def _forget_stashes(prefix: str) -> None:
    db.session.execute(delete(FormStash).where(FormStash.path.startswith(prefix, autoescape=True)))


def _anonymise_account(user: User, counts: Counter) -> None:
    """The account row stays (requests, consents and stage changes point to it) with nothing of the
    person left: no name, an address no one can receive at, no password, no roles, no sessions."""
    email = user.email
    db.session.execute(delete(UserSession).where(UserSession.user_id == user.id))
    db.session.execute(delete(UserToken).where(UserToken.user_id == user.id))
    db.session.execute(delete(UserRole).where(UserRole.user_id == user.id))
    counts["emails"] += db.session.execute(delete(OutboxMessage).where(OutboxMessage.recipient == email)).rowcount or 0
    db.session.execute(update(AuditEvent).where(AuditEvent.actor_id == user.id).values(ip_address=None))
    db.session.expire(user, ["role_rows"])
    user.name = MASK
    user.email = f"erased-{user.id}@erased.invalid"
    user.password_hash = None
    user.active = False
    user.email_confirmed_at = user.last_login_at = None
    found_conflicts.update(judge_ids=[user.id])
    counts["accounts"] += 1


# --- the sweep ------------------------------------------------------------------------------------


def still_held(values) -> set[str]:
    """Of `values` (a team's names, e-mails, phones), those the product still rightly holds: on a
    team member of a startup that was not erased, or an account's name or e-mail. A teammate who is
    also on another startup keeps their name there; the sweep leaves such values alone."""
    values = {v for v in values if v}
    if not values:
        return set()
    held = set()
    for column in (TeamMember.name, TeamMember.email, TeamMember.phone):
        held |= set(db.session.scalars(select(column).where(column.in_(values))))
    for column in (User.name, User.email):
        held |= set(db.session.scalars(select(column).where(column.in_(values))))
    return held


def usable_needles(values) -> list[str]:
    """The distinct values worth searching for, longest first (so a full name is masked whole)."""
    found = {v.strip() for v in values if v and len(v.strip()) >= MIN_NEEDLE}
    return sorted(found, key=lambda v: (-len(v), v))


def _mask_text(text: str, pattern: re.Pattern) -> str:
    return pattern.sub(MASK, text)


def _mask_json(value, pattern: re.Pattern):
    if isinstance(value, str):
        return _mask_text(value, pattern)
    if isinstance(value, list):
        return [_mask_json(v, pattern) for v in value]
    if isinstance(value, dict):
        return {k: _mask_json(v, pattern) for k, v in value.items()}
    return value


def text_columns(table: Table) -> tuple[list, list]:
    """(string columns, JSON columns) of a table."""
    strings = [c for c in table.columns if isinstance(c.type, String | TextType) and not c.primary_key]
    documents = [c for c in table.columns if isinstance(c.type, JSON)]
    return strings, documents


def sweep(values) -> int:
    """Mask every occurrence of `values` in every text and JSON column of every table but the
    accounts; returns the number of cells changed."""
    needles = usable_needles(values)
    if not needles:
        return 0
    pattern = re.compile("|".join(re.escape(n) for n in needles), re.IGNORECASE)
    # JSON is stored with non-ASCII escaped; search for both spellings.
    spelled = {n.lower() for n in needles} | {json.dumps(n)[1:-1].lower() for n in needles}
    changed = 0
    for table in db.metadata.sorted_tables:
        if table.name in SWEEP_SKIPS:
            continue
        strings, documents = text_columns(table)
        key = list(table.primary_key.columns)
        for column in strings:
            changed += _sweep_column(table, key, column, spelled, lambda v: _mask_text(v, pattern))
        for column in documents:
            changed += _sweep_column(
                table, key, column, spelled, lambda v: _mask_json(v, pattern), as_text=cast(column, TextType)
            )
    return changed


def _sweep_column(table, key, column, spelled, mask, as_text=None) -> int:
    searched = func.lower(as_text if as_text is not None else column)
    found = db.session.execute(
        select(*key, column).where(or_(*(searched.contains(s, autoescape=True) for s in spelled)))
    ).all()
    changed = 0
    for row in found:
        value = row[-1]
        masked = mask(value)
        if masked == value:
            continue
        where = and_(*(c == row[i] for i, c in enumerate(key)))
        db.session.execute(update(table).where(where).values({column.name: masked}))
        changed += 1
    return changed


def scrub_temporary_files(values) -> int:
    """Remove files under UPLOAD_FOLDER (decks aside: they are removed by their rows) that name the
    person: an import's uploaded CSV, a finished export. Both are temporary copies."""
    needles = [n.lower().encode() for n in usable_needles(values)]
    root = Path(current_app.config["UPLOAD_FOLDER"])
    removed = 0
    if not needles or not root.is_dir():
        return 0
    for path in root.rglob("*"):
        if not path.is_file() or path.parent.name == DECK_DIR or path.stat().st_size > TEMP_FILE_LIMIT:
            continue
        content = path.read_bytes().lower()
        if any(n in content for n in needles):
            path.unlink(missing_ok=True)
            removed += 1
    return removed


def remove_files_after_commit() -> int:
    """Delete the decks of erased applications; call after the transaction committed."""
    pending = db.session.info.pop(PENDING_FILES, [])
    for name in pending:
        try:
            deck_path(name).unlink(missing_ok=True)
        except FileNotFoundError:
            continue
    return len(pending)


def forget_pending_files() -> None:
    """After a rollback: nothing was erased, every deck stays."""
    db.session.info.pop(PENDING_FILES, None)
