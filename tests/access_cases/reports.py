"""Access cases for scorecard PDFs: the round's scorecards are for directors only; the founders'
copy follows the feedback page's rule (founder, mentor of the startup, director, and only once
released: in the world the round is a draft, so everyone signed in gets 404).

Other areas may move the world's startup on, so this module adds a draft round {report_round_id}
deciding whatever stage the startup is at now: its application is always part of that round."""

from tests.access_cases import NOT_FOUND_WHEN_SIGNED_IN, director_only

PUBLIC = set()


def build_world(ids):
    from decimal import Decimal

    from incubator.auth.models import User
    from incubator.cohorts.models import Cohort, CohortStartup
    from incubator.extensions import db
    from incubator.judging.rounds import services as judging

    cohort = db.session.get(Cohort, ids["cohort_id"])
    stage = db.session.get(CohortStartup, ids["cohort_startup_id"]).stage
    director = db.session.query(User).filter_by(email="boss@example.org").one()
    round_ = judging.save_round(
        None,
        cohort,
        name="Scorecard round",
        decides_stage=stage,
        scoring_opens_at=None,
        scoring_closes_at=None,
        judges_per_application=2,
        ranking_basis="raw",
        judges_see_scores_after_close=False,
        disagreement_threshold=Decimal(15),
        actor=director,
    )
    return {"report_round_id": round_.id}


CASES = [
    ("GET", "/rounds/{report_round_id}/applications/{application_id}/scorecard.pdf", director_only()),
    ("GET", "/rounds/999999/applications/{application_id}/scorecard.pdf", director_only(404)),
    ("GET", "/rounds/{report_round_id}/applications/999999/scorecard.pdf", director_only(404)),
    # The founder version exists once the feedback is released.
    (
        "GET",
        "/rounds/{report_round_id}/applications/{application_id}/scorecard.pdf?version=founder",
        director_only(404),
    ),
    ("GET", "/rounds/{report_round_id}/scorecards.pdf", director_only()),
    ("GET", "/rounds/999999/scorecards.pdf", director_only(404)),
    ("GET", "/applications/{application_id}/feedback/{round_id}/scorecard.pdf", NOT_FOUND_WHEN_SIGNED_IN),
    ("GET", "/applications/999999/feedback/{round_id}/scorecard.pdf", NOT_FOUND_WHEN_SIGNED_IN),
]

# The cohort report (the world's cohort is short: it is made at once).
CASES += [
    ("GET", "/cohorts/{cohort_id}/report.pdf", director_only()),
    ("GET", "/cohorts/999999/report.pdf", director_only(404)),
]
