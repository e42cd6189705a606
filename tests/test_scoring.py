"""The scoring module against numbers computed by hand (DESIGN.md, "Scoring")."""

from decimal import Decimal as D
from math import sqrt

import pytest

from incubator.core.figures import rounded
from incubator.judging.scoring import (
    EXCLUDED_CONFLICT,
    EXCLUDED_DRAFT,
    STEP_FLAT,
    STEP_TOO_FEW,
    STEP_Z,
    Criterion,
    Sheet,
    compute_round,
    pstdev,
    sheet_total,
)

ONE = [Criterion(1, 1.0, 0.0, 100.0)]  # a single 0-100 criterion: T equals the score


def test_sheet_total_weights_and_scales():
    criteria = [Criterion(1, 2.0, 1.0, 5.0), Criterion(2, 1.0, 0.0, 10.0)]
    assert sheet_total(criteria, {1: 5, 2: 10}) == 100.0
    assert sheet_total(criteria, {1: 1, 2: 0}) == 0.0
    assert sheet_total(criteria, {1: 3, 2: 5}) == 50.0
    assert rounded(sheet_total(criteria, {1: 4, 2: 4})) == D("63.33")  # 100 × (2·0.75 + 0.4) / 3
    assert sheet_total(criteria, {1: 4}) is None


def test_rounding_is_half_away_from_zero():
    assert rounded(2.675) == D("2.68")
    assert rounded(-2.675) == D("-2.68")
    assert rounded(66.66666666666667) == D("66.67")
    assert rounded(0.005) == D("0.01")
    assert rounded(None) is None


def _sheets():
    s = []

    def add(judge, app, score, excluded=None):
        s.append(Sheet(len(s) + 1, judge, app, {1: score} if score is not None else {}, excluded))

    for app, score in ((1, 40), (2, 50), (3, 60)):
        add(1, app, score)  # a harsh judge: μ 50
    for app, score in ((1, 70), (2, 80), (3, 90)):
        add(2, app, score)  # a lenient judge: μ 80
    for app in (1, 2, 3):
        add(3, app, 70)  # a judge who gives everyone the same: σ = 0
    add(4, 4, 100)  # a judge with a single sheet
    add(5, 1, 0, EXCLUDED_CONFLICT)  # a conflicted judge: does not count
    add(6, 4, None, EXCLUDED_DRAFT)  # an unfinished sheet: does not count
    return s


@pytest.fixture
def result():
    return compute_round(ONE, _sheets(), [1, 2, 3, 4, 5], judges_per_application=3, threshold=15.0)


def test_round_mean_and_sd(result):
    # counted totals 40 50 60 70 80 90 70 70 70 100: μ = 70, σ = √(2800 / 10)
    assert result.mean == 70.0
    assert result.sd == pytest.approx(sqrt(280))


def test_raw_scores_spread_and_flags(result):
    apps = result.by_application()
    assert [(a, rounded(apps[a].raw), rounded(apps[a].spread), apps[a].judges_counted) for a in (1, 2, 3, 4)] == [
        (1, D("60.00"), D("14.14"), 3),
        (2, D("66.67"), D("12.47"), 3),
        (3, D("73.33"), D("12.47"), 3),
        (4, D("100.00"), D("0.00"), 1),
    ]
    assert [apps[a].incomplete for a in (1, 2, 3, 4, 5)] == [False, False, False, True, True]
    assert [apps[a].disagreement for a in (1, 2, 3, 4)] == [False, False, False, False]
    assert (apps[5].raw, apps[5].normalized, apps[5].spread, apps[5].rank) == (None, None, None, None)


