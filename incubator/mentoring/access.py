"""Who may follow a startup's incubation (its notes, action items, KPIs, milestones, attendance).

One rule for every area of incubation tracking: directors, the startup's founder, and the
mentors assigned to it. Internal notes narrow this further (see `can_see_note`).
"""

from sqlalchemy import exists, select

from incubator.cohorts.models import CohortStartup
from incubator.extensions import db
from incubator.mentoring.models import MentorAssignment


def is_mentor_of(user, cohort_startup_id: int) -> bool:
    """Whether `user` is a mentor assigned to this startup in this cohort."""
    if not (user.is_authenticated and user.has_role("mentor")):
        return False
    return bool(
        db.session.scalar(
            select(
                exists().where(
                    MentorAssignment.cohort_startup_id == cohort_startup_id,
                    MentorAssignment.mentor_id == user.id,
                )
            )
        )
    )


def mentored_ids(user) -> set[int]:
    """The cohort-startup ids `user` mentors (empty for anyone who is not a mentor)."""
    if not (user.is_authenticated and user.has_role("mentor")):
        return set()
    return set(
        db.session.scalars(select(MentorAssignment.cohort_startup_id).where(MentorAssignment.mentor_id == user.id))
    )


def can_follow(user, cohort_startup: CohortStartup) -> bool:
    """Directors, the startup's founder, and its assigned mentors."""
    if not user.is_authenticated:
        return False
    if user.is_director or cohort_startup.startup.is_founder(user):
        return True
    return is_mentor_of(user, cohort_startup.id)


def can_mentor(user, cohort_startup: CohortStartup) -> bool:
    """Directors and assigned mentors: who writes notes, sees internal ones, and verifies milestones."""
    if not user.is_authenticated:
        return False
    return user.is_director or is_mentor_of(user, cohort_startup.id)
