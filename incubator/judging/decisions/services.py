"""Decisions after a round: preview who moves where and which e-mails go out, then apply.

A director's advance / not-selected call always goes through `preview` (which writes
nothing) and then `decide`, which checks that the preview still holds: the round is
still closed, nothing was decided or moved in the meantime, and the e-mails are the
ones listed. Each decision moves the stage through `cohorts.services.change_stage`
(the only writer of a stage), is audited, and queues the founder's e-mail in the
outbox in the founder's language.
"""

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass

from flask import current_app, has_request_context, render_template, url_for
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from incubator.applications.models import Application
from incubator.audit.services import record
from incubator.auth.models import User
from incubator.cohorts import pipeline
from incubator.cohorts.services import change_stage
from incubator.core.errors import ServiceError
from incubator.core.labels import outcome_label, stage_label
from incubator.core.messages import system_message
from incubator.extensions import db
from incubator.judging.models import OUTCOMES, Decision, Round
from incubator.judging.ranking import results
from incubator.judging.ranking.compute import RoundRanking, round_ranking
from incubator.judging.sheets.services import lock_round
from incubator.mail.outbox import queue_mail

MAIL_KINDS = {"advance": "decision_advance", "not_selected": "decision_not_selected"}
LANGUAGE_NAMES = {"id": "Bahasa Indonesia", "en": "English"}


class PreviewChanged(ServiceError):
    """What `decide` would do is no longer what the director confirmed."""


@dataclass(frozen=True)
class Move:
    """One application's decision as the preview shows it."""

    application: Application
    outcome: str
    rank: int | None
    from_stage: str | None
    to_stage: str
    recipient: str | None = None  # the startup owner's e-mail; None: no e-mail can be sent
    locale: str | None = None
    subject: str | None = None  # the e-mail's subject, in the recipient's language
    blocked: str | None = None  # why it cannot be decided (translated); None when it can
    decided: str | None = None  # the outcome already recorded in this round, if any

    @property
    def startup(self):
        return self.application.startup

    @property
    def moves_stage(self) -> bool:
        """Whether confirming would change its stage (a decided or blocked one stays where it is)."""
        return self.blocked is None and self.from_stage != self.to_stage

    @property
    def language(self) -> str:
        return LANGUAGE_NAMES.get(self.locale or "", self.locale or "")


@dataclass(frozen=True)
class Preview:
    round: Round
    moves: list[Move]
    problem: str | None  # why nothing in this round can be decided now (translated)
    fingerprint: str  # changes whenever anything the director confirms would change
    confirm_fingerprint: str  # the fingerprint of the preview of the decidable moves alone (what is confirmed)

    @property
    def decidable(self) -> list[Move]:
        return [] if self.problem else [m for m in self.moves if m.blocked is None]

    @property
    def blocked(self) -> list[Move]:
        return [m for m in self.moves if m.blocked is not None]

    @property
    def already_decided(self) -> list[Move]:
        """Blocked because this round already decided them: the page says so once, above their names."""
        return [m for m in self.blocked if m.decided is not None]

    @property
    def blocked_otherwise(self) -> list[Move]:
        return [m for m in self.blocked if m.decided is None]

    @property
    def mails(self) -> list[Move]:
        return [m for m in self.decidable if m.recipient]

    def group(self, outcome: str) -> list[Move]:
        return [m for m in self.decidable if m.outcome == outcome]

    @property
    def ready(self) -> bool:
        """Everything chosen can be decided as shown."""
        return bool(self.moves) and not self.problem and not self.blocked

    def choices(self) -> dict[int, str]:
        return {m.application.id: m.outcome for m in self.decidable}


def round_problem(round_: Round) -> str | None:
    """Why no decision can be made in this round now (translated), or None."""
    if round_.phase == "decided":
        return str(_l("This round is decided: no more decisions can be made in it."))
    if round_.phase != "closed":
        return str(_l("Decisions can be made only once scoring is closed."))
    return None


def mail_link(endpoint: str, **values) -> str:
    """An absolute link for an e-mail, also from the command line (no request)."""
    if has_request_context():
        return url_for(endpoint, _external=True, **values)
    path = current_app.url_map.bind("localhost").build(endpoint, values)
    return current_app.config["BASE_URL"].rstrip("/") + path


def _mail_context(round_: Round, application: Application, owner: User, to_stage: str) -> dict:
    return {
        "user": owner,
        "application": application,
        "round": round_,
        "to_stage": to_stage,
        "link": mail_link("applications.view", application_id=application.id),
    }


def _subject(kind: str, locale: str, context: dict) -> str:
    """The subject line `queue_mail` will use (the template's first line), rendered now to show it."""
    with force_locale(locale):
        text = render_template(f"mail/{kind}.txt", **context)
    return text.lstrip().partition("\n")[0].strip()


def _target(round_: Round, outcome: str) -> str:
    return round_.leads_to if outcome == "advance" else pipeline.NOT_SELECTED


