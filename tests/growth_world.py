"""A seeded two-gate cohort for the growth tests, built through the real services.

Four startups apply; gate 1 ("Pitch selection", deciding applied → pre-incubation) scores them on
Problem (weight 2), Market and Team (weight 1 each), all 1-5, by two judges who agree:

    startup  Problem Market Team     (on 0-100: 25 × (score − 1))
    Alpha       5      4     4
    Beta        4      2     3
    Gamma       3      3     2
    Delta       2      2     2

so the round's means are Problem 3.5 (62.50), Market 2.75 (43.75), Team 2.75 (43.75). Alpha, Beta and
Gamma advance, Delta is not selected, a mentor is assigned to Beta and Gamma, and the feedback is
released (scores of all three criteria; comments on Problem and Market, not Team): that proposes
Beta's Market, and Gamma's Team then Problem.

Gate 2 ("Demo day", pre-incubation → incubation) shares gate 1's rubric; it opens tomorrow (its
scoring is saved as at its opening) and scores, by the same two judges:

    Alpha   5 5 4 | 5 5 4     Beta   4 4 3 | 4 3 3     Gamma  4 3 3 | 4 3 3

so its means are Problem 4.3333 (83.33), Market 3.8333 (70.83), Team 3.3333 (58.33). It is closed and
only Problem's scores are released to founders.
"""

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal as D

from sqlalchemy import select

from incubator.extensions import db as _db

STARTUPS = ["Alpha", "Beta", "Gamma", "Delta"]
CITIES = ["Surakarta", "Surakarta", "Semarang", "Klaten"]
# (is_woman, under_30) of each startup's one founder.
FOUNDERS = [(True, True), (True, False), (False, True), (False, False)]
CRITERIA = [("Problem", 2), ("Market", 1), ("Team", 1)]
GATE_1 = {"Alpha": (5, 4, 4), "Beta": (4, 2, 3), "Gamma": (3, 3, 2), "Delta": (2, 2, 2)}
GATE_2 = {"Alpha": [(5, 5, 4), (5, 5, 4)], "Beta": [(4, 4, 3), (4, 3, 3)], "Gamma": [(4, 3, 3), (4, 3, 3)]}
# What the first judge writes on gate 1 (the second writes nothing but on Gamma's Problem).
COMMENTS_1 = {("Gamma", "Problem"): "Masalahnya belum tajam.", ("Beta", "Market"): "Pasar <b>belum</b> dihitung."}
COMMENTS_2 = {("Gamma", "Problem"): "Perlu wawancara pengguna."}


@dataclass
class GrowthWorld:
    cohort_id: int
    gates: list[int]  # round ids
    apps: dict[str, int]  # startup name -> application id
    cohort_startups: dict[str, int]  # startup name -> cohort_startups.id
    founders: dict[str, int]  # startup name -> the founder's user id
    criteria: list[list[int]]  # per gate, criterion ids in CRITERIA order
    mentor_id: int
    director_id: int
    judges: list[int]


def _round(services, cohort, actor, name, decides, opens=None, closes=None):
    return services.save_round(
        None,
        cohort,
        name=name,
        decides_stage=decides,
        scoring_opens_at=opens,
        scoring_closes_at=closes,
        judges_per_application=2,
        ranking_basis="raw",
        judges_see_scores_after_close=False,
        disagreement_threshold=D(15),
        actor=actor,
    )


def _score(round_, application, judge, marks, comments, now=None):
    from incubator.judging.models import Assignment
    from incubator.judging.sheets.services import Entry, save_sheet

    _db.session.add(Assignment(round_id=round_.id, application_id=application.id, judge_id=judge.id))
    _db.session.flush()
    entries = {
        c.id: Entry(str(m), comments.get(c.name, "")) for c, m in zip(round_.rubric.criteria, marks, strict=True)
    }
    save_sheet(
        round_.id,
        application,
        judge,
        entries,
        overall_comment="",
        recommendation="maybe",
        expected_version=0,
        submit=True,
        now=now,
    )