def test_normalisation_steps(result):
    apps = result.by_application()
    ratio = sqrt(280) / sqrt(200 / 3)  # σ / σ_j for judges 1 and 2
    steps = {
        (r.sheet.judge_id, r.sheet.application_id): (r.step, r.normalized) for a in apps.values() for r in a.sheets
    }
    assert steps[(1, 1)] == (STEP_Z, pytest.approx(70 + ratio * (40 - 50)))
    assert steps[(2, 3)] == (STEP_Z, pytest.approx(70 + ratio * (90 - 80)))
    assert steps[(3, 2)] == (STEP_FLAT, 70.0)
    assert steps[(4, 4)] == (STEP_TOO_FEW, 100.0)
    assert steps[(5, 1)] == (None, None)  # conflicted: excluded before normalising
    assert [rounded(apps[a].normalized) for a in (1, 2, 3, 4)] == [D("56.34"), D("70.00"), D("83.66"), D("100.00")]


def test_ranks_raw_and_normalised(result):
    assert [(a.application_id, a.rank) for a in result.applications] == [(4, 1), (3, 2), (2, 3), (1, 4), (5, None)]
    normalised = compute_round(ONE, _sheets(), [1, 2, 3, 4, 5], judges_per_application=3, basis="normalized")
    assert [(a.application_id, a.rank) for a in normalised.applications] == [
        (4, 1),
        (3, 2),
        (2, 3),
        (1, 4),
        (5, None),
    ]


def test_judge_statistics(result):
    stats = {j: (s.sheets, rounded(s.mean), rounded(s.spread)) for j, s in result.judges.items()}
    assert stats == {
        1: (3, D("50.00"), D("8.16")),
        2: (3, D("80.00"), D("8.16")),
        3: (3, D("70.00"), D("0.00")),
        4: (1, D("100.00"), D("0.00")),
    }


def test_disagreement_at_the_threshold():
    flagged = compute_round(ONE, _sheets(), [1], judges_per_application=3, threshold=14.0).by_application()
    assert flagged[1].disagreement is True  # spread 14.14 >= 14
    one_sheet = compute_round(ONE, _sheets(), [4], judges_per_application=3, threshold=0.0).by_application()
    assert one_sheet[4].disagreement is False  # never with a single sheet


def test_ties_use_standard_competition_ranking():
    sheets = [Sheet(i, 1, app, {1: score}) for i, (app, score) in enumerate([(10, 90), (11, 80), (12, 80), (13, 70)])]
    result = compute_round(ONE, sheets, [10, 11, 12, 13], judges_per_application=1)
    assert [(a.application_id, a.rank) for a in result.applications] == [(10, 1), (11, 2), (12, 2), (13, 4)]


def test_ties_survive_float_noise():
    criteria = [Criterion(1, 1.0, 0.0, 10.0), Criterion(2, 2.0, 0.0, 10.0), Criterion(3, 3.0, 0.0, 10.0)]
    a = Sheet(1, 1, 1, {1: 1, 2: 2, 3: 3})
    b = Sheet(2, 2, 2, {1: 3, 2: 2, 3: 7 / 3})  # a different sum to the same total
    result = compute_round(criteria, [a, b], [1, 2], judges_per_application=1)
    assert [a.rank for a in result.applications] == [1, 1]


def test_unrounded_values_decide_the_order():
    sheets = [Sheet(1, 1, 1, {1: 80.004}), Sheet(2, 1, 2, {1: 80.001})]
    result = compute_round(ONE, sheets, [1, 2], judges_per_application=1)
    assert [(a.application_id, a.rank, rounded(a.raw)) for a in result.applications] == [
        (1, 1, D("80.00")),
        (2, 2, D("80.00")),
    ]


def test_criterion_means_per_application_and_round(result):
    apps = result.by_application()
    assert apps[1].criterion_means == {1: 60.0}
    assert result.criterion_means == {1: 70.0}


def test_pstdev():
    assert pstdev([]) is None
    assert pstdev([5]) == 0.0
    assert pstdev([2, 4, 4, 4, 5, 5, 7, 9]) == 2.0


def test_a_counted_sheet_must_be_complete():
    with pytest.raises(ValueError, match="sheet 1 counts but lacks a score"):
        compute_round(ONE, [Sheet(1, 1, 1, {})], [1], judges_per_application=1)
