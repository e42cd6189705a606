"""`compute_totals` (stored totals, sums over columns) against `compute_round` (the plain rules of
DESIGN.md, one sheet at a time) on random rounds: every figure the same float, every rank and flag
the same."""

import random

import pytest

from incubator.judging.scoring import (
    EXCLUDED_CONFLICT,
    EXCLUDED_DRAFT,
    STEP_FLAT,
    STEP_TOO_FEW,
    STEP_Z,
    CountedTotal,
    Criterion,
    Sheet,
    compute_round,
    compute_totals,
    sheet_total,
)


def _random_round(seed: int):
    """A round with ties (few distinct marks), judges with one or two sheets, a judge who gives every
    sheet the same marks (σ_j = 0), applications with one sheet or none, excluded sheets (a
    conflict, a draft) and a sheet of an application the round does not list."""
    rng = random.Random(seed)
    criteria = [
        Criterion(c, rng.choice((1.0, 2.0, 0.5, 3.0)), 0.0, rng.choice((5.0, 10.0, 4.0)))
        for c in range(1, rng.randint(1, 4) + 1)
    ]
    applications = list(range(1, rng.randint(1, 40) + 1))
    judges = list(range(100, 100 + rng.randint(1, 9)))
    flat = rng.choice(judges)  # gives every sheet the same marks
    marks = {c.id: rng.choice((0, 1, 2, 3, 4)) for c in criteria}
    sheets = []

    def add(judge, application, excluded=None):
        own = {c.id: rng.choice((0, 1, 2, 3, 4, c.maximum)) for c in criteria}
        scores = dict(marks) if judge == flat else own
        if excluded == EXCLUDED_DRAFT and rng.random() < 0.5:
            scores.popitem()  # an unfinished draft: no total
        sheets.append(Sheet(len(sheets) + 1, judge, application, scores, excluded))

    for application in applications:
        shape = rng.random()
        if shape < 0.1:
            continue  # no sheet
        count = 1 if shape < 0.25 else rng.randint(1, min(4, len(judges)))
        for judge in rng.sample(judges, count):
            excluded = rng.choice((None,) * 8 + (EXCLUDED_CONFLICT, EXCLUDED_DRAFT))
            add(judge, application, excluded)
    if rng.random() < 0.3:
        add(judges[0], max(applications) + 1)  # an application not listed (the plain rules rank it too)
    rng.shuffle(sheets)  # the sums follow the sheets' order: any order gives the same as the plain rules
    return criteria, sheets, applications, rng


def _figures(result):
    applications = [
        (a.application_id, a.raw, a.normalized, a.rank, a.spread, a.judges_counted, a.disagreement, a.incomplete)
        for a in result.applications
    ]
    return applications, result.judges, result.mean, result.sd


@pytest.mark.parametrize("seed", range(300))
def test_compute_totals_equals_plain_rules_on_random_rounds(seed):
    criteria, sheets, applications, rng = _random_round(seed)
    basis = rng.choice(("raw", "normalized"))
    settings = {
        "judges_per_application": rng.randint(1, 4),
        "threshold": rng.choice((0.0, 12.5, 15.0, 25.0, 50.0)),
        "basis": basis,
    }
    plain = compute_round(criteria, sheets, applications, **settings)
    counted = [
        CountedTotal(s.id, s.judge_id, s.application_id, sheet_total(criteria, s.scores))
        for s in sheets
        if s.excluded is None
    ]
    fast = compute_totals(counted, applications, **settings)

    assert _figures(fast) == _figures(plain)
    if counted:
        assert [a.rank for a in fast.applications if a.rank is not None][0] == 1


def test_compute_totals_equals_plain_rules_with_every_step_and_tie():
    """A round built to hold each case: a harsh and a lenient judge (z), a flat judge (σ_j = 0), a
    judge with two sheets (too few), a single-sheet application, an unscored one, and equal scores
    reached by different sums (a tie)."""
    one = [Criterion(1, 1.0, 0.0, 100.0)]
    rows = [
        (1, 1, 40), (1, 2, 50), (1, 3, 60),  # harsh
        (2, 1, 70), (2, 2, 80), (2, 3, 90),  # lenient
        (3, 1, 70), (3, 2, 70), (3, 3, 70),  # flat
        (4, 4, 100), (4, 5, 55),  # too few
        (5, 6, 30.1), (5, 7, 10.1), (5, 8, 20.2), (6, 6, 10.2), (6, 7, 30.2), (6, 8, 20.1),  # ties
    ]  # fmt: skip
    sheets = [Sheet(i, judge, app, {1: score}) for i, (judge, app, score) in enumerate(rows, start=1)]
    applications = list(range(1, 10))  # 9 has no sheet
    for basis in ("normalized", "raw"):
        plain = compute_round(one, sheets, applications, judges_per_application=2, basis=basis)
        counted = [CountedTotal(s.id, s.judge_id, s.application_id, sheet_total(one, s.scores)) for s in sheets]
        fast = compute_totals(counted, applications, judges_per_application=2, basis=basis)
        assert _figures(fast) == _figures(plain)
    steps = {judge: stats.step for judge, stats in fast.judges.items()}
    assert steps == {1: STEP_Z, 2: STEP_Z, 3: STEP_FLAT, 4: STEP_TOO_FEW, 5: STEP_Z, 6: STEP_Z}
    by_id = fast.by_application()
    assert by_id[9].rank is None and fast.applications[-1].application_id == 9
    assert by_id[6].rank == by_id[7].rank == by_id[8].rank == 6  # raw: 30.1 + 10.2, 10.1 + 30.2, 20.2 + 20.1
    assert by_id[4].judges_counted == 1 and by_id[4].spread == 0.0


def test_compute_totals_without_sheets_ranks_nothing():
    result = compute_totals([], [3, 1, 2], judges_per_application=3)
    assert [(a.application_id, a.rank, a.raw, a.incomplete) for a in result.applications] == [
        (1, None, None, True),
        (2, None, None, True),
        (3, None, None, True),
    ]
    assert (result.judges, result.mean, result.sd) == ({}, None, None)
