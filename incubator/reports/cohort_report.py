"""The cohort report's data, as plain dataclasses assembled from the queries the pages and CSVs use.

Nothing is computed here that a page or an export computes elsewhere: the ranking tables are
`judging.ranking.exports.ranking_entries` (the figures of ranking.csv), judge statistics
`judging.ranking.statistics.judge_rows`, attendance `activities.queries.cohort_attendance` (attendance.csv),
KPIs `kpis.queries.cohort_table` / `revenue_by_month`, milestones `milestones.queries.cohort_overview`,
mentoring the helpers of `mentoring.queries`. A fixed number of queries per round, whatever the
number of startups.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from flask_babel import gettext as _
from sqlalchemy import func, select

from incubator.activities.queries import StartupAttendance, cohort_attendance, programme_startups
from incubator.activities.services import PROGRAMME_STAGES
from incubator.cohorts.models import Cohort, CohortStartup, StageChange
from incubator.cohorts.queries import funnel
from incubator.core.database import utcnow
from incubator.extensions import db
from incubator.growth.report import GrowthSection, growth_section
from incubator.judging.models import Round
from incubator.judging.ranking.compute import round_ranking
from incubator.judging.ranking.exports import RankingEntry, ranking_entries
from incubator.judging.ranking.statistics import JudgeRow, judge_rows
from incubator.kpis.queries import Latest, cohort_table, revenue_by_month
from incubator.mentoring.models import MentorAssignment, SessionNote
from incubator.mentoring.queries import ItemCounts, assignments_of, item_counts, last_sessions, today_wib
from incubator.milestones.queries import OverviewRow, cohort_overview
from incubator.startups.models import Startup

# Pages besides the rounds and the startups: cover, funnel and distributions, judges, mentoring,
# attendance, KPIs, growth. Only decides whether the report is made while the director waits.
FIXED_PAGES = 7
BIN_WIDTH = 10


def score_bins(raw_scores: list[Decimal]) -> list[tuple[str, int]]:
    """Raw scores (0-100) counted in 10-point bins: ("0–10", n), ..., ("90–100", n); a score of
    exactly 10 falls in "10–20", 100 in the last bin."""
    counts = [0] * (100 // BIN_WIDTH)
    for score in raw_scores:
        index = min(max(int(score // BIN_WIDTH), 0), len(counts) - 1)
        counts[index] += 1
    return [(f"{i * BIN_WIDTH}–{(i + 1) * BIN_WIDTH}", n) for i, n in enumerate(counts)]


@dataclass
class RoundSection:
    round: Round
    entries: list[RankingEntry]
    judges: list[JudgeRow]
    bins: list[tuple[str, int]]
    startup_ids: dict[int, int]  # application id -> startup id

    def entry_of(self, startup_id: int) -> RankingEntry | None:
        """The startup's line of this round's ranking (None: not in the round)."""
        return next((e for e in self.entries if self.startup_ids[e.application_id] == startup_id), None)


@dataclass
class MentoringLine:
    cohort_startup: CohortStartup
    mentors: list[MentorAssignment]
    sessions: int
    last_session: date | None
    items: ItemCounts


@dataclass
class StartupPage:
    cohort_startup: CohortStartup
    history: list[StageChange]
    scores: list[tuple[Round, RankingEntry]]
    mentoring: MentoringLine
    attendance: StartupAttendance | None
    kpi: Latest | None
    milestones: OverviewRow | None

    @property
    def startup(self) -> Startup:
        return self.cohort_startup.startup


@dataclass
class CohortReport:
    cohort: Cohort
    generated_at: datetime
    funnel: list[tuple[str, int]]  # (stage code, startups)
    by_focus_area: list[tuple[str, int]]
    by_city: list[tuple[str, int]]
    rounds: list[RoundSection]
    mentoring: list[MentoringLine]
    attendance: list[StartupAttendance]
    kpis: list[Latest]
    revenue: list[tuple[date, int, int]]
    startups: list[StartupPage] = field(default_factory=list)
    growth: GrowthSection | None = None


def report_rounds(cohort: Cohort) -> list[Round]:
    """The cohort's rounds past their draft, in the cohort's order."""
    return list(
        db.session.scalars(
            select(Round).where(Round.cohort_id == cohort.id, Round.phase != "draft").order_by(Round.position, Round.id)
        )
    )


def estimated_pages(cohort: Cohort) -> int:
    """About how long the report is: the fixed pages, one per round and one per startup in the programme."""
    rounds = db.session.scalar(select(func.count(Round.id)).where(Round.cohort_id == cohort.id, Round.phase != "draft"))
    startups = db.session.scalar(
        select(func.count(CohortStartup.id)).where(
            CohortStartup.cohort_id == cohort.id, CohortStartup.stage.in_(PROGRAMME_STAGES)
        )
    )
    return FIXED_PAGES + (rounds or 0) + (startups or 0)


def _distributions(cohort: Cohort) -> tuple[list[tuple[str, int]], list[tuple[str, int]]]:
    """Every startup of the cohort counted by focus area and by city, the largest first."""
    startups = db.session.scalars(
        select(Startup)
        .join(CohortStartup, CohortStartup.startup_id == Startup.id)
        .where(CohortStartup.cohort_id == cohort.id)
    ).unique()
    areas: Counter[str] = Counter()
    cities: Counter[str] = Counter()
    for startup in startups:
        areas[startup.focus_area.name if startup.focus_area else _("No focus area")] += 1
        cities[" ".join(startup.city.split()) or _("No city given")] += 1

    def ordered(counts: Counter[str]) -> list[tuple[str, int]]:
        return sorted(counts.items(), key=lambda item: (-item[1], item[0].casefold()))

    return ordered(areas), ordered(cities)


def _round_section(round_: Round) -> RoundSection:
    ranking = round_ranking(round_)
    entries = ranking_entries(ranking)
    return RoundSection(
        round=round_,
        entries=entries,
        judges=judge_rows(ranking),
        bins=score_bins([e.raw for e in entries if e.raw is not None]),
        startup_ids={app_id: application.startup_id for app_id, application in ranking.applications.items()},
    )


def _session_counts(cs_ids: list[int]) -> dict[int, int]:
    if not cs_ids:
        return {}
    rows = db.session.execute(
        select(SessionNote.cohort_startup_id, func.count(SessionNote.id))
        .where(SessionNote.cohort_startup_id.in_(cs_ids))
        .group_by(SessionNote.cohort_startup_id)
    )
    return {cs_id: int(n) for cs_id, n in rows}


def _mentoring(startups: list[CohortStartup]) -> list[MentoringLine]:
    ids = [cs.id for cs in startups]
    mentors, sessions = assignments_of(ids), _session_counts(ids)
    last, items = last_sessions(ids), item_counts(ids, today_wib())
    return [
        MentoringLine(
            cs, mentors.get(cs.id, []), sessions.get(cs.id, 0), last.get(cs.id), items.get(cs.id, ItemCounts())
        )
        for cs in startups
    ]


def _histories(cs_ids: list[int]) -> dict[int, list[StageChange]]:
    histories: dict[int, list[StageChange]] = defaultdict(list)
    if cs_ids:
        for change in db.session.scalars(
            select(StageChange).where(StageChange.cohort_startup_id.in_(cs_ids)).order_by(StageChange.id)
        ).unique():
            histories[change.cohort_startup_id].append(change)
    return histories


def cohort_report(cohort: Cohort, *, per_startup: bool = True) -> CohortReport:
    """Everything the cohort report shows, from the same queries as the pages and the exports."""
    programme = programme_startups(cohort)
    rounds = [_round_section(r) for r in report_rounds(cohort)]
    mentoring = _mentoring(programme)
    attendance = cohort_attendance(cohort)
    kpis = cohort_table(cohort)
    by_focus_area, by_city = _distributions(cohort)
    report = CohortReport(
        cohort=cohort,
        generated_at=utcnow(),
        funnel=funnel(cohort.id),
        by_focus_area=by_focus_area,
        by_city=by_city,
        rounds=rounds,
        mentoring=mentoring,
        attendance=attendance,
        kpis=kpis,
        revenue=revenue_by_month(cohort),
        growth=growth_section(cohort.id),
    )
    if per_startup:
        histories = _histories([cs.id for cs in programme])
        attendance_of = {line.cohort_startup.id: line for line in attendance}
        kpi_of = {line.cohort_startup.id: line for line in kpis}
        milestones_of = {row.cohort_startup.id: row for row in cohort_overview(cohort)}
        for cs, line in zip(programme, mentoring, strict=True):
            scores = [(s.round, entry) for s in rounds if (entry := s.entry_of(cs.startup_id)) is not None]
            report.startups.append(
                StartupPage(
                    cohort_startup=cs,
                    history=histories.get(cs.id, []),
                    scores=scores,
                    mentoring=line,
                    attendance=attendance_of.get(cs.id),
                    kpi=kpi_of.get(cs.id),
                    milestones=milestones_of.get(cs.id),
                )
            )
    return report
