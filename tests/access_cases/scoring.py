"""Access cases for the judge's queue and scoring page, the director's sheet list, reopening and reminders.

The world's round {round_id} is a DRAFT: judges get 404 there, even the assigned judge (a draft round
is not theirs to see), other roles 403 on the judge pages. This module adds an OPEN round
{open_round_id} (deciding the stage the world's startup is at) where the assigned judge is assigned to
the world's application and nobody to the second applicant's: the assigned judge's scoring page opens
there (a bare POST saves an empty draft and comes back, 302), every other judge gets 404.
The draft round has no sheet, so reopening answers 404 to the director; reminders on a draft round
are refused with a message (302 back to the round page)."""

from tests.access_cases import LOGIN, director_only

PUBLIC = set()

JUDGES_ONLY_404 = {"anonymous": LOGIN, "applicant": 403, "judge": 404, "mentor": 403, "director": 403}
ASSIGNED_JUDGE = {**JUDGES_ONLY_404, "assigned_judge": 200}


def build_world(ids: dict) -> dict:
    """An open round deciding the world's startup's current stage, the world's application assigned
    to the assigned judge."""
    from decimal import Decimal

    from incubator.auth.models import User
    from incubator.cohorts.models import Cohort, CohortStartup
    from incubator.extensions import db
    from incubator.judging.models import Assignment
    from incubator.judging.rounds import services as judging
    from incubator.judging.rounds.rubric import Scale

    director = db.session.query(User).filter_by(email="boss@example.org").one()
    cohort = db.session.get(Cohort, ids["cohort_id"])
    round_ = judging.save_round(
        None,
        cohort,
        name="Demo day",
        decides_stage=db.session.get(CohortStartup, ids["cohort_startup_id"]).stage,
        scoring_opens_at=None,
        scoring_closes_at=None,
        judges_per_application=2,
        ranking_basis="raw",
        judges_see_scores_after_close=False,
        disagreement_threshold=Decimal(15),
        actor=director,
    )
    scale = Scale(Decimal(1), Decimal(5), Decimal(1))
    fields = {"description": "", "weight": Decimal(1), "scale": scale, "descriptors": {}, "actor": director}
    judging.save_criterion(round_.rubric, None, name="Traction", **fields)
    judging.set_phase(round_, "open", director)
    db.session.add(Assignment(round_id=round_.id, application_id=ids["application_id"], judge_id=ids["user_id"]))
    return {"open_round_id": round_.id}


CASES = [
    ("GET", "/rounds/{round_id}/queue", JUDGES_ONLY_404),
    ("GET", "/rounds/999999/queue", JUDGES_ONLY_404),
    ("GET", "/rounds/{round_id}/applications/{application_id}/score", JUDGES_ONLY_404),
    ("POST", "/rounds/{round_id}/applications/{application_id}/score", JUDGES_ONLY_404),
    ("GET", "/rounds/999999/applications/{application_id}/score", JUDGES_ONLY_404),
    ("GET", "/rounds/{round_id}/applications/999999/score", JUDGES_ONLY_404),
    # A judge with nothing assigned in an open round sees an empty queue (tests/test_scoring_pages.py).
    ("GET", "/rounds/{open_round_id}/queue", {**ASSIGNED_JUDGE, "judge": 200}),
    ("GET", "/rounds/{open_round_id}/applications/{application_id}/score", ASSIGNED_JUDGE),
    ("POST", "/rounds/{open_round_id}/applications/{application_id}/score", {**ASSIGNED_JUDGE, "assigned_judge": 302}),
    ("GET", "/rounds/{open_round_id}/applications/{other_application_id}/score", JUDGES_ONLY_404),
    ("POST", "/rounds/{open_round_id}/applications/{other_application_id}/score", JUDGES_ONLY_404),
    ("GET", "/rounds/{round_id}/sheets", director_only()),
    ("GET", "/rounds/{open_round_id}/sheets", director_only()),
    ("GET", "/rounds/999999/sheets", director_only(404)),
    ("POST", "/rounds/{round_id}/sheets/999999/reopen", director_only(404)),
    ("POST", "/rounds/999999/sheets/999999/reopen", director_only(404)),
    ("POST", "/rounds/{round_id}/remind", director_only(302)),
    ("POST", "/rounds/999999/remind", director_only(404)),
]
