"""Score-sheet writes: every score goes through `save_sheet`, every submission through `submit_sheet`.

Two tabs, a double click, or a judge saving while the director closes the round must
never create a second sheet, lose the later value, or slip a late save in:
- the database keeps one sheet per (round, application, judge) and one score per
  (sheet, criterion); a concurrent first save that loses the race is refused;
- each save names the sheet version it started from, and a stale one is refused (unless the sheet
  already holds exactly what it says: the same save sent again after its answer was lost);
- each save first locks the round against phase changes (a shared row lock on
  PostgreSQL; SQLite's single writer lock), then checks the round is still open.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation

from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from incubator.applications.models import Application
from incubator.audit.services import record
from incubator.auth.models import User
from incubator.core.database import utcnow
from incubator.core.errors import ServiceError
from incubator.extensions import db
from incubator.judging.assignments import tallies
from incubator.judging.models import RECOMMENDATIONS, Round, Score, ScoreSheet
from incubator.judging.permissions import scoring_refusal
from incubator.judging.ranking import results
from incubator.judging.rounds.frozen import frozen_criteria
from incubator.judging.rounds.rubric import is_on_scale

STALE = _l(
    "This sheet was changed in another window or device since you opened it. Reload the page to see the "
    "latest version; your entries are shown so you can copy them."
)


@dataclass(frozen=True)
class Entry:
    value: str | None  # as typed; empty for no score yet
    comment: str = ""


def lock_round(round_id: int, *, exclusive: bool = False) -> Round:
    """The round, locked against phase changes until this transaction ends; `exclusive` (FOR UPDATE)
    for a change of the round's phase, or of what its saves read, which waits for the saves in
    flight. Shared (FOR KEY SHARE) lets a refresh of the stored results (FOR NO KEY UPDATE,
    judging.ranking.results) follow in the same transaction without waiting on other sharers."""
    if db.engine.dialect.name == "postgresql":
        _hold(round_id, exclusive=exclusive)
        round_ = db.session.get(Round, round_id, populate_existing=True)
        return round_
    # SQLite has one writer at a time: writing first takes that lock before the phase is read.
    db.session.execute(update(Round).where(Round.id == round_id).values(phase=Round.phase))
    db.session.expire_all()
    return db.session.get(Round, round_id)


def _hold(round_id: int, *, exclusive: bool) -> None:
    """The round's row alone locked on PostgreSQL (its eager joins, cohort and space, cannot take a
    row lock): FOR UPDATE, or FOR KEY SHARE, the lightest lock that keeps the phase read true."""
    statement = select(Round.id).where(Round.id == round_id)
    db.session.execute(statement.with_for_update(read=not exclusive, key_share=not exclusive)).one()


def _lock_for_scoring(round_id: int) -> Round:
    """`lock_round` for a sheet's save: under the lock, only what a save reads of the round is read
    again (its phase and scoring window). Its rubric is frozen once the round has opened, and a
    round a save is refused for unless it is open; the rest of the session is left as it was."""
    round_ = db.session.get(Round, round_id)
    if round_ is None:
        return lock_round(round_id)  # no such round: refused there
    if db.engine.dialect.name == "postgresql":
        # Shared: drafts and submits are saved side by side; a submit then takes FOR NO KEY UPDATE
        # for its refresh, so submits queue behind each other only for the refresh itself.
        _hold(round_id, exclusive=False)
    else:
        db.session.execute(update(Round).where(Round.id == round_id).values(phase=Round.phase))
    db.session.refresh(round_, ["phase", "scoring_opens_at", "scoring_closes_at"])
    return round_


def find_sheet(round_id: int, application_id: int, judge_id: int, *, fresh: bool = False) -> ScoreSheet | None:
    """The judge's sheet; `fresh`: read again from the database (and its scores) if already loaded."""
    statement = select(ScoreSheet).where(
        ScoreSheet.round_id == round_id,
        ScoreSheet.application_id == application_id,
        ScoreSheet.judge_id == judge_id,
    )
    return db.session.scalar(statement.execution_options(populate_existing=True) if fresh else statement)


def _parse(raw: str | None) -> Decimal | None:
    raw = (raw or "").strip().replace(",", ".")
    if not raw:
        return None
    try:
        value = Decimal(raw)
    except InvalidOperation:
        raise ServiceError(_l("Enter a number, e.g. 2 or 2.5.")) from None
    if not value.is_finite():
        raise ServiceError(_l("Enter a number, e.g. 2 or 2.5."))
    return value


