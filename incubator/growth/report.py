"""The cohort report's growth section: for each pair of consecutive gates sharing criteria, the
cohort's mean change per criterion, the startups that grew most and least, and how growth differs for
women-led and youth-led startups and by city; then each mentor's proposals.

Every score is a gate's per-criterion mean from its stored results (growth.figures), on 0-100.
A startup's growth between two gates is the mean of its changes on the criteria both gates share and
it was scored on at both."""

from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from incubator.applications.models import Application
from incubator.extensions import db
from incubator.growth import maths
from incubator.growth.figures import cohort_gates, gate_criteria, gate_figures
from incubator.growth.queries import MentorCounts, mentor_counts
from incubator.judging.models import Round
from incubator.startups.models import Startup

EXTREMES = 3


@dataclass
class CriterionStep:
    name: str
    startups: int  # scored at both gates
    first_mean: float | None  # the cohort's mean at each gate (0-100), over every startup scored there
    second_mean: float | None
    mean_change: float | None  # the mean of the startups' changes


@dataclass
class GateStep:
    first: Round
    second: Round
    criteria: list[CriterionStep]
    startups: int
    most: list[tuple[str, float]]
    least: list[tuple[str, float]]
    groups: list[tuple[str, list[maths.GroupChange]]]  # (heading, groups)
    mean_change: float | None = None  # the mean of the startups' growth: the cohort's headline


@dataclass
class GrowthSection:
    steps: list[GateStep] = field(default_factory=list)
    mentors: list[MentorCounts] = field(default_factory=list)

    @property
    def shown(self) -> bool:
        return bool(self.steps or self.mentors)


def growth_section(cohort_id: int) -> GrowthSection:
    """The growth section of the cohort's report (empty when no two consecutive gates share a criterion)."""
    gates = cohort_gates(cohort_id)
    criteria = gate_criteria([g.id for g in gates])
    pairs = [(a, b) for a, b in zip(gates, gates[1:], strict=False) if set(criteria[a.id]) & set(criteria[b.id])]
    figures = {}
    for gate in {g.id: g for pair in pairs for g in pair}.values():
        figures[gate.id] = gate_figures(gate, criteria[gate.id])
    steps = [_step(figures[a.id], figures[b.id]) for a, b in pairs]
    return GrowthSection(steps, mentor_counts(cohort_id))


def _step(first, second) -> GateStep:
    lines = [line for line in first.criteria if line in second.criteria]
    both = sorted(set(first.application_means) & set(second.application_means))
    startups = _startups(both)
    per_startup: dict[int, list[float]] = {}
    rows = []
    for line in lines:
        changes = []
        for application_id in both:
            a, b = first.point(line, application_id), second.point(line, application_id)
            if a.score is not None and b.score is not None:
                changes.append(b.score - a.score)
                per_startup.setdefault(application_id, []).append(b.score - a.score)
        rows.append(
            CriterionStep(
                second.criteria[line].name,
                len(changes),
                _scaled_mean(first, line),
                _scaled_mean(second, line),
                maths.mean(changes),
            )
        )
    overall = {app_id: maths.mean(values) for app_id, values in per_startup.items() if app_id in startups}
    by_name = {startups[app_id].name: change for app_id, change in overall.items()}
    most, least = maths.extremes(by_name, EXTREMES)
    yes, no = _("Yes"), _("No")
    groups = [
        (_("Women-led"), maths.group_changes((yes if startups[a].women_led else no, c) for a, c in overall.items())),
        (_("Youth-led"), maths.group_changes((yes if startups[a].youth_led else no, c) for a, c in overall.items())),
        (
            _("City or regency"),
            maths.group_changes(
                (" ".join(startups[a].city.split()) or _("No city given"), c) for a, c in overall.items()
            ),
        ),
    ]
    return GateStep(
        first.round, second.round, rows, len(overall), most, least, groups, maths.mean(list(overall.values()))
    )


def _scaled_mean(gate, line: int) -> float | None:
    criterion = gate.criteria[line]
    return maths.on_scale(gate.round_means.get(criterion.id), criterion.minimum, criterion.maximum)


def _startups(application_ids: list[int]) -> dict[int, Startup]:
    """Application id -> its startup (with its team, for women-led and youth-led), in one query each."""
    if not application_ids:
        return {}
    rows = db.session.execute(
        select(Application.id, Startup)
        .join(Startup, Startup.id == Application.startup_id)
        .where(Application.id.in_(application_ids))
        .options(selectinload(Startup.members))
    ).unique()
    return {application_id: startup for application_id, startup in rows}
