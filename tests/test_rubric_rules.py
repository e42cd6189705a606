"""Rubric arithmetic (pure), and the round and rubric services on the real database."""

from datetime import timedelta
from decimal import Decimal as D

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from incubator.core.errors import ServiceError
from incubator.extensions import db as _db
from incubator.judging.rounds.rubric import Scale, is_on_scale, levels, rubric_problems, scale_problem, weight_shares


def test_levels_of_a_scale():
    assert levels(Scale(D(1), D(5), D(1))) == [D(1), D(2), D(3), D(4), D(5)]
    assert levels(Scale(D(0), D(2), D("0.5"))) == [D(0), D("0.5"), D("1.0"), D("1.5"), D("2.0")]


@pytest.mark.parametrize(
    ("scale", "problem"),
    [
        (Scale(D(1), D(5), D(1)), None),
        (Scale(D(0), D(10), D(1)), None),
        (Scale(D(5), D(5), D(1)), "order"),
        (Scale(D(5), D(1), D(1)), "order"),
        (Scale(D(1), D(5), D(0)), "step"),
        (Scale(D(1), D(5), D(-1)), "step"),
        (Scale(D(1), D(5), D(3)), "divides"),
        (Scale(D(0), D(100), D(1)), "levels"),
        (Scale(D(0), D(20), D(1)), None),
    ],
)
def test_scale_problems(scale, problem):
    assert scale_problem(scale) == problem


def test_values_on_scale():
    scale = Scale(D(1), D(5), D("0.5"))
    assert is_on_scale(D("3.5"), scale)
    assert not is_on_scale(D("3.25"), scale)
    assert not is_on_scale(D(6), scale)
    assert not is_on_scale(D("0.5"), scale)


def test_weight_shares_round_half_away_from_zero():
    assert weight_shares([D(3), D(2), D(1)]) == [D("50.00"), D("33.33"), D("16.67")]
    assert weight_shares([D(1), D(1), D(1)]) == [D("33.33"), D("33.33"), D("33.33")]
    assert weight_shares([D(1), D(7)]) == [D("12.50"), D("87.50")]
    assert weight_shares([]) == []


def test_rubric_problems():
    ok = Scale(D(1), D(5), D(1))
    assert rubric_problems([]) == ["empty"]
    assert rubric_problems([(D(1), ok)]) == []
    assert rubric_problems([(D(0), ok)]) == ["weight"]
    assert rubric_problems([(D(1), Scale(D(1), D(5), D(3)))]) == ["scale"]


# --- services ----------------------------------------------------------------


@pytest.fixture
def in_request(app, create_user):
    """in_request(fn) runs fn(director, cohort) in a request and commits."""
    from incubator.cohorts import services
    from incubator.core.database import utcnow

    director = create_user(email="dir@example.org", roles=["director"])
    with app.test_request_context():
        actor = _db.session.merge(director)
        space = services.save_space(None, name="Semarang", city="Semarang", description="", focus_areas=[], actor=actor)
        cohort = services.save_cohort(
            None,
            name="Semarang 2026",
            space=space,
            description="",
            opens_at=utcnow(),
            closes_at=utcnow() + timedelta(days=30),
            required_attendance=3,
            focus_areas=[],
            published=False,
            actor=actor,
        )
        _db.session.commit()
        cohort_id = cohort.id

    def run(fn):
        from incubator.auth.models import User
        from incubator.cohorts.models import Cohort

        with app.test_request_context("/?lang=en"):
            result = fn(_db.session.get(User, director.id), _db.session.get(Cohort, cohort_id))
            _db.session.commit()
            return result

    return run


def _round(actor, cohort, **overrides):
    from incubator.judging.rounds.services import save_round

    values = {
        "name": "Pitch selection",
        "decides_stage": "applied",
        "scoring_opens_at": None,
        "scoring_closes_at": None,
        "judges_per_application": 3,
        "ranking_basis": "raw",
        "judges_see_scores_after_close": False,
        "disagreement_threshold": D(15),
    }
    values.update(overrides)
    return save_round(None, cohort, actor=actor, **values)


def _criterion(actor, rubric, name="Problem", weight=D(1), scale=Scale(D(1), D(5), D(1)), descriptors=None):
    from incubator.judging.rounds.services import save_criterion

    return save_criterion(
        rubric, None, name=name, description="", weight=weight, scale=scale, descriptors=descriptors or {}, actor=actor
    )


def test_opening_an_empty_rubric_is_refused_with_the_reason(in_request):
    from incubator.judging.rounds.services import set_phase

    def act(actor, cohort):
        round_ = _round(actor, cohort)
        with pytest.raises(ServiceError) as refused:
            set_phase(round_, "open", actor)
        return str(refused.value), round_.phase

    assert in_request(act) == ("The round cannot open: The rubric has no criteria yet.", "draft")


