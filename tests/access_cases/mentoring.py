"""Access cases for mentoring: mentor assignments, the mentor dashboard, the incubation page,
session notes and action items.

The world's startup is moved to pre-incubation, gets an assigned mentor (a fresh account, not the
`mentor` identity), an internal and a shared note and an action item. Its pages open to its founder
and directors; the `applicant`, judges and the `mentor` (who mentors the second startup) get 404.
The `mentor` identity writes a shared note with an action item {other_action_item_id} on the second
startup: there it and the second applicant follow, the world's founder gets 404. Only mentors and
directors write or change notes: a founder gets 404 on the note forms. POSTs carry only a CSRF token:
the forms answer their page again with messages (200); removing a mentor goes back (302).
"""

from tests.access_cases import LOGIN, director_only

PUBLIC = set()

NOT_YOURS = {"anonymous": LOGIN, "applicant": 404, "judge": 404, "mentor": 404, "director": 200}
NOT_FOUND = {"anonymous": LOGIN, "applicant": 404, "judge": 404, "mentor": 404, "director": 404}
MENTORS = {"anonymous": LOGIN, "applicant": 403, "judge": 403, "mentor": 200, "director": 403}
WORLD_FOLLOWERS = {**NOT_YOURS, "founder": 200}  # the world's startup: its founder and directors
OTHER_FOLLOWERS = {**NOT_YOURS, "founder": 404, "applicant": 200, "mentor": 200}  # the second startup
OTHER_MENTORS = {**NOT_YOURS, "founder": 404, "mentor": 200}  # who writes notes on the second startup

CASES = [
    ("GET", "/cohorts/{cohort_id}/mentors", director_only()),
    ("POST", "/cohorts/{cohort_id}/mentors", director_only()),
    ("GET", "/cohorts/999999/mentors", director_only(404)),
    ("POST", "/cohorts/{cohort_id}/mentors/{mentor_assignment_id}/remove", director_only(302)),
    ("POST", "/cohorts/{cohort_id}/mentors/999999/remove", director_only(404)),
    ("GET", "/mentoring", MENTORS),
    ("GET", "/cohort-startups/{cohort_startup_id}", WORLD_FOLLOWERS),
    ("GET", "/cohort-startups/{other_cohort_startup_id}", OTHER_FOLLOWERS),
    ("GET", "/cohort-startups/999999", NOT_FOUND),
    ("GET", "/cohort-startups/{cohort_startup_id}/notes/new", NOT_YOURS),
    ("POST", "/cohort-startups/{cohort_startup_id}/notes/new", NOT_YOURS),
    ("GET", "/cohort-startups/{other_cohort_startup_id}/notes/new", OTHER_MENTORS),
    ("POST", "/cohort-startups/{other_cohort_startup_id}/notes/new", OTHER_MENTORS),
    ("GET", "/notes/{note_id}/edit", NOT_YOURS),
    ("POST", "/notes/{note_id}/edit", NOT_YOURS),
    ("GET", "/notes/{shared_note_id}/edit", NOT_YOURS),
    ("GET", "/notes/{other_note_id}/edit", OTHER_MENTORS),
    ("POST", "/notes/{other_note_id}/edit", OTHER_MENTORS),
    ("GET", "/notes/999999/edit", NOT_FOUND),
    ("GET", "/action-items/{action_item_id}/status", WORLD_FOLLOWERS),
    ("POST", "/action-items/{action_item_id}/status", WORLD_FOLLOWERS),
    ("GET", "/action-items/{other_action_item_id}/status", OTHER_FOLLOWERS),
    ("POST", "/action-items/{other_action_item_id}/status", OTHER_FOLLOWERS),
    ("GET", "/action-items/999999/status", NOT_FOUND),
]


def build_world(ids: dict) -> dict:
    """Advance the world's startup to pre-incubation (if still applied), give it a mentor, notes and an item;
    a shared note with an item by the `mentor` identity on the second startup."""
    from datetime import timedelta

    from sqlalchemy import select

    from incubator.auth import services as auth
    from incubator.auth.models import User
    from incubator.cohorts.models import Cohort, CohortStartup
    from incubator.cohorts.services import change_stage
    from incubator.extensions import db
    from incubator.mentoring import services
    from incubator.mentoring.queries import today_wib

    director = db.session.scalar(select(User).where(User.email == "boss@example.org"))
    cohort_startup = db.session.get(CohortStartup, ids["cohort_startup_id"])
    if cohort_startup.stage == "applied":
        change_stage(cohort_startup.startup, db.session.get(Cohort, ids["cohort_id"]), "pre_incubation", director)
    mentor = auth.create_user(
        "assigned-mentor@example.org", "Assigned Mentor", password="Kopi-Tubruk-2026", roles=["mentor"], confirmed=True
    )
    assignment = services.assign_mentor(cohort_startup, mentor, director)
    today = today_wib()
    internal = services.save_note(
        None,
        cohort_startup,
        mentor,
        held_on=today - timedelta(days=7),
        duration_minutes=60,
        theme="finance",
        body="Internal: the cash runway is short.",
        visibility="internal",
        items=[],
    )
    shared = services.save_note(
        None,
        cohort_startup,
        mentor,
        held_on=today,
        duration_minutes=45,
        theme="pitching",
        body="Shared: **tighten** the pitch.",
        visibility="shared",
        items=[services.ItemInput(title="Rewrite the deck", due_on=today + timedelta(days=7))],
    )
    item = shared.action_items[0]
    other = services.save_note(
        None,
        db.session.get(CohortStartup, ids["other_cohort_startup_id"]),
        db.session.scalar(select(User).where(User.email == "mentor@example.org")),
        held_on=today,
        duration_minutes=30,
        theme="product",
        body="Shared: interview five customers.",
        visibility="shared",
        items=[services.ItemInput(title="Interview customers", due_on=today + timedelta(days=7))],
    )
    return {
        "other_note_id": other.id,
        "other_action_item_id": other.action_items[0].id,
        "mentor_id": mentor.id,
        "mentor_assignment_id": assignment.id,
        "note_id": internal.id,
        "shared_note_id": shared.id,
        "action_item_id": item.id,
    }
