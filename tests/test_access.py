"""Who may open what: an access matrix over (identity, method, URL), and a route
inventory that fails on any endpoint that is neither public by an explicit list
nor protected, or that the matrix does not cover. The cases and the identities live in
tests/access_cases/, one module per area."""

from datetime import timedelta
from decimal import Decimal

import pytest
from werkzeug.routing import RequestRedirect

from tests.access_cases import IDENTITIES, LOGIN, collect, world_builders
from tests.conftest import csrf_token
from tests.snapshots import kept_world

MATRIX, PUBLIC_ENDPOINTS = collect()


@pytest.fixture
def world(app, create_user):
    """One of each object to point URLs at, and the user each identity signs in as: (ids, users).
    Built once per test process and put back before each case (tests/snapshots.py)."""
    return kept_world(app, "access-matrix", lambda: _build_world(app, create_user))


def _build_world(app, create_user):
    from incubator.applications.models import Application
    from incubator.cohorts import services as cohorts
    from incubator.core.database import utcnow
    from incubator.extensions import db
    from incubator.judging.models import Assignment
    from incubator.judging.rounds import services as judging
    from incubator.judging.rounds.rubric import Scale
    from incubator.mail.outbox import queue_mail
    from incubator.mentoring.services import assign_mentor
    from incubator.startups.models import Startup, TeamMember

    other = create_user(email="other@example.org", roles=["judge"])
    director = create_user(email="boss@example.org", roles=["director"])
    founder = create_user(email="founder@example.org", roles=["applicant"])
    users = {
        "founder": founder,
        "applicant": create_user(email="second@example.org", roles=["applicant"]),
        "assigned_judge": other,
        "judge": create_user(email="judge@example.org", roles=["judge"]),
        "mentor": create_user(email="mentor@example.org", roles=["mentor"]),
        "director": director,
    }
    with app.test_request_context():
        actor = db.session.merge(director)
        message = queue_mail(other, "confirm_email", user=other, link="http://localhost/x")
        area = cohorts.save_focus_area(None, "games", "Gim", "Games", actor)
        space = cohorts.save_space(
            None, name="Hetero Space Solo", city="Surakarta", description="", focus_areas=[area], actor=actor
        )
        now = utcnow()
        cohort = cohorts.save_cohort(
            None,
            name="Hetero for Startup Solo 2026",
            space=space,
            description="",
            opens_at=now - timedelta(days=1),
            closes_at=now + timedelta(days=30),
            required_attendance=5,
            focus_areas=[area],
            published=True,
            actor=actor,
        )
        round_ = judging.save_round(
            None,
            cohort,
            name="Pitch selection",
            decides_stage="applied",
            scoring_opens_at=None,
            scoring_closes_at=None,
            judges_per_application=3,
            ranking_basis="raw",
            judges_see_scores_after_close=False,
            disagreement_threshold=Decimal(15),
            actor=actor,
        )
        criterion = judging.save_criterion(
            round_.rubric,
            None,
            name="Problem",
            description="",
            weight=Decimal(2),
            scale=Scale(Decimal(1), Decimal(5), Decimal(1)),
            descriptors={},
            actor=actor,
        )
        template = judging.save_template(None, name="Standard", description="", actor=actor)

        def enter(name: str, owner, member: str):
            startup = Startup(name=name, city="Sukoharjo", owner_id=owner.id)
            startup.members = [TeamMember(name=member, role="CEO", is_founder=True)]
            db.session.add(startup)
            db.session.flush()
            application = Application(startup=startup, cohort=cohort, status="submitted", submitted_at=now)
            db.session.add(application)
            return startup, application, cohorts.change_stage(startup, cohort, "applied", None, system=True)

        startup, application, change = enter("GamelanVerse", founder, "Dimas")
        # Assigned, so the application stays in the round when other areas move the startup on.
        db.session.add(Assignment(round_id=round_.id, application_id=application.id, judge_id=other.id))
        # The second applicant's startup, in pre-incubation with the `mentor` identity as its mentor.
        other_startup, other_application, _ = enter("Wayang Studio", users["applicant"], "Sekar")
        other_change = cohorts.change_stage(other_startup, cohort, "pre_incubation", actor, "access world")
        assign_mentor(other_change.cohort_startup, db.session.merge(users["mentor"]), actor)
        db.session.commit()
        ids = {
            "user_id": other.id,
            "message_id": message.id,
            "space_id": space.id,
            "focus_area_id": area.id,
            "cohort_id": cohort.id,
            "round_id": round_.id,
            "rubric_id": round_.rubric.id,
            "template_id": template.id,
            "criterion_id": criterion.id,
            "cohort_startup_id": change.cohort_startup_id,
            "startup_id": startup.id,
            "member_id": startup.members[0].id,
            "application_id": application.id,
            "other_startup_id": other_startup.id,
            "other_member_id": other_startup.members[0].id,
            "other_application_id": other_application.id,
            "other_cohort_startup_id": other_change.cohort_startup_id,
        }
    for build in world_builders():
        with app.test_request_context():
            ids.update(build(dict(ids)))
            db.session.commit()
    return ids, users


