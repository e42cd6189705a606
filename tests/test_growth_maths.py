"""The maths of growth across gates (incubator/growth/maths.py), with plain numbers and exact values."""

from datetime import UTC, datetime

import pytest

from incubator.growth.maths import (
    GroupChange,
    Standing,
    changes,
    closed_before,
    extremes,
    group_changes,
    on_scale,
    overall_change,
    weakest,
)


def test_on_scale_puts_a_score_on_zero_to_hundred():
    assert on_scale(1, 1, 5) == 0.0
    assert on_scale(5, 1, 5) == 100.0
    assert on_scale(3.5, 1, 5) == 62.5
    assert on_scale(7, 0, 10) == 70.0
    assert on_scale(None, 1, 5) is None


def test_weakest_takes_the_two_furthest_below_the_mean():
    standings = [
        Standing(1, 0, 4.0, 75.0, 62.5),  # +12.5
        Standing(2, 1, 2.0, 25.0, 43.75),  # −18.75
        Standing(3, 2, 2.5, 37.5, 50.0),  # −12.5
        Standing(4, 3, 3.0, 50.0, 60.0),  # −10
    ]
    assert [s.criterion_id for s in weakest(standings)] == [2, 3]
    assert [s.criterion_id for s in weakest(standings, count=3)] == [2, 3, 4]


def test_weakest_breaks_a_tie_by_the_lower_raw_mean():
    # Both 10 points below their round's mean on 0-100; criterion 7 (1-5) has raw mean 3.0, criterion 8
    # (0-10) has raw mean 6.0: the lower raw mean comes first, whatever the order given.
    standings = [Standing(8, 0, 6.0, 60.0, 70.0), Standing(7, 1, 3.0, 50.0, 60.0), Standing(9, 2, 4.0, 75.0, 80.0)]
    assert [s.criterion_id for s in weakest(standings)] == [7, 8]


def test_weakest_breaks_a_full_tie_by_the_rubric_order():
    standings = [Standing(5, 2, 2.0, 25.0, 50.0), Standing(6, 1, 2.0, 25.0, 50.0)]
    assert [s.criterion_id for s in weakest(standings)] == [6, 5]


def test_weakest_never_takes_a_criterion_at_or_above_the_mean():
    standings = [Standing(1, 0, 3.0, 50.0, 50.0), Standing(2, 1, 4.0, 75.0, 50.0), Standing(3, 2, 2.0, 25.0, 30.0)]
    assert [s.criterion_id for s in weakest(standings)] == [3]
    assert weakest([Standing(1, 0, 3.0, 50.0, 50.000000000001)]) == []  # float noise is no gap
    assert weakest([]) == []


def test_changes_are_gate_to_gate_and_skip_missing_ends():
    assert changes([25.0, 62.5, 50.0]) == [37.5, -12.5]
    assert changes([25.0, None, 50.0]) == [None, None]
    assert changes([80.0]) == []
    assert overall_change([25.0, None, 50.0]) == 25.0
    assert overall_change([None, 50.0]) is None


def test_group_changes_are_means_per_group_largest_first():
    rows = [("Surakarta", 8.0), ("Semarang", 16.0), ("Surakarta", 12.0), ("klaten", -4.0)]
    assert group_changes(rows) == [
        GroupChange("Surakarta", 2, 10.0),
        GroupChange("klaten", 1, -4.0),
        GroupChange("Semarang", 1, 16.0),
    ]


@pytest.mark.parametrize(
    ("changes_by_startup", "most", "least"),
    [
        ({"A": 8.0, "B": 12.5, "C": 16.0}, [("C", 16.0)], [("A", 8.0)]),
        ({"A": 1.0}, [("A", 1.0)], []),
        ({"A": 1.0, "B": 1.0}, [("A", 1.0)], [("B", 1.0)]),
        (
            {"A": 5.0, "B": -2.0, "C": 9.0, "D": 0.0, "E": 3.0, "F": -7.0, "G": 4.0},
            [("C", 9.0), ("A", 5.0), ("G", 4.0)],
            [("F", -7.0), ("B", -2.0), ("D", 0.0)],
        ),
    ],
)
def test_extremes_never_list_a_startup_twice(changes_by_startup, most, least):
    assert extremes(changes_by_startup, 3) == (most, least)


def test_closed_before_needs_a_done_item_before_the_gate():
    gate = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)
    assert closed_before(datetime(2026, 11, 30, tzinfo=UTC), gate) is True
    assert closed_before(datetime(2026, 12, 1, 2, 0, tzinfo=UTC), gate) is False
    assert closed_before(None, gate) is False
    assert closed_before(datetime(2026, 11, 30, tzinfo=UTC), None) is None
