"""Conflicts found in the data are stored (judging.conflicts.found) and kept current by the writers
of what they are found in: the team, a startup's owner, mentoring and accounts. The rule itself
(judging.conflicts.rules.find) is plain Python over plain values."""

from collections import Counter

import pytest
from sqlalchemy import select

from incubator.extensions import db as _db
from incubator.judging.conflicts.rules import Found, find, identifying


def test_the_rule_finds_each_kind_first_that_holds_in_order():
    judges = {1: "agus@univ-semarang.ac.id", 2: "maya@gmail.com", 3: "dewi@kampus-solo.ac.id", 4: "eko@example.org"}
    owners = {10: 1, 11: None, 12: None, 13: None}
    people = {
        10: {"agus@univ-semarang.ac.id", "rekan@univ-semarang.ac.id"},  # owned by judge 1
        11: {"MAYA@gmail.com", "budi@gmail.com"},  # judge 2 on the team (any case)
        12: {"sari@kampus-solo.ac.id", "ani@example.org"},  # judge 3's domain; example.org says nothing
        13: {"tono@gmail.com"},  # a public domain says nothing either
    }
    mentored = {(3, 12), (4, 13), (2, 99)}  # startup 99 is not among these startups
    assert find(judges, owners, people, mentored) == {
        (1, 10): Found("owner"),
        (2, 11): Found("team"),
        (3, 12): Found("mentor"),  # mentoring comes before the shared domain
        (4, 13): Found("mentor"),
    }
    assert find({3: "dewi@kampus-solo.ac.id"}, owners, people, set()) == {(3, 12): Found("domain", "kampus-solo.ac.id")}


@pytest.mark.parametrize(
    ("domain", "expected"),
    [
        ("univ-semarang.ac.id", True),
        ("gmail.com", False),
        ("example.org", False),
        ("guests.invalid", False),
        ("", False),
    ],
)
def test_a_domain_identifies_an_organisation_unless_public_or_reserved(domain, expected):
    assert identifying(domain) is expected


@pytest.fixture
def place(app, create_user, create_cohort):
    """A judge at univ-semarang.ac.id, a mentor-judge, a founder at gmail.com with a startup in a
    cohort; ids."""
    from incubator.applications.services import save_startup, start_application
    from incubator.auth.models import User
    from incubator.cohorts.models import Cohort

    made = create_cohort()
    judge = create_user(email="agus@univ-semarang.ac.id", name="Agus", roles=["judge"])
    mentor = create_user(email="hendra@outlook.com", name="Hendra", roles=["judge", "mentor"])
    founder = create_user(email="rina@gmail.com", name="Rina", roles=["applicant"])
    with app.test_request_context("/?lang=en"):
        owner = _db.session.get(User, founder.id)
        startup = save_startup(
            None, owner, name="Batik Lurik", city="Solo", business_stage="idea", legal_status="unincorporated"
        )
        start_application(startup, _db.session.get(Cohort, made.id), owner)
        _db.session.commit()
        return {
            "judge": judge.id,
            "mentor": mentor.id,
            "founder": founder.id,
            "startup": startup.id,
            "cohort": made.id,
            "director": made.director.id,
        }


def _stored(app) -> dict:
    from incubator.judging.conflicts import found

    with app.app_context():
        rows = found.stored()
        assert rows == found.live()  # never behind the data
        _db.session.remove()
    return rows


def _act(app, action):
    with app.test_request_context("/?lang=en"):
        result = action()
        _db.session.commit()
        return result


def _get(model, key):
    return _db.session.get(model, key)


def test_a_team_member_at_a_judges_organisation_is_stored_and_goes_with_them(app, place):
    from incubator.applications.services import remove_member, save_member
    from incubator.auth.models import User
    from incubator.startups.models import Startup

    assert _stored(app) == {}
    member_id = _act(
        app,
        lambda: (
            save_member(
                _get(Startup, place["startup"]),
                None,
                _get(User, place["founder"]),
                name="Rekan",
                email="Rekan@Univ-Semarang.ac.id",
            ).id
        ),
    )
    assert _stored(app) == {(place["judge"], place["startup"]): Found("domain", "univ-semarang.ac.id")}
    _act(
        app,
        lambda: save_member(
            _get(Startup, place["startup"]),
            next(m for m in _get(Startup, place["startup"]).members if m.id == member_id),
            _get(User, place["founder"]),
            email="agus@univ-semarang.ac.id",
        ),
    )
    assert _stored(app) == {(place["judge"], place["startup"]): Found("team")}
    startup = lambda: _get(Startup, place["startup"])  # noqa: E731
    _act(app, lambda: remove_member(startup(), startup().members[-1], _get(User, place["founder"])))
    assert _stored(app) == {}