def build(app, create_user, create_cohort) -> GrowthWorld:
    from incubator.applications.models import Application
    from incubator.auth.models import User
    from incubator.cohorts.models import Cohort, CohortStartup
    from incubator.cohorts.services import change_stage
    from incubator.core.database import utcnow
    from incubator.judging.decisions import services as decisions
    from incubator.judging.decisions.feedback import release_feedback
    from incubator.judging.models import Round
    from incubator.judging.rounds import services
    from incubator.judging.rounds.rubric import Scale
    from incubator.mentoring.services import assign_mentor
    from incubator.startups.models import Startup, TeamMember

    made = create_cohort()
    judges = [
        create_user(email="juri.satu@example.org", name="Juri Satu", roles=["judge"]),
        create_user(email="juri.dua@example.org", name="Juri Dua", roles=["judge"]),
    ]
    mentor = create_user(email="mentor.growth@example.org", name="Mentor Growth", roles=["mentor"])
    founders = {name: create_user(email=f"{name.lower()}@example.org", name=f"Founder {name}") for name in STARTUPS}
    with app.test_request_context("/?lang=en"):
        actor = _db.session.merge(made.director)
        cohort = _db.session.get(Cohort, made.id)
        judges = [_db.session.merge(j) for j in judges]
        first = _round(services, cohort, actor, "Pitch selection", "applied")
        for name, weight in CRITERIA:
            services.save_criterion(
                first.rubric,
                None,
                name=name,
                description="",
                weight=D(weight),
                scale=Scale(D(1), D(5), D(1)),
                descriptors={},
                actor=actor,
            )
        apps = {}
        for name, city, (woman, young) in zip(STARTUPS, CITIES, FOUNDERS, strict=True):
            startup = Startup(
                name=name,
                city=city,
                owner_id=founders[name].id,
                members=[
                    TeamMember(name=f"Pendiri {name}", role="CEO", is_founder=True, is_woman=woman, under_30=young)
                ],
            )
            _db.session.add(startup)
            application = Application(startup=startup, cohort=cohort, status="submitted", submitted_at=utcnow())
            _db.session.add(application)
            _db.session.flush()
            change_stage(startup, cohort, "applied", None, system=True)
            apps[name] = application
        services.set_phase(first, "open", actor)
        for judge_index, judge in enumerate(judges):
            for name, marks in GATE_1.items():
                notes = COMMENTS_1 if judge_index == 0 else COMMENTS_2
                comments = {c: text for (s, c), text in notes.items() if s == name}
                _score(first, apps[name], judge, marks, comments)
        services.set_phase(first, "closed", actor)
        choices = {apps[n].id: "advance" for n in ("Alpha", "Beta", "Gamma")} | {apps["Delta"].id: "not_selected"}
        decisions.decide(first, choices, actor)
        first = _db.session.get(Round, first.id)
        memberships = {
            name: _db.session.scalar(
                select(CohortStartup).where(
                    CohortStartup.cohort_id == cohort.id, CohortStartup.startup_id == apps[name].startup_id
                )
            )
            for name in STARTUPS
        }
        mentor = _db.session.merge(mentor)
        for name in ("Beta", "Gamma"):
            assign_mentor(memberships[name], mentor, actor)
        criteria_1 = [c.id for c in first.rubric.criteria]
        release_feedback(
            first,
            {criteria_1[0]: (True, True), criteria_1[1]: (True, True), criteria_1[2]: (True, False)},
            overall_comments=False,
            actor=actor,
        )

        opens = utcnow() + timedelta(days=1)
        second = _round(services, cohort, actor, "Demo day", "pre_incubation", opens, opens + timedelta(days=10))
        services.share_rubric(first, second, actor)
        services.set_phase(second, "open", actor)
        for judge_index, judge in enumerate(judges):
            for name, sheets in GATE_2.items():
                _score(second, apps[name], judge, sheets[judge_index], {}, now=opens + timedelta(hours=1))
        services.set_phase(second, "closed", actor)
        criteria_2 = [c.id for c in second.rubric.criteria]
        release_feedback(second, {criteria_2[0]: (True, False)}, overall_comments=False, actor=actor)
        _db.session.commit()
        director = _db.session.scalar(select(User).where(User.id == made.director.id))
        return GrowthWorld(
            cohort_id=cohort.id,
            gates=[first.id, second.id],
            apps={n: a.id for n, a in apps.items()},
            cohort_startups={n: cs.id for n, cs in memberships.items()},
            founders={n: u.id for n, u in founders.items()},
            criteria=[criteria_1, criteria_2],
            mentor_id=mentor.id,
            director_id=director.id,
            judges=[j.id for j in judges],
        )
