"""The automatic assignment over plain data: exact pairs for small cases worked out by hand,
and the rules (k each, balance, cap, conflicts, focus areas, stability) on 50 x 7."""

import pytest

from incubator.judging.assignments.allocation import CAP, CONFLICTS, TOO_FEW_JUDGES, Allocation, Unfilled, allocate

NO_AREA: set[int] = set()


def test_each_application_gets_a_judge_who_knows_its_focus_area():
    # Applications 1, 2 are crafts (10), 3, 4 are games (20); judges 10, 11 know crafts, 12, 13 games.
    result = allocate({1: 10, 2: 10, 3: 20, 4: 20}, {10: {10}, 11: {10}, 12: {20}, 13: {20}}, [], [], k=1)
    assert result == Allocation(
        add=[(10, 1), (11, 2), (12, 3), (13, 4)], conflicted=[], unfilled=[], loads={10: 1, 11: 1, 12: 1, 13: 1}
    )


def test_balance_wins_over_focus_areas():
    # Four crafts applications, one judge who knows crafts: they take two (the most a balanced
    # load allows: 4 places over 3 judges is 2, 1, 1), the others one each.
    result = allocate({1: 10, 2: 10, 3: 10, 4: 10}, {10: {10}, 11: NO_AREA, 12: NO_AREA}, [], [], k=1)
    assert result.add == [(10, 1), (10, 2), (11, 3), (12, 4)]
    assert result.loads == {10: 2, 11: 1, 12: 1}


def test_conflicts_are_never_assigned_and_explain_what_is_missing():
    # Judges 10 and 11 have a conflict with application 1: only judge 12 is left for it.
    result = allocate({1: None, 2: None}, {10: NO_AREA, 11: NO_AREA, 12: NO_AREA}, [], [(10, 1), (11, 1)], k=2)
    assert result.add == [(12, 1), (10, 2), (11, 2)]
    assert result.unfilled == [Unfilled(1, 1, CONFLICTS)]
    assert result.loads == {10: 1, 11: 1, 12: 1}


def test_too_few_judges():
    result = allocate({1: None}, {10: NO_AREA}, [], [], k=2)
    assert result.add == [(10, 1)]
    assert result.unfilled == [Unfilled(1, 1, TOO_FEW_JUDGES)]


def test_the_cap_is_respected_and_named_as_the_reason():
    result = allocate({1: None, 2: None, 3: None}, {10: NO_AREA, 11: NO_AREA}, [], [], k=1, cap=1)
    assert result.add == [(10, 1), (11, 2)]
    assert result.unfilled == [Unfilled(3, 1, CAP)]
    assert result.loads == {10: 1, 11: 1}


def test_the_cap_counts_existing_places():
    # Judge 10 already has two applications; with a cap of 2 the new one goes to judge 11.
    result = allocate({1: None, 2: None, 3: 20}, {10: {20}, 11: NO_AREA}, [(10, 1), (10, 2)], [], k=1, cap=2)
    assert result.add == [(11, 3)]
    assert result.loads == {10: 2, 11: 1}


def test_a_tight_cap_is_filled_by_moving_a_place_the_greedy_pass_gave_away():
    # Six places, three judges capped at two: a full fill exists. Handing places out in turn
    # leaves application 3 with only judges at their cap; moving application 1 from judge 10
    # to judge 12 frees judge 10 for application 3.
    result = allocate({1: 1, 2: 2, 3: 1}, {10: {2}, 11: {2}, 12: NO_AREA}, [], [], k=2, cap=2)
    assert result.add == [(11, 1), (12, 1), (10, 2), (11, 2), (10, 3), (12, 3)]
    assert result.unfilled == []
    assert result.loads == {10: 2, 11: 2, 12: 2}


def test_a_zero_cap_fills_nothing():
    result = allocate({1: None}, {10: NO_AREA}, [], [], k=1, cap=0)
    assert result.add == []
    assert result.unfilled == [Unfilled(1, 1, CAP)]


def test_rerun_after_adding_judges_keeps_everything_and_adds_nothing_when_full():
    applications = {1: None, 2: None, 3: None, 4: None}
    first = allocate(applications, {10: NO_AREA, 11: NO_AREA}, [], [], k=2)
    assert first.add == [(10, 1), (11, 1), (10, 2), (11, 2), (10, 3), (11, 3), (10, 4), (11, 4)]
    again = allocate(applications, {10: NO_AREA, 11: NO_AREA, 12: NO_AREA, 13: NO_AREA}, first.add, [], k=2)
    assert again == Allocation(add=[], conflicted=[], unfilled=[], loads={10: 4, 11: 4, 12: 0, 13: 0})


def test_rerun_after_adding_judges_only_fills_what_was_missing():
    applications = {1: None, 2: None, 3: None}
    first = allocate(applications, {10: NO_AREA}, [], [], k=2)
    assert first.add == [(10, 1), (10, 2), (10, 3)]
    assert first.unfilled == [
        Unfilled(1, 1, TOO_FEW_JUDGES),
        Unfilled(2, 1, TOO_FEW_JUDGES),
        Unfilled(3, 1, TOO_FEW_JUDGES),
    ]
    # Two judges join: each application needs one more, and only the newcomers can give it.
    again = allocate(applications, {10: NO_AREA, 11: NO_AREA, 12: NO_AREA}, first.add, [], k=2)
    assert again.add == [(11, 1), (12, 2), (11, 3)]
    assert again.unfilled == []
    assert again.loads == {10: 3, 11: 2, 12: 1}