def test_phases_move_forward_only_and_freeze_the_rubric(in_request):
    from incubator.judging.rounds.services import save_criterion, set_phase

    def act(actor, cohort):
        round_ = _round(actor, cohort)
        criterion = _criterion(actor, round_.rubric)
        set_phase(round_, "open", actor)
        assert round_.rubric.frozen
        with pytest.raises(ServiceError, match="This rubric is frozen"):
            save_criterion(
                round_.rubric,
                criterion,
                name="Changed",
                description="",
                weight=D(2),
                scale=criterion.scale,
                descriptors={},
                actor=actor,
            )
        with pytest.raises(ServiceError, match="A round in phase open cannot move to decided."):
            set_phase(round_, "decided", actor)
        set_phase(round_, "closed", actor)
        set_phase(round_, "open", actor)  # reopened for late sheets
        set_phase(round_, "closed", actor)
        set_phase(round_, "decided", actor)
        with pytest.raises(ServiceError, match="A round in phase decided cannot move to open."):
            set_phase(round_, "open", actor)
        return round_.phase

    assert in_request(act) == "decided"


def test_descriptors_are_kept_by_value_when_the_scale_changes(in_request):
    from incubator.judging.rounds.services import save_criterion

    def act(actor, cohort):
        round_ = _round(actor, cohort)
        criterion = _criterion(
            actor, round_.rubric, descriptors={D(1): "No evidence", D(3): "Some customers", D(5): "Proven", D(9): "x"}
        )
        first = [(lv.value, lv.descriptor) for lv in criterion.levels]
        save_criterion(
            round_.rubric,
            criterion,
            name="Problem",
            description="",
            weight=D(1),
            scale=Scale(D(1), D(3), D(1)),
            descriptors={D(1): "No evidence", D(3): "Some customers", D(5): "Proven"},
            actor=actor,
        )
        return first, [(lv.value, lv.descriptor) for lv in criterion.levels]

    first, second = in_request(act)
    assert first == [(D(1), "No evidence"), (D(3), "Some customers"), (D(5), "Proven")]
    assert second == [(D(1), "No evidence"), (D(3), "Some customers")]


@pytest.mark.parametrize(
    ("weight", "scale", "message"),
    [
        (D(0), Scale(D(1), D(5), D(1)), "The weight must be greater than zero."),
        (D(1), Scale(D(5), D(1), D(1)), "The lowest score must be below the highest."),
        (D(1), Scale(D(1), D(5), D(0)), "The step must be greater than zero."),
        (D(1), Scale(D(1), D(5), D(3)), "The step must divide the range from the lowest to the highest score."),
        (D(1), Scale(D(0), D(100), D(1)), "A scale can have at most 21 levels"),
    ],
)
def test_bad_criteria_are_refused(in_request, weight, scale, message):
    def act(actor, cohort):
        round_ = _round(actor, cohort)
        with pytest.raises(ServiceError) as refused:
            _criterion(actor, round_.rubric, weight=weight, scale=scale)
        return str(refused.value)

    assert in_request(act).startswith(message)


def test_move_and_delete_keep_positions_dense(in_request):
    from incubator.judging.rounds.services import delete_criterion, move_criterion

    def act(actor, cohort):
        rubric = _round(actor, cohort).rubric
        a, b, c = (_criterion(actor, rubric, name=n) for n in "ABC")
        move_criterion(rubric, c, -1, actor)
        after_move = [x.name for x in rubric.criteria]
        move_criterion(rubric, a, -1, actor)  # already first: nothing happens
        delete_criterion(rubric, a, actor)
        return after_move, [(x.name, x.position) for x in rubric.criteria]

    assert in_request(act) == (["A", "C", "B"], [("C", 0), ("B", 1)])


def test_templates_copy_into_rounds_and_back(in_request):
    from incubator.judging.rounds.services import copy_template_into_round, save_as_template, save_template

    def act(actor, cohort):
        template = save_template(None, name="Standard", description="Seven criteria", actor=actor)
        _criterion(actor, template, name="Market", weight=D(2), descriptors={D(5): "Large and reachable"})
        _criterion(actor, template, name="Team", weight=D(1))
        round_ = _round(actor, cohort)
        copy_template_into_round(template, round_, actor)
        copied = [(c.name, c.weight, [lv.descriptor for lv in c.levels]) for c in round_.rubric.criteria]
        kept = save_as_template(round_.rubric, "Copy of the round", actor)
        return copied, kept.is_template, [c.name for c in kept.criteria], len(template.criteria)

    copied, is_template, names, original = in_request(act)
    assert copied == [("Market", D(2), ["Large and reachable"]), ("Team", D(1), [])]
    assert (is_template, names, original) == (True, ["Market", "Team"], 2)