def test_mentoring_a_startup_is_stored_and_removing_the_mentor_clears_it(app, place):
    from incubator.auth.models import User
    from incubator.cohorts.models import Cohort, CohortStartup
    from incubator.cohorts.services import change_stage
    from incubator.mentoring.models import MentorAssignment
    from incubator.mentoring.services import assign_mentor, unassign_mentor
    from incubator.startups.models import Startup

    def assign():
        startup, cohort = _get(Startup, place["startup"]), _get(Cohort, place["cohort"])
        change_stage(startup, cohort, "applied", None, system=True)
        change_stage(startup, cohort, "pre_incubation", None, system=True)
        membership = _db.session.scalar(select(CohortStartup).where(CohortStartup.startup_id == startup.id))
        assign_mentor(membership, _get(User, place["mentor"]), _get(User, place["director"]))

    _act(app, assign)
    assert _stored(app) == {(place["mentor"], place["startup"]): Found("mentor")}
    _act(
        app,
        lambda: unassign_mentor(_db.session.scalar(select(MentorAssignment)), _get(User, place["director"])),
    )
    assert _stored(app) == {}


def test_accounts_keep_a_judges_conflicts_current(app, place, create_user):
    from incubator.applications.services import save_member
    from incubator.auth.models import User
    from incubator.auth.services import grant_role, revoke_role
    from incubator.startups.models import Startup

    _act(
        app,
        lambda: save_member(
            _get(Startup, place["startup"]),
            None,
            _get(User, place["founder"]),
            name="Sari",
            email="sari@kampus-solo.ac.id",
        ),
    )
    assert _stored(app) == {}
    newcomer = create_user(email="dewi@kampus-solo.ac.id", name="Dewi", roles=["judge"])
    assert _stored(app) == {(newcomer.id, place["startup"]): Found("domain", "kampus-solo.ac.id")}
    # The founder becomes a judge too: they own the startup.
    _act(app, lambda: grant_role(_get(User, place["founder"]), "judge", _get(User, place["director"])))
    assert _stored(app)[place["founder"], place["startup"]] == Found("owner")
    # Without the role and without a sheet or an assignment, they are no judge any more.
    _act(app, lambda: revoke_role(_get(User, place["founder"]), "judge", _get(User, place["director"])))
    assert (place["founder"], place["startup"]) not in _stored(app)


def test_an_erased_startup_leaves_no_conflict_to_find(app, place, create_user):
    from incubator.applications.services import save_member
    from incubator.auth.models import User
    from incubator.privacy.erasure import erase_startup
    from incubator.startups.models import Startup

    _act(
        app,
        lambda: save_member(
            _get(Startup, place["startup"]),
            None,
            _get(User, place["founder"]),
            name="Rekan",
            email="rekan@univ-semarang.ac.id",
        ),
    )
    assert list(_stored(app)) == [(place["judge"], place["startup"])]
    _act(app, lambda: erase_startup(_get(Startup, place["startup"]), "retention", Counter()))
    assert _stored(app) == {}


def test_refresh_results_rewrites_conflicts_written_around_the_writers(app, place):
    from incubator.startups.models import TeamMember

    with app.app_context():  # a row added with no writer: nothing is found until the command runs
        _db.session.add(TeamMember(startup_id=place["startup"], name="Rekan", email="rekan@univ-semarang.ac.id"))
        _db.session.commit()
    result = app.test_cli_runner().invoke(args=["refresh-results"])
    assert result.exit_code == 0, result.output
    assert _stored(app) == {(place["judge"], place["startup"]): Found("domain", "univ-semarang.ac.id")}