def _cases():
    for method, url, expected in MATRIX:
        for identity in IDENTITIES:
            yield pytest.param(identity, method, url, expected[identity], id=f"{identity}-{method}-{url}")


@pytest.mark.parametrize(("identity", "method", "url", "status"), list(_cases()))
def test_access_matrix(client, login_as, world, identity, method, url, status):
    ids, users = world
    if identity != "anonymous":
        login_as(client, users[identity])
    url = url.format(**ids)
    if method == "GET":
        response = client.get(url)
    else:
        token = csrf_token(client, "/auth/reset")
        response = client.post(url, data={"csrf_token": token})
    assert response.status_code == status
    if identity == "anonymous" and status == LOGIN and url not in ("/auth/confirm/resend",):
        assert response.headers["Location"].startswith("/auth/login")


def test_every_route_is_public_by_list_or_protected(app):
    unmarked, unlisted, listed_but_protected = [], [], []
    for rule in app.url_map.iter_rules():
        view = app.view_functions[rule.endpoint]
        access = getattr(view, "access", None)
        if rule.endpoint == "static":
            continue
        if access is None:
            unmarked.append(rule.endpoint)
        elif access == "public" and rule.endpoint not in PUBLIC_ENDPOINTS:
            unlisted.append(rule.endpoint)
        elif access != "public" and rule.endpoint in PUBLIC_ENDPOINTS:
            listed_but_protected.append(rule.endpoint)
    assert unmarked == []
    assert unlisted == []
    assert listed_but_protected == []


class _Ones(dict):
    def __missing__(self, key):
        return 1


def test_every_route_is_in_the_access_matrix(app):
    adapter = app.url_map.bind("localhost")
    covered = set()
    for method, url, _expected in MATRIX:
        try:
            endpoint, _args = adapter.match(url.format_map(_Ones()).split("?")[0], method=method)
        except RequestRedirect:  # pragma: no cover - a matrix URL should be canonical
            pytest.fail(f"{url} redirects")
        covered.add((endpoint, method))
    missing = []
    for rule in app.url_map.iter_rules():
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            if (rule.endpoint, method) not in covered:
                missing.append(f"{method} {rule.rule} ({rule.endpoint})")
    assert missing == []


# The judging permission rules (incubator/judging/permissions.py) against the matrix's answers: a judge
# sees, scores and declares a conflict on exactly the applications whose judge pages open for them.
JUDGE_PAGES = {
    "score": "/rounds/{round}/applications/{application}/score",
    "conflict": "/rounds/{round}/applications/{application}/conflict",
}


def _matrix_status(page: str, round_key: str, application_key: str, identity: str) -> int:
    url = JUDGE_PAGES[page].format(round="{" + round_key + "}", application="{" + application_key + "}")
    (status,) = [expected[identity] for method, case_url, expected in MATRIX if method == "GET" and case_url == url]
    return status


@pytest.mark.parametrize(
    ("round_key", "application_key"),
    [("round_id", "application_id"), ("open_round_id", "application_id"), ("open_round_id", "other_application_id")],
)
def test_judging_permissions_agree_with_the_access_matrix(app, world, round_key, application_key):
    from incubator.applications.models import Application
    from incubator.extensions import db
    from incubator.judging import permissions
    from incubator.judging.models import Round

    ids, users = world
    answers, expected = {}, {}
    with app.test_request_context():
        round_ = db.session.get(Round, ids[round_key])
        application = db.session.get(Application, ids[application_key])
        for identity in IDENTITIES[1:]:
            user = db.session.merge(users[identity])
            judge = not permissions.can_manage_round(user)  # directors reach everything, by other pages
            answers[identity] = (
                judge and permissions.can_see_application(user, application, round_),
                permissions.can_score(round_, application, user),
                permissions.can_declare_conflict(user, round_, application),
            )
            expected[identity] = (
                _matrix_status("score", round_key, application_key, identity) == 200,
                _matrix_status("score", round_key, application_key, identity) == 200,
                _matrix_status("conflict", round_key, application_key, identity) == 200,
            )
    assert answers == expected
    seen_by = sorted(identity for identity, (sees, _score, _declare) in answers.items() if sees)
    assert seen_by == (
        ["assigned_judge"] if (round_key, application_key) == ("open_round_id", "application_id") else []
    )


def test_directors_manage_rounds_and_see_every_application(app, world):
    from incubator.applications.models import Application
    from incubator.extensions import db
    from incubator.judging import permissions
    from incubator.judging.models import Round

    ids, users = world
    with app.test_request_context():
        round_ = db.session.get(Round, ids["round_id"])
        application = db.session.get(Application, ids["application_id"])
        managers = sorted(i for i in IDENTITIES[1:] if permissions.can_manage_round(db.session.merge(users[i])))
        director = db.session.merge(users["director"])
        assert managers == ["director"]
        assert permissions.can_see_application(director, application, round_) is True
        assert permissions.can_declare_conflict(director, round_, application) is False