def test_copy_cohort_setup_copies_rounds_and_rubrics_as_drafts(in_request):
    from incubator.cohorts.services import copy_cohort_setup
    from incubator.core.database import utcnow
    from incubator.judging.models import Round
    from incubator.judging.rounds.services import set_phase

    def act(actor, cohort):
        first = _round(actor, cohort, name="Pitch selection")
        _criterion(actor, first.rubric, name="Problem", weight=D(3))
        set_phase(first, "open", actor)
        _round(actor, cohort, name="Demo day", decides_stage="pre_incubation", judges_per_application=5)
        copy = copy_cohort_setup(
            cohort, name="Semarang 2027", opens_at=utcnow(), closes_at=utcnow() + timedelta(days=9), actor=actor
        )
        rounds = _db.session.scalars(select(Round).where(Round.cohort_id == copy.id).order_by(Round.position)).all()
        return (
            copy.published,
            copy.required_attendance,
            [(r.name, r.phase, r.decides_stage, r.judges_per_application) for r in rounds],
            [[c.name for c in r.rubric.criteria] for r in rounds],
        )

    published, attendance, rounds, criteria = in_request(act)
    assert (published, attendance) == (False, 3)
    assert rounds == [("Pitch selection", "draft", "applied", 3), ("Demo day", "draft", "pre_incubation", 5)]
    assert criteria == [["Problem"], []]


def test_cohort_window_must_close_after_it_opens(in_request):
    from incubator.cohorts.services import save_cohort

    def act(actor, cohort):
        with pytest.raises(ServiceError, match="The application window must close after it opens."):
            save_cohort(
                cohort,
                name=cohort.name,
                space=cohort.space,
                description="",
                opens_at=cohort.closes_at,
                closes_at=cohort.opens_at,
                required_attendance=0,
                focus_areas=[],
                published=False,
                actor=actor,
            )

    in_request(act)


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE criteria SET weight = 0",
        "UPDATE criteria SET scale_min = 5, scale_max = 1",
        "UPDATE criteria SET scale_step = 0.3",
        "UPDATE rounds SET phase = 'paused'",
        "UPDATE rounds SET judges_per_application = 0",
        "UPDATE cohorts SET required_attendance = -1",
        "UPDATE cohorts SET closes_at = opens_at",
    ],
)
def test_database_enforces_rubric_and_round_invariants(in_request, statement):
    from sqlalchemy import text

    def act(actor, cohort):
        round_ = _round(actor, cohort)
        _criterion(actor, round_.rubric)
        _db.session.flush()
        with pytest.raises(IntegrityError):
            _db.session.execute(text(statement))
            _db.session.flush()
        _db.session.rollback()

    in_request(act)


def test_frozen_criteria_follow_a_draft_rubric_and_are_read_once_after_opening(app, in_request):
    """A draft's rubric is read on every call (its edits show at once); once the round has opened
    its criteria are kept by the process: later calls send only the rubric's own lookup."""
    from incubator.judging.rounds.frozen import frozen_criteria
    from incubator.judging.rounds.services import save_criterion, set_phase
    from tests.conftest import recorded_statements

    def act(actor, cohort):
        round_ = _round(actor, cohort)
        criterion = _criterion(actor, round_.rubric, descriptors={D(1): "Belum ada bukti"})
        before = frozen_criteria(round_)
        save_criterion(
            round_.rubric,
            criterion,
            name="Masalah",
            description="Seberapa nyata",
            weight=D(2),
            scale=Scale(D(1), D(5), D(2)),
            descriptors={D(1): "Belum ada bukti", D(5): "Terbukti"},
            actor=actor,
        )
        edited = frozen_criteria(round_)
        set_phase(round_, "open", actor)
        first = frozen_criteria(round_)
        with recorded_statements(app) as statements:
            again = frozen_criteria(round_)
        return before, edited, first, again, len(statements)

    before, edited, first, again, queries = in_request(act)
    assert [(c.name, c.weight, c.levels) for c in before] == [("Problem", D(1), ((D(1), "Belum ada bukti"),))]
    (criterion,) = edited
    assert (criterion.name, criterion.description, criterion.weight, criterion.scale) == (
        "Masalah",
        "Seberapa nyata",
        D(2),
        Scale(D(1), D(5), D(2)),
    )
    assert criterion.levels == ((D(1), "Belum ada bukti"), (D(5), "Terbukti"))
    assert (criterion.descriptor(D(5)), criterion.descriptor(D(3))) == ("Terbukti", "")
    assert first == edited
    assert again is first
    assert queries == 1
