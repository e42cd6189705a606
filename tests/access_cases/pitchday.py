"""Access cases for the pitch day: the director's set-up, controls, board, reminders, schedule and
results; the judge's pitch-day page, its saves and now.json; a founder's own slot.

This module adds an OPEN round {pitch_round_id} (deciding the stage the world's startup is at) made a
pitch day, with the world's application assigned to the assigned judge and its slot {pitch_slot_id}.
Director pages answer 403 to other roles. The judge's page opens for the assigned judge only (other
judges 404, other roles 403); a bare POST of its form saves an empty draft and comes back (302).
now.json answers directors and the assigned judge, 404 to every other signed-in user. A founder's
slot page opens for its own founder and directors, 404 for everyone else. Bare POSTs of the
director's buttons are refused with a message and come back (302)."""

from tests.access_cases import LOGIN, director_only

PUBLIC = set()

JUDGES_ONLY_404 = {"anonymous": LOGIN, "applicant": 403, "judge": 404, "mentor": 403, "director": 403}
ASSIGNED_JUDGE = {**JUDGES_ONLY_404, "assigned_judge": 200}
DIRECTOR_OR_ASSIGNED = {
    "anonymous": LOGIN,
    "applicant": 404,
    "judge": 404,
    "assigned_judge": 200,
    "mentor": 404,
    "director": 200,
}
OWN_SLOT = {"anonymous": LOGIN, "founder": 200, "applicant": 404, "judge": 404, "mentor": 404, "director": 200}
NOBODY = {"anonymous": LOGIN, "founder": 404, "applicant": 404, "judge": 404, "mentor": 404, "director": 404}


def build_world(ids: dict) -> dict:
    """An open round deciding the world's startup's current stage, the world's application assigned
    to the assigned judge, made a pitch day and started."""
    from datetime import UTC, datetime
    from decimal import Decimal

    from incubator.auth.models import User
    from incubator.cohorts.models import Cohort, CohortStartup
    from incubator.extensions import db
    from incubator.judging.models import Assignment
    from incubator.judging.rounds import services as judging
    from incubator.judging.rounds.rubric import Scale
    from incubator.pitchday import services as pitch_days

    director = db.session.query(User).filter_by(email="boss@example.org").one()
    cohort = db.session.get(Cohort, ids["cohort_id"])
    round_ = judging.save_round(
        None,
        cohort,
        name="Hari pitch",
        decides_stage=db.session.get(CohortStartup, ids["cohort_startup_id"]).stage,
        scoring_opens_at=None,
        scoring_closes_at=None,
        judges_per_application=1,
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
    db.session.flush()
    day = pitch_days.set_up(
        round_,
        None,
        room="Aula",
        starts_at=datetime(2099, 3, 9, 2, tzinfo=UTC),
        pitch_minutes=5,
        questions_minutes=3,
        language="id",
        results_top=10,
        actor=director,
    )
    pitch_days.control(day, "start", director)
    slot = next(s for s in day.slots if s.application_id == ids["application_id"])
    return {"pitch_round_id": round_.id, "pitch_slot_id": slot.id}


P = "/rounds/{pitch_round_id}/pitch-day"
CASES = [
    ("GET", P, director_only()),
    ("POST", P, director_only()),  # an empty form is shown again with its messages
    ("GET", "/rounds/{round_id}/pitch-day", director_only()),  # a draft round: the page says it cannot
    ("GET", "/rounds/999999/pitch-day", director_only(404)),
    ("POST", P + "/order", director_only(302)),
    ("POST", "/rounds/999999/pitch-day/order", director_only(404)),
    ("POST", P + "/slots/{pitch_slot_id}/move", director_only(302)),
    ("POST", P + "/slots/999999/move", director_only(404)),
    ("POST", P + "/control", director_only(302)),
    ("POST", "/rounds/{round_id}/pitch-day/control", director_only(404)),
    ("GET", P + "/board", director_only()),
    ("GET", P + "/board?part=table", director_only()),
    ("GET", "/rounds/999999/pitch-day/board", director_only(404)),
    ("POST", P + "/remind", director_only(302)),  # no judge chosen: refused with a message
    ("POST", "/rounds/999999/pitch-day/remind", director_only(404)),
    ("POST", P + "/release", director_only(302)),  # refused while the round is open
    ("POST", "/rounds/999999/pitch-day/release", director_only(404)),
    ("GET", P + "/results", director_only()),
    ("GET", P + "/results/print", director_only()),
    ("GET", "/rounds/999999/pitch-day/results", director_only(404)),
    ("GET", P + "/schedule/print", director_only()),
    ("GET", P + "/schedule.pdf", director_only()),
    ("GET", "/rounds/999999/pitch-day/schedule.pdf", director_only(404)),
    ("GET", P + "/judge", ASSIGNED_JUDGE),
    ("GET", "/rounds/999999/pitch-day/judge", JUDGES_ONLY_404),
    ("GET", "/rounds/{round_id}/pitch-day/judge", JUDGES_ONLY_404),
    ("POST", P + "/judge/{application_id}", {**ASSIGNED_JUDGE, "assigned_judge": 302}),
    ("POST", P + "/judge/{other_application_id}", JUDGES_ONLY_404),
    ("POST", P + "/judge/999999", JUDGES_ONLY_404),
    ("GET", P + "/now.json", DIRECTOR_OR_ASSIGNED),
    ("GET", "/rounds/999999/pitch-day/now.json", NOBODY),
    ("GET", P + "/applications/{application_id}", OWN_SLOT),
    # The second applicant's startup is at the same stage, so it pitches too: its own founder sees it.
    ("GET", P + "/applications/{other_application_id}", {**NOBODY, "applicant": 200, "director": 200}),
    ("GET", "/rounds/999999/pitch-day/applications/{application_id}", NOBODY),
]
