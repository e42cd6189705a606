"""A round's ranking read in SQL from its stored results (`round_results`, written by
judging.ranking.results.refresh): a page of it, sorted and filtered; its summary; and every line in rank
order for ranking.csv and ranking.xlsx. No figure is computed here, so the page and the exports
show what the stored results hold, as the explain view and the PDFs do (judging.ranking.compute)."""

from dataclasses import dataclass
from functools import cache

from sqlalchemy import and_, bindparam, case, func, select

from incubator.applications.models import Application
from incubator.auth.models import User
from incubator.core.figures import rounded
from incubator.core.pagination import ListPage, window_params, windowed
from incubator.core.search import like_pattern
from incubator.extensions import db
from incubator.judging.conflicts import detection as conflicts
from incubator.judging.models import Decision, Round, ScoreSheet, StoredResult, StoredRoundFigures
from incubator.judging.ranking.exports import RankingEntry
from incubator.startups.models import Startup

# Each order ends on the application id, so every page has one order. "rank" follows the index
# on (round_id, rank, application_id): a page is read in order, not sorted.
ORDERS = {
    "rank": (StoredResult.rank.asc().nulls_last(), StoredResult.application_id),
    "raw": (StoredResult.raw.desc().nulls_last(), StoredResult.application_id),
    "normalized": (StoredResult.normalized.desc().nulls_last(), StoredResult.application_id),
    "spread": (StoredResult.spread.desc().nulls_last(), StoredResult.application_id),
    "name": (func.lower(Startup.name), StoredResult.application_id),
}
FLAGS = {
    "disagreement": StoredResult.disagreement.is_(True),
    "incomplete": StoredResult.incomplete.is_(True),
    "unranked": StoredResult.rank.is_(None),
}


@dataclass(frozen=True)
class Summary:
    """What the ranking's heading counts over the whole round."""

    applications: int
    ranked: int
    disagreement: int
    incomplete: int
    decided: int


@dataclass(frozen=True)
class Figures:
    """The round's μ and σ over its counted sheets, as stored."""

    mean: float | None
    sd: float | None


def _lines(round_id: int):
    """The query of the round's lines: stored figures, the startup's name and the decision."""
    return (
        select(
            StoredResult.rank,
            StoredResult.application_id,
            Startup.name,
            StoredResult.raw,
            StoredResult.normalized,
            StoredResult.judges_counted,
            StoredResult.spread,
            StoredResult.disagreement,
            StoredResult.incomplete,
            Decision.outcome,
        )
        .join(Application, Application.id == StoredResult.application_id)
        .join(Startup, Startup.id == Application.startup_id)
        .outerjoin(
            Decision,
            and_(Decision.round_id == StoredResult.round_id, Decision.application_id == StoredResult.application_id),
        )
        .where(StoredResult.round_id == round_id)
    )


def _entry(row) -> RankingEntry:
    rank, application_id, name, raw, normalized, judges_counted, spread, disagreement, incomplete, outcome = row
    return RankingEntry(
        rank=rank,
        application_id=application_id,
        startup=name,
        raw=rounded(raw),
        normalized=rounded(normalized),
        judges_counted=judges_counted,
        spread=rounded(spread),
        disagreement=bool(disagreement),
        incomplete=bool(incomplete),
        decision=outcome,
    )


def _decided(round_id):
    """SQL: how many of the round's stored results have a decision."""
    ranked = select(StoredResult.application_id).where(
        StoredResult.round_id == Decision.round_id, StoredResult.application_id == Decision.application_id
    )
    return select(func.count(Decision.id)).where(Decision.round_id == round_id, ranked.exists()).scalar_subquery()


# The counts refresh stores beside μ and σ, the decisions counted, and μ and σ: built once, as the
# round's id is a parameter.
_STORED = select(
    StoredRoundFigures.applications,
    StoredRoundFigures.ranked,
    StoredRoundFigures.disagreement,
    StoredRoundFigures.incomplete,
    _decided(bindparam("round_id")),
    StoredRoundFigures.mean,
    StoredRoundFigures.sd,
).where(StoredRoundFigures.round_id == bindparam("round_id"))


def _summary(round_id: int, row) -> Summary:
    if row is None or row[0] is None:  # a round decided before the counts were stored
        row = db.session.execute(_counted(round_id)).one()
    return Summary(*(int(value) for value in row[:5]))


def summary(round_id: int) -> Summary:
    """The round's counts, as refresh stored them with its results, and its decisions."""
    return _summary(round_id, db.session.execute(_STORED, {"round_id": round_id}).first())


