"""Who may do what in judging: one function per rule, the only place each rule is written.

The routes, the exports and the scorecard PDFs (reports/routes.py), `Application.can_view` and the
access-matrix test (tests/test_access.py) all ask these functions. An object out of a user's reach
answers 404, never 403, so ids leak nothing; the `*_or_404` loaders do that for the routes.

- Directors run everything in judging: rounds and rubrics, assignments and conflicts, the sheets,
  decisions, feedback, exports and scorecards (`director_only`, `can_manage_round`).
- A judge sees a round only while it is open or closed (`JUDGE_PHASES`), never a draft nor a
  decided one, and in it only the applications assigned to them (`can_see_application`); a guest
  judge sees only the round of their pass (`can_judge_in_round`).
- A judge scores an assigned application while the round is open, inside its scoring window, and
  without a conflict of interest, declared, marked or found in the data (`can_score`).
- A judge declares a conflict on an application they see while its round is open
  (`can_declare_conflict`); after that a director marks it.
- While a round is open a judge never sees another judge's scores; once it has closed only if the
  round allows it (`can_see_other_scores`).
- Released feedback is for the startup's founders, its mentors in the cohort and directors
  (`can_see_feedback`); judges see a round from their own pages.
"""

from datetime import datetime

from flask import abort, make_response
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import and_, select
from sqlalchemy.orm import defaultload, lazyload

from incubator.applications.models import Application
from incubator.auth.access import roles_required
from incubator.auth.models import Role, User
from incubator.core.database import utcnow
from incubator.core.errors import render_error
from incubator.extensions import db
from incubator.judging.conflicts import detection as conflicts
from incubator.judging.models import Assignment, Round
from incubator.judging.ranking.members import load_round
from incubator.mentoring.access import is_mentor_of
from incubator.startups.models import Startup

director_only = roles_required(Role.DIRECTOR)  # route decorators: others get 403, or sign in first
judges_only = roles_required(Role.JUDGE)

JUDGE_PHASES = ("open", "closed")  # the phases in which judges see a round


def can_manage_round(user) -> bool:
    """Directors, and only they, run rounds, rubrics, assignments, decisions and exports."""
    return bool(user.is_authenticated and user.is_director)


def can_judge_in_round(user, round_: Round) -> bool:
    """A judge works in a round while it is open or closed; a guest judge (signed in by the link of
    a pass, judging.guests.session) only in the round of their pass, whatever is assigned elsewhere."""
    if round_.phase not in JUDGE_PHASES:
        return False
    guest_round_id = getattr(user, "guest_round_id", None)
    return guest_round_id is None or guest_round_id == round_.id


def _assigned(judge_id: int, round_id: int | None = None):
    """SQL, on assignments joined to their round: the judge's, in rounds judges see (in `round_id`
    alone when given)."""
    clauses = [Assignment.judge_id == judge_id, Round.phase.in_(JUDGE_PHASES)]
    if round_id is not None:
        clauses.append(Assignment.round_id == round_id)
    return and_(*clauses)


def _assignment(judge_id: int, application_id: int, round_id: int | None = None):
    """SQL: the judge's assignments of the application in rounds judges see (in `round_id` when given)."""
    return (
        select(Assignment.id)
        .join(Round, Round.id == Assignment.round_id)
        .where(_assigned(judge_id, round_id), Assignment.application_id == application_id)
    )


def is_assigned(judge_id: int, application_id: int, round_id: int | None = None) -> bool:
    """The application is assigned to the judge in a round judges see (in `round_id` when given)."""
    return db.session.scalar(_assignment(judge_id, application_id, round_id).limit(1)) is not None


def can_see_application(user, application: Application, round_: Round | None = None) -> bool:
    """Directors always; a judge when the application is assigned to them in a round that is open or
    closed (in `round_` when given). Founders and mentors see it through `Application.can_view`."""
    if can_manage_round(user):
        return True
    if not (user.is_authenticated and user.has_role(Role.JUDGE)) or application.id is None:
        return False
    return is_assigned(user.id, application.id, round_.id if round_ is not None else None)


