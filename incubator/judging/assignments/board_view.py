"""The assignment overview's board as plain rows for its template: each judge's load and progress,
and each application's judges, the judges who could be added and those with a conflict.

The overview is read once per request (board_page.load_overview: counts in SQL and one page of
applications), so a page costs the same number of queries whatever the number of applications,
judges and sheets."""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import NamedTuple

from flask import render_template
from flask_babel import gettext as _
from markupsafe import Markup, escape
from wtforms.fields.choices import SelectChoice

from incubator.cohorts.queries import focus_area_names
from incubator.judging.assignments.board import Judge
from incubator.judging.assignments.board_page import Overview
from incubator.judging.assignments.forms import BulkAssignForm
from incubator.judging.ranking.members import RoundEntry


@dataclass
class JudgeRow:
    judge: Judge
    areas: list[str]
    assigned: int = 0
    drafts: int = 0
    submitted: int = 0
    conflicts: int = 0


class Place(NamedTuple):
    assignment_id: int
    judge: Judge
    sheet: str | None  # draft | final | None
    conflict: str | None


@dataclass
class ApplicationRow:
    """One card of the overview, as plain data (the page reads kept facts only)."""

    entry: RoundEntry
    decides: bool
    places: list[Place] = field(default_factory=list)
    addable: list[tuple[Judge, bool]] = field(default_factory=list)  # and whether they know its area
    conflicted: list[tuple[Judge, str]] = field(default_factory=list)  # judges not assigned, with why

    @property
    def counted(self) -> int:
        return sum(1 for p in self.places if not p.conflict)


def _judge_rows(board: Overview, areas: dict[int, str]) -> list[JudgeRow]:
    rows = [
        JudgeRow(j, sorted(areas[a] for a in j.areas if a in areas), **board.tally(j.id)) for j in board.judges.values()
    ]
    return [r for r in rows if r.judge.is_judge or r.assigned]


def _application_rows(board: Overview) -> list[ApplicationRow]:
    judges, pool = board.judges, board.pool
    rows = []
    for entry in board.page.items:
        row = ApplicationRow(entry, board.decides(entry))
        row.places = sorted(
            (
                Place(x.id, judges[x.judge_id], x.sheet, board.conflict(x.judge_id, x.application_id))
                for x in board.places.get(entry.id, ())
            ),
            key=lambda p: (p.judge.name, p.judge.id),
        )
        on = {p.judge.id for p in row.places}
        for judge in pool:
            if judge.id in on:
                continue
            reason = board.conflict(judge.id, entry.id)
            if reason:
                row.conflicted.append((judge, reason))
            elif row.decides:
                row.addable.append((judge, entry.focus_area_id is not None and entry.focus_area_id in judge.areas))
        rows.append(row)
    return rows


def _judge_options(pool: list[Judge]) -> Callable[[list[tuple[Judge, bool]]], Markup]:
    """Writes an "add a judge" list's <option>s. Each judge's two options (knowing the
    application's focus area or not) are written once per page: a page holds 25 such lists."""
    label = escape(_("knows this focus area"))  # outside the f-string, where Babel finds it
    knows = f" ({label})"
    written = {
        (judge.id, known): f'<option value="{judge.id}">{escape(judge.name)}{knows if known else ""}</option>'
        for judge in pool
        for known in (False, True)
    }
    return lambda addable: Markup("".join(written[judge.id, known] for judge, known in addable))  # noqa: S704 - escaped above


def board_html(board: Overview) -> str:
    rows = _application_rows(board)
    pool = board.pool
    bulk_form = BulkAssignForm(formdata=None, meta={"csrf": False})
    bulk_form.application_ids.choices = [SelectChoice(r.entry.id, r.entry.name) for r in rows if r.decides]
    bulk_form.judge_ids.choices = [SelectChoice(j.id, j.name) for j in pool]
    areas = focus_area_names()
    return render_template(
        "judging/assignments/_board.html",
        round=board.round,
        candidates=board.candidates,
        judges=_judge_rows(board, areas),
        areas=areas,
        rows=rows,
        page=board.page,
        full=board.full,
        judge_options=_judge_options(pool),
        bulk_form=bulk_form,
    )