def heading(round_: Round) -> tuple[Summary, Figures]:
    """What the ranking's heading shows, read in one query: the round's counts (see `summary`) and
    its stored μ and σ (the ranking's, for a round decided before they were stored)."""
    row = db.session.execute(_STORED, {"round_id": round_.id}).first()
    figures = Figures(row.mean, row.sd) if row is not None else _ranking_figures(round_)
    return _summary(round_.id, row), figures


def _counted(round_id: int):
    """The round's counts, counted over its stored results' flags index, and its decisions."""
    return select(
        func.count(),
        func.count(StoredResult.rank),
        func.coalesce(func.sum(case((StoredResult.disagreement.is_(True), 1), else_=0)), 0),
        func.coalesce(func.sum(case((StoredResult.incomplete.is_(True), 1), else_=0)), 0),
        _decided(round_id),
    ).where(StoredResult.round_id == round_id)


def figures(round_: Round) -> Figures:
    """The round's stored μ and σ; for a round decided before they were stored, the ranking's."""
    return heading(round_)[1]


def _ranking_figures(round_: Round) -> Figures:
    """μ and σ worked out from the round's data: a round decided before they were stored."""
    from incubator.judging.ranking.compute import round_ranking

    result = round_ranking(round_).result
    return Figures(result.mean, result.sd)


def _narrowing(flag: str | None, searched: bool) -> list:
    """The conditions of a narrowed ranking: the flag's, and a search by the bound `pattern`."""
    conditions = [FLAGS[flag]] if flag else []
    if searched:
        conditions.append(Startup.name.ilike(bindparam("pattern"), escape="\\"))
    return conditions


# A ranking page's statements are built once for each way of sorting and narrowing it (a few
# dozen at most: the search words are a parameter), and run with the round's values.
@cache
def _narrowed_count(flag: str | None, searched: bool):
    return (
        select(func.count(StoredResult.application_id))
        .join(Application, Application.id == StoredResult.application_id)
        .join(Startup, Startup.id == Application.startup_id)
        .where(StoredResult.round_id == bindparam("round_id"), *_narrowing(flag, searched))
    )


@cache
def _page_lines(sort: str, flag: str | None, searched: bool):
    statement = _lines(bindparam("round_id")).where(*_narrowing(flag, searched)).order_by(*ORDERS[sort])
    return windowed(statement)


def ranking_page(round_id: int, *, sort: str, flag: str, query: str, page: int, per_page: int, total: int) -> ListPage:
    """One page of the round's ranking, sorted by `sort` and narrowed by `flag` and `query`;
    `total` is the round's number of applications (counted again only when narrowed)."""
    sort = sort if sort in ORDERS else "rank"
    flag = flag if flag in FLAGS else None
    pattern = like_pattern(query)
    params = {"round_id": round_id, "pattern": pattern}
    if flag or pattern is not None:
        total = db.session.scalar(_narrowed_count(flag, pattern is not None), params)
    pages = max(1, -(-total // per_page))
    page = min(max(page, 1), pages)
    statement = _page_lines(sort, flag, pattern is not None)
    rows = db.session.execute(statement, params | window_params(page, per_page)).all()
    return ListPage([_entry(row) for row in rows], page, per_page, total)


def ranking_lines(round_id: int) -> list[RankingEntry]:
    """Every line of the round's ranking in rank order, unranked last: ranking.csv's rows."""
    statement = _lines(round_id).order_by(*ORDERS["rank"])
    return [_entry(row) for row in db.session.execute(statement)]


def found_after(round_: Round, application_ids: list[int]) -> set[int]:
    """Of these applications of a decided round, those with a sheet that counted in the decision
    and a conflict of interest found since (their figures stay as decided)."""
    from incubator.judging.ranking.compute import recorded_exclusions

    if round_.phase != "decided" or not application_ids:
        return set()
    sheets = db.session.execute(
        select(ScoreSheet.id, ScoreSheet.judge_id, ScoreSheet.application_id).where(
            ScoreSheet.round_id == round_.id,
            ScoreSheet.status == "final",
            ScoreSheet.application_id.in_(application_ids),
        )
    ).all()
    recorded = recorded_exclusions(round_, [sheet.id for sheet in sheets]) if sheets else None
    if recorded is None:
        return set()
    pairs = {(judge_id, application_id) for _, judge_id, application_id in sheets}
    judges = [
        conflicts.Judge(*row)
        for row in db.session.execute(select(User.id, User.email).where(User.id.in_({j for j, _ in pairs})))
    ]
    entries = [
        conflicts.Entry(*row)
        for row in db.session.execute(
            select(Application.id, Application.startup_id).where(Application.id.in_(application_ids))
        )
    ]
    found = set(conflicts.declared(round_.id)) | set(conflicts.detect_entries(judges, entries, pairs))
    return {
        application_id
        for sheet_id, judge_id, application_id in sheets
        if (judge_id, application_id) in found and sheet_id not in recorded
    }
