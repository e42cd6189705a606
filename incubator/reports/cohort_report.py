"""The cohort report's data, as plain dataclasses assembled from the queries the pages and CSVs use.

Nothing is computed here that a page or an export computes elsewhere: the ranking tables are
`judging.ranking.exports.ranking_entries` (the figures of ranking.csv), judge statistics
`judging.ranking.statistics.judge_rows`, attendance `activities.queries.cohort_attendance` (attendance.csv),
KPIs `kpis.queries.cohort_table` / `cohort_totals` / `revenue_by_month`, milestones
`milestones.queries.cohort_overview`, mentoring the helpers of `mentoring.queries`, a round's counts
`judging.ranking.standings.summary`, the first page's other figures `reports.cohort_summary`, growth
`growth.report.growth_section`. A fixed number of queries per round, whatever the number of startups.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import func, select

from incubator.activities.queries import StartupAttendance, cohort_attendance, programme_startups
from incubator.activities.services import PROGRAMME_STAGES
from incubator.cohorts.models import Cohort, CohortStartup, StageChange
from incubator.cohorts.queries import funnel
from incubator.core.database import utcnow
from incubator.extensions import db
from incubator.growth.report import GrowthSection, growth_section
from incubator.judging.models import Round
from incubator.judging.ranking import standings
from incubator.judging.ranking.compute import round_ranking
from incubator.judging.ranking.exports import RankingEntry, ranking_entries
from incubator.judging.ranking.members import RoundEntry, round_entries
from incubator.judging.ranking.statistics import JudgeRow, judge_rows
from incubator.kpis.models import KpiReport
from incubator.kpis.queries import Latest, Totals, cohort_reports, cohort_table, cohort_totals, revenue_by_month
from incubator.mentoring.models import MentorAssignment, SessionNote
from incubator.mentoring.queries import ItemCounts, assignments_of, item_counts, last_sessions, today_wib
from incubator.milestones.queries import OverviewRow, cohort_overview
from incubator.reports.cohort_summary import Applications, Profile, application_counts, cohort_profile
from incubator.startups.models import Startup

# Pages besides the rounds and the startups: the summary, who applied, the programme (mentoring,
# attendance, KPIs), growth. Only decides whether the report is made while the director waits.
FIXED_PAGES = 4
BIN_WIDTH = 10
# A round's table lists its top applications; the rest are summed up (the whole list is ranking.csv):
# a director reads the top of a 5,000-application round on paper, not its 200 pages.
RANKING_ROWS = 30
TOP_ROWS = 10  # the summary's top ten


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
    members: dict[int, RoundEntry]  # application id -> its startup's id, name and city
    summary: standings.Summary
    figures: standings.Figures  # the round's mean and spread over its counted sheets

    def __post_init__(self):
        self._by_startup = {
            member.startup_id: e for e in self.entries if (member := self.members.get(e.application_id)) is not None
        }

    def entry_of(self, startup_id: int) -> RankingEntry | None:
        """The startup's line of this round's ranking (None: not in the round)."""
        return self._by_startup.get(startup_id)

    @property
    def shown(self) -> list[RankingEntry]:
        """The lines the round's table prints: its top RANKING_ROWS."""
        return self.entries[:RANKING_ROWS]

    @property
    def top(self) -> list[RankingEntry]:
        """The summary's top ten: ranked lines only."""
        return [e for e in self.entries[:TOP_ROWS] if e.ranked]

    @property
    def advanced(self) -> int:
        return sum(1 for e in self.entries if e.decision == "advance")

    def city(self, entry: RankingEntry) -> str:
        member = self.members.get(entry.application_id)
        return (member.city if member else None) or "–"


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
    kpi_reports: list[KpiReport] = field(default_factory=list)  # oldest month first

    @property
    def startup(self) -> Startup:
        return self.cohort_startup.startup

    @property
    def funding_raised(self) -> int:
        """Over every month the startup reported."""
        return sum(r.funding_raised for r in self.kpi_reports)


@dataclass
class CohortReport:
    cohort: Cohort
    generated_at: datetime
    funnel: list[tuple[str, int]]  # (stage code, startups)
    applications: Applications
    profile: Profile
    rounds: list[RoundSection]
    mentoring: list[MentoringLine]
    attendance: list[StartupAttendance]
    kpis: list[Latest]
    kpi_totals: Totals
    revenue: list[tuple[date, int, int]]
    startups: list[StartupPage] = field(default_factory=list)
    growth: GrowthSection | None = None

    @property
    def top_round(self) -> RoundSection | None:
        """The round the summary's top ten comes from: the latest with decisions, else the latest scored."""
        scored = [s for s in self.rounds if s.top]
        decided = [s for s in scored if s.summary.decided]
        return (decided or scored or [None])[-1]

    @property
    def growth_step(self):
        """The growth headline's step: between the last two gates sharing criteria (None: no such pair)."""
        steps = self.growth.steps if self.growth else []
        return steps[-1] if steps else None

    @property
    def attendance_of(self) -> dict[int, StartupAttendance]:
        return {line.cohort_startup.id: line for line in self.attendance}


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


def _round_section(round_: Round) -> RoundSection:
    ranking = round_ranking(round_)
    entries = ranking_entries(ranking)
    return RoundSection(
        round=round_,
        entries=entries,
        judges=judge_rows(ranking),
        bins=score_bins([e.raw for e in entries if e.raw is not None]),
        # Plain rows, not the round's thousands of applications as objects.
        members={entry.id: entry for entry in round_entries(round_) if entry.id in ranking},
        summary=standings.summary(round_.id),
        figures=standings.figures(round_),
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
    kpi_reports = cohort_reports(cohort)
    kpis = cohort_table(cohort, kpi_reports)
    report = CohortReport(
        cohort=cohort,
        generated_at=utcnow(),
        funnel=funnel(cohort.id),
        applications=application_counts(cohort.id),
        profile=cohort_profile(cohort.id),
        rounds=rounds,
        mentoring=mentoring,
        attendance=attendance,
        kpis=kpis,
        kpi_totals=cohort_totals(kpis, kpi_reports),
        revenue=revenue_by_month(cohort),
        growth=growth_section(cohort.id),
    )
    if per_startup:
        histories = _histories([cs.id for cs in programme])
        attendance_of = {line.cohort_startup.id: line for line in attendance}
        kpi_of = {line.cohort_startup.id: line for line in kpis}
        milestones_of = {row.cohort_startup.id: row for row in cohort_overview(cohort)}
        reports_of = defaultdict(list)
        for kpi_report in sorted(kpi_reports, key=lambda r: r.month):
            reports_of[kpi_report.cohort_startup_id].append(kpi_report)
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
                    kpi_reports=reports_of[cs.id],
                )
            )
    return report