def preview(round_: Round, choices: Mapping[int, str], ranking: RoundRanking | None = None) -> Preview:
    """Who would move where and which e-mails would be queued if `choices` were confirmed.

    Writes nothing. Moves come in rank order (unranked last); each one that cannot be
    decided says why: already decided in this round, or its stage is no longer the one
    the round decides. `problem` says when the round itself takes no decisions now."""
    for outcome in choices.values():
        if outcome not in OUTCOMES:
            raise ServiceError(_l("Choose advance or not selected."))
    ranking = ranking or round_ranking(round_)
    unknown = set(choices) - set(ranking.application_ids)
    if unknown:
        raise ServiceError(_l("An application you chose is not part of this round. Reload the page."))
    order = {r.application_id: (i, r.rank) for i, r in enumerate(ranking.result.applications)}
    chosen = sorted(choices, key=lambda app_id: order[app_id][0])
    applications = [ranking.applications[app_id] for app_id in chosen]
    owner_ids = {a.startup.owner_id for a in applications if a.startup.owner_id}
    owners = {u.id: u for u in db.session.scalars(select(User).where(User.id.in_(owner_ids)))} if owner_ids else {}
    moves = []
    for application in applications:
        outcome = choices[application.id]
        membership = application.membership
        from_stage = membership.stage if membership else None
        to_stage = _target(round_, outcome)
        blocked = None
        if application.id in ranking.decisions:
            blocked = str(
                _l(
                    "Already decided in this round: %(outcome)s.",
                    outcome=outcome_label(ranking.decisions[application.id]),
                )
            )
        elif from_stage != round_.decides_stage:
            blocked = str(
                _l(
                    "Its stage is now %(stage)s, no longer %(decided)s, which this round decides.",
                    stage=stage_label(from_stage),
                    decided=stage_label(round_.decides_stage),
                )
            )
        owner = owners.get(application.startup.owner_id)
        recipient = locale = subject = None
        if owner is not None and owner.active and blocked is None:
            recipient, locale = owner.email, owner.locale
            subject = _subject(MAIL_KINDS[outcome], locale, _mail_context(round_, application, owner, to_stage))
        moves.append(
            Move(
                application,
                outcome,
                order[application.id][1],
                from_stage,
                to_stage,
                recipient,
                locale,
                subject,
                blocked,
                ranking.decisions.get(application.id),
            )
        )
    problem = round_problem(round_)
    decidable = [m for m in moves if m.blocked is None]
    return Preview(
        round_, moves, problem, _fingerprint(round_, moves, problem), _fingerprint(round_, decidable, problem)
    )


def _fingerprint(round_: Round, moves: list[Move], problem: str | None) -> str:
    data = [
        round_.id,
        round_.phase,
        problem is not None,
        [
            [m.application.id, m.outcome, m.from_stage, m.to_stage, m.recipient, m.locale, m.blocked is not None]
            for m in moves
        ],
    ]
    return hashlib.sha256(json.dumps(data).encode()).hexdigest()[:20]


def decide(round_: Round, choices: Mapping[int, str], actor: User, *, expected: str | None = None) -> list[Decision]:
    """Apply `choices` ({application id: "advance" | "not_selected"}) exactly as previewed.

    `expected` is the fingerprint of the preview the director confirmed; when anything
    changed since (a decision made elsewhere, a stage moved, the round reopened, an
    owner's address), nothing is written and `PreviewChanged` is raised."""
    if not choices:
        raise ServiceError(_l("Choose at least one application to decide."))
    results.lock_cohort(round_.cohort_id)  # the stages move: every round of the cohort is refreshed
    round_ = lock_round(round_.id, exclusive=True)  # no phase change while deciding
    seen = preview(round_, choices)
    if seen.problem:
        raise ServiceError(seen.problem)
    if expected is not None and expected != seen.fingerprint:
        raise PreviewChanged(_l("Something changed since the preview. Check the new preview before confirming."))
    if seen.blocked:
        raise ServiceError(
            _l(
                "These applications cannot be decided: %(items)s",
                items=" ".join(f"{m.startup.name}: {m.blocked}" for m in seen.blocked),
            )
        )
    # Said in each reader's language when shown: the outcome stays a code.
    reason = {outcome: system_message("decision", round=round_.name, outcome=outcome) for outcome in OUTCOMES}
    owners = {}
    if seen.mails:
        emails = [m.recipient for m in seen.mails]
        owners = {u.email: u for u in db.session.scalars(select(User).where(User.email.in_(emails)))}
    decisions = []
    for move in seen.moves:
        application = move.application
        decision = Decision(
            round_id=round_.id, application_id=application.id, outcome=move.outcome, decided_by_id=actor.id
        )
        savepoint = db.session.begin_nested()
        db.session.add(decision)
        try:
            savepoint.commit()
        except IntegrityError:  # decided at the same moment by someone else
            savepoint.rollback()
            raise PreviewChanged(
                _l("Something changed since the preview. Check the new preview before confirming.")
            ) from None
        change_stage(
            application.startup,
            application.cohort,
            move.to_stage,
            actor,
            message=reason[move.outcome],
            refresh_results=False,  # once for all of them, below
        )
        record(
            "decision.made",
            decision,
            actor=actor,
            round_id=round_.id,
            application_id=application.id,
            startup=application.startup.name,
            outcome=move.outcome,
            from_stage=move.from_stage,
            to_stage=move.to_stage,
        )
        if move.recipient:
            owner = owners[move.recipient]
            queue_mail(
                owner,
                MAIL_KINDS[move.outcome],
                **_mail_context(round_, application, owner, move.to_stage),
            )
        decisions.append(decision)
    db.session.flush()
    # The stages moved: the startups leave this round's stage and enter the next round's.
    results.refresh_cohort(round_.cohort_id)
    return decisions


# --- closing with incomplete applications -------------------------------------------------


@dataclass(frozen=True)
class Incomplete:
    application: Application
    counted: int
    expected: int


def incomplete_applications(ranking: RoundRanking) -> list[Incomplete]:
    """Applications with fewer counted sheets than the round's judges per application, in rank order."""
    expected = ranking.round.judges_per_application
    return [
        Incomplete(ranking.applications[r.application_id], r.judges_counted, expected)
        for r in ranking.result.applications
        if r.incomplete
    ]
