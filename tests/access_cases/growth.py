"""Access cases for growth across gates: proposed action items and sharing a rubric.

Two proposals are put in the world: one on the second startup, which the `mentor` identity mentors
({other_proposal_id}), and one on the world's startup ({proposal_id}), which that mentor does not.
A proposal opens to directors and the startup's mentors only: founders (theirs included) and judges
get 404. POSTs carry only a CSRF token: the forms answer the proposal page again with messages (200).
Sharing a rubric is the director's (a button: it goes back to the rubric builder, 302).
"""

from tests.access_cases import LOGIN, director_only

PUBLIC = set()

MENTORS_AND_DIRECTORS = {"anonymous": LOGIN, "applicant": 403, "judge": 403, "mentor": 200, "director": 200}
NOT_YOURS = {"anonymous": LOGIN, "applicant": 404, "judge": 404, "mentor": 404, "director": 200}
YOURS = {**NOT_YOURS, "mentor": 200}
NOT_FOUND = {"anonymous": LOGIN, "applicant": 404, "judge": 404, "mentor": 404, "director": 404}

CASES = [
    ("GET", "/proposals", MENTORS_AND_DIRECTORS),
    ("GET", "/proposals/{proposal_id}", NOT_YOURS),
    ("GET", "/proposals/{other_proposal_id}", YOURS),
    ("GET", "/proposals/999999", NOT_FOUND),
    ("POST", "/proposals/{proposal_id}/accept", NOT_YOURS),
    ("POST", "/proposals/{other_proposal_id}/accept", YOURS),
    ("POST", "/proposals/999999/accept", NOT_FOUND),
    ("POST", "/proposals/{proposal_id}/edit", NOT_YOURS),
    ("POST", "/proposals/{other_proposal_id}/edit", YOURS),
    ("POST", "/proposals/999999/edit", NOT_FOUND),
    ("POST", "/proposals/{proposal_id}/dismiss", NOT_YOURS),
    ("POST", "/proposals/{other_proposal_id}/dismiss", YOURS),
    ("POST", "/proposals/999999/dismiss", NOT_FOUND),
    ("POST", "/rubrics/{rubric_id}/share", director_only(302)),
    ("POST", "/rubrics/999999/share", director_only(404)),
]


def build_world(ids: dict) -> dict:
    """A proposal on each of the two startups, on the world's round's first criterion."""
    from incubator.extensions import db
    from incubator.growth.models import ActionProposal
    from incubator.judging.models import Round

    round_ = db.session.get(Round, ids["round_id"])
    criterion = round_.rubric.criteria[0]
    made = {}
    for key, application, cohort_startup in (
        ("proposal_id", ids["application_id"], ids["cohort_startup_id"]),
        ("other_proposal_id", ids["other_application_id"], ids["other_cohort_startup_id"]),
    ):
        proposal = ActionProposal(
            round_id=round_.id,
            application_id=application,
            cohort_startup_id=cohort_startup,
            criterion_id=criterion.id,
            title=f"Work on “{criterion.name}”",
            quote="Judge A: <b>Perjelas</b> pasarnya.",
            score=25.0,
            round_mean=50.0,
        )
        db.session.add(proposal)
        db.session.flush()
        made[key] = proposal.id
    db.session.commit()
    return made