def save_sheet(
    round_id: int,
    application: Application,
    judge: User,
    entries: Mapping[int, Entry],
    *,
    overall_comment: str,
    recommendation: str | None,
    expected_version: int,
    submit: bool = False,
    now: datetime | None = None,
) -> ScoreSheet:
    """Save a judge's sheet as a draft (any value may still be empty) or, with `submit`,
    check that every criterion has a valid value on its scale and lock it as final.

    `expected_version` is the version the judge's page was showing (0: no sheet yet)."""
    now = now or utcnow()
    round_ = _lock_for_scoring(round_id)
    problem = scoring_refusal(round_, application, judge, now)
    if problem:
        raise ServiceError(problem)
    rubric = frozen_criteria(round_)  # the round is open (checked above): its rubric is frozen
    criteria = {c.id: c for c in rubric}
    values: dict[int, tuple[Decimal | None, str]] = {}
    for criterion_id, entry in entries.items():
        criterion = criteria.get(criterion_id)
        if criterion is None:
            continue
        value = _parse(entry.value)
        if value is not None and not is_on_scale(value, criterion.scale):
            raise ServiceError(
                _l(
                    "%(criterion)s: give a score from %(low)s to %(high)s in steps of %(step)s.",
                    criterion=criterion.name,
                    low=_plain(criterion.scale_min),
                    high=_plain(criterion.scale_max),
                    step=_plain(criterion.scale_step),
                )
            )
        values[criterion_id] = (value, (entry.comment or "").strip()[:5000])
    if recommendation not in (None, "", *RECOMMENDATIONS):
        raise ServiceError(_l("Choose advance, maybe or decline."))

    sheet = find_sheet(round_id, application.id, judge.id, fresh=True)
    started = sheet is None
    if started:
        if expected_version != 0:
            raise ServiceError(STALE)
        sheet = _create_sheet(round_id, application.id, judge.id, now)
    elif sheet.version != expected_version:
        if not submit and sheet.status == "draft" and _holds(sheet, values, overall_comment, recommendation):
            # A save sent again after its answer was lost on a bad connection (the browser resends
            # what it could not confirm): it is already in, so it is confirmed, not applied twice.
            return sheet
        raise ServiceError(STALE)
    if sheet.status == "final":
        raise ServiceError(_l("This sheet is submitted and locked. Ask a director to reopen it."))

    by_criterion = {s.criterion_id: s for s in sheet.scores}
    for criterion_id, (value, comment) in values.items():
        score = by_criterion.get(criterion_id)
        if score is None:
            sheet.scores.append(Score(criterion_id=criterion_id, value=value, comment=comment))
        else:
            score.value, score.comment = value, comment
    sheet.overall_comment = (overall_comment or "").strip()[:5000]
    sheet.recommendation = recommendation or None
    sheet.updated_at = now
    if submit:
        given = {score.criterion_id for score in sheet.scores if score.value is not None}
        missing = [c.name for c in rubric if c.id not in given]
        if missing:
            raise ServiceError(
                _l("Give a score for every criterion before submitting: %(names)s.", names=", ".join(missing))
            )
        sheet.status = "final"
        sheet.submitted_at = now
        sheet.total = results.sheet_total(rubric, sheet)
    try:
        db.session.flush()
    except StaleDataError:
        raise ServiceError(STALE) from None
    except IntegrityError:
        raise ServiceError(STALE) from None
    if submit:  # a draft does not count: saving one leaves the round's results as they are
        results.refresh(round_, places=False)
    if started or submit:  # the judge's drafts and submitted sheets on the assignment board
        tallies.recount_judge(round_id, judge.id)
    record("sheet.submitted" if submit else "sheet.saved", sheet, actor=judge, application_id=application.id)
    return sheet


def _holds(sheet: ScoreSheet, values: Mapping[int, tuple[Decimal | None, str]], overall: str, recommendation) -> bool:
    """The sheet already holds exactly these values, comments, overall comment and recommendation."""
    saved = {score.criterion_id: (score.value, score.comment) for score in sheet.scores}
    for criterion_id, (value, comment) in values.items():
        kept_value, kept_comment = saved.get(criterion_id, (None, ""))
        if (None if kept_value is None else Decimal(kept_value)) != value or (kept_comment or "") != comment:
            return False
    return sheet.overall_comment == (overall or "").strip()[:5000] and sheet.recommendation == (recommendation or None)


def _create_sheet(round_id: int, application_id: int, judge_id: int, now: datetime) -> ScoreSheet:
    """A new sheet; if another request created it at the same moment, the database refuses
    the second, and this save is refused as stale instead of overwriting the first."""
    sheet = ScoreSheet(
        round_id=round_id, application_id=application_id, judge_id=judge_id, status="draft", created_at=now
    )
    savepoint = db.session.begin_nested()
    db.session.add(sheet)
    try:
        savepoint.commit()
    except IntegrityError:
        savepoint.rollback()
        raise ServiceError(STALE) from None
    return sheet


def reopen_sheet(sheet: ScoreSheet, actor: User) -> None:
    """A director unlocks a submitted sheet so the judge can change it."""
    lock_round(sheet.round_id, exclusive=True)  # its results are refreshed below
    if sheet.status != "final":
        raise ServiceError(_l("This sheet is not submitted."))
    sheet.status = "draft"
    sheet.submitted_at = None
    sheet.total = None
    db.session.flush()
    results.refresh_rounds([sheet.round_id], places=False)
    tallies.recount_judge(sheet.round_id, sheet.judge_id)
    record("sheet.reopened", sheet, actor=actor, judge_id=sheet.judge_id, application_id=sheet.application_id)


def _plain(value) -> str:
    text = format(Decimal(value).normalize(), "f")
    return text