def scoring_refusal(round_: Round, application: Application, judge: User, now: datetime | None = None) -> str | None:
    """Why `judge` may not score `application` in `round_` now (translated), or None."""
    now = now or utcnow()
    if round_.phase != "open":
        return str(_l("Scoring is closed for this round; nothing was changed."))
    if round_.scoring_opens_at and now < round_.scoring_opens_at:
        return str(_l("Scoring has not started yet for this round."))
    if round_.scoring_closes_at and now >= round_.scoring_closes_at:
        return str(_l("The scoring window of this round has ended; nothing was changed."))
    assigned, conflicted = _standing(judge.id, application, round_.id)
    if not assigned:
        return str(_l("This application is not assigned to you."))
    if conflicted:
        return str(_l("You have a conflict of interest with this startup, so you cannot score it."))
    return None


def _standing(judge_id: int, application: Application, round_id: int) -> tuple[bool, bool]:
    """(`is_assigned` in the round, `conflicts.in_conflict`): in one query, as every save asks both."""
    assigned = _assignment(judge_id, application.id, round_id).exists()
    row = db.session.execute(select(assigned, conflicts.in_conflict(round_id, application, judge_id))).one()
    return bool(row[0]), bool(row[1])


def can_score(round_: Round, application: Application, judge: User, now: datetime | None = None) -> bool:
    """See `scoring_refusal`: assigned, the round open and inside its window, no conflict."""
    return scoring_refusal(round_, application, judge, now) is None


def can_declare_conflict(user, round_: Round, application: Application) -> bool:
    """A judge, on an application assigned to them, while the round is open for scoring."""
    if round_.phase != "open" or not (user.is_authenticated and user.has_role(Role.JUDGE)):
        return False
    return application.id is not None and is_assigned(user.id, application.id, round_.id)


def can_see_other_scores(round_: Round) -> bool:
    """Other judges' submitted sheets: never while the round is open; after closing if the round allows it."""
    return round_.phase == "closed" and round_.judges_see_scores_after_close


def can_see_feedback(user, application: Application) -> bool:
    """Released feedback: the startup's founders, its mentors in the cohort, and directors."""
    if not user.is_authenticated:
        return False
    if application.startup.is_founder(user) or user.is_director:
        return True
    return application.membership is not None and is_mentor_of(user, application.membership.id)


# --- loaders for the routes: the object, or 404 --------------------------------------------


def not_found(message: str | None = None):
    """404, with a reason that holds whether or not the object exists (so ids leak nothing)."""
    abort(make_response(render_error(404, message)))


def judge_round_or_404(round_id: int, *, alone: bool = False) -> Round:
    """The round, if judges may see it now (open or closed). `alone`: without its rubric
    (ranking.members.load_round), for the pages that read thousands of its rows."""
    round_ = load_round(round_id) if alone else db.session.get(Round, round_id)
    if round_ is None or not can_judge_in_round(current_user, round_):
        not_found()
    return round_


def judge_application_or_404(user, round_: Round, application_id: int, *, bare: bool = False) -> Application:
    """The application, if it is assigned to `user` in `round_` (a round judges may see). `bare`
    (the scoring page and its saves) reads the application and its startup alone: its team, cohort
    and cohort membership load only if something asks for them."""
    statement = (
        select(Application)
        .join(Assignment, Assignment.application_id == Application.id)
        .join(Round, Round.id == Assignment.round_id)
        .where(Application.id == application_id, _assigned(user.id, round_.id))
    )
    if bare:
        statement = statement.options(
            lazyload(Application.cohort),
            lazyload(Application.membership),
            defaultload(Application.startup).lazyload(Startup.members),
        )
    application = db.session.scalar(statement)
    if application is None:
        not_found(_("This application is not assigned to you."))
    return application


def released_feedback_or_404(user, application_id: int, round_id: int) -> tuple[Application, Round]:
    """The application and the round whose released feedback on it `user` may read (the page and
    its PDF); 404 for anything else."""
    application = db.session.get(Application, application_id)
    round_ = db.session.get(Round, round_id)
    if (
        application is None
        or round_ is None
        or application.is_draft
        or round_.cohort_id != application.cohort_id
        or round_.feedback_released_at is None
        or not can_see_feedback(user, application)
    ):
        abort(404)
    return application, round_