def test_an_existing_place_now_conflicted_is_kept_reported_and_replaced():
    result = allocate({1: None}, {10: NO_AREA, 11: NO_AREA}, [(10, 1)], [(10, 1)], k=1)
    assert result.add == [(11, 1)]
    assert result.conflicted == [(10, 1)]
    assert result.loads == {10: 0, 11: 1}


def test_existing_places_of_judges_outside_the_pool_still_count():
    # Judge 99 (deactivated, say) was assigned: application 1 needs one more judge, not two.
    result = allocate({1: None}, {10: NO_AREA}, [(99, 1)], [], k=2)
    assert result.add == [(10, 1)]
    assert result.loads == {10: 1}


def test_an_application_with_more_judges_than_needed_gets_none():
    result = allocate({1: None, 2: None}, {10: NO_AREA, 11: NO_AREA, 12: NO_AREA}, [(10, 1), (11, 1), (12, 1)], [], k=2)
    assert result.add == [(10, 2), (11, 2)]


def test_bad_arguments():
    with pytest.raises(ValueError):
        allocate({1: None}, {10: NO_AREA}, [], [], k=0)
    with pytest.raises(ValueError):
        allocate({1: None}, {10: NO_AREA}, [], [], k=1, cap=-1)


# --- 50 applications, 7 judges ------------------------------------------------------------

APPLICATIONS = {a: a % 3 for a in range(1, 51)}  # focus areas 0, 1, 2
JUDGES = {j: {j % 3} for j in range(101, 108)}  # 101, 104, 107 know area 2; 102, 105 area 0; 103, 106 area 1
# Every seventh application has a conflict with one judge.
CONFLICTED = [(101 + a % 7, a) for a in range(1, 51, 7)]


def _counted(result, existing=()):
    per_application = dict.fromkeys(APPLICATIONS, 0)
    for _judge, application in [*existing, *result.add]:
        per_application[application] += 1
    return per_application


def test_fifty_by_seven_every_application_gets_three_and_loads_stay_within_one():
    result = allocate(APPLICATIONS, JUDGES, [], [], k=3)
    assert len(result.add) == 150
    assert set(_counted(result).values()) == {3}
    assert sorted(result.loads.values()) == [21, 21, 21, 21, 22, 22, 22]
    assert result.unfilled == []
    # Every place that could go to a judge who knows the area did: area 0 has 16 applications
    # and 2 judges, area 1 17 and 2, area 2 17 and 3 (16*2 + 17*2 + 17*3).
    matches = sum(1 for j, a in result.add if APPLICATIONS[a] in JUDGES[j])
    assert matches == 117


def test_fifty_by_seven_with_conflicts():
    result = allocate(APPLICATIONS, JUDGES, [], CONFLICTED, k=3)
    assert not set(result.add) & set(CONFLICTED)
    assert set(_counted(result).values()) == {3}
    assert sorted(result.loads.values()) == [21, 21, 21, 21, 22, 22, 22]
    assert len(set(result.add)) == 150


def test_fifty_by_seven_with_a_cap():
    # 7 judges x 21 = 147 places for 150: three applications miss one judge, for the cap.
    result = allocate(APPLICATIONS, JUDGES, [], CONFLICTED, k=3, cap=21)
    assert set(result.loads.values()) == {21}
    assert [(u.missing, u.reason) for u in result.unfilled] == [(1, CAP)] * 3
    assert sum(_counted(result).values()) == 147


def test_fifty_by_seven_rerun_with_two_more_judges_changes_nothing():
    first = allocate(APPLICATIONS, JUDGES, [], CONFLICTED, k=3)
    bigger = {**JUDGES, 108: {0}, 109: {1}}
    again = allocate(APPLICATIONS, bigger, first.add, CONFLICTED, k=3)
    assert again.add == []
    assert again.loads == {**first.loads, 108: 0, 109: 0}


def test_fifty_by_seven_rerun_after_raising_k_keeps_every_place_and_stays_balanced():
    first = allocate(APPLICATIONS, JUDGES, [], CONFLICTED, k=2)
    assert sorted(first.loads.values()) == [14, 14, 14, 14, 14, 15, 15]
    again = allocate(APPLICATIONS, JUDGES, first.add, CONFLICTED, k=3)
    assert len(again.add) == 50
    assert not set(again.add) & set(first.add)
    assert set(_counted(again, first.add).values()) == {3}
    assert sorted(again.loads.values()) == [21, 21, 21, 21, 22, 22, 22]


def test_the_same_input_in_another_order_gives_the_same_answer():
    forward = allocate(APPLICATIONS, JUDGES, [], CONFLICTED, k=3, cap=22)
    backward = allocate(
        dict(reversed(APPLICATIONS.items())),
        dict(reversed(JUDGES.items())),
        [],
        list(reversed(CONFLICTED)),
        k=3,
        cap=22,
    )
    assert forward == backward
