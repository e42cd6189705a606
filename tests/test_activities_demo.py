"""The demo's activities: seven in the Solo cohort, attendance that differs per startup, loaded once."""

from sqlalchemy import func, select

from incubator.activities.models import Activity, Attendance
from incubator.cohorts.models import Cohort, CohortStartup
from incubator.extensions import db as _db
from incubator.startups.models import Startup


def _counts(app) -> dict[str, int]:
    with app.app_context():
        rows = _db.session.execute(
            select(Startup.name, func.count(Attendance.id))
            .join(CohortStartup, CohortStartup.startup_id == Startup.id)
            .join(Attendance, Attendance.cohort_startup_id == CohortStartup.id)
            .group_by(Startup.name)
        ).all()
        return dict(rows)


def test_demo_activities_have_different_attendance_and_load_once(app):
    runner = app.test_cli_runner()
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    with app.app_context():
        cohort = _db.session.scalar(select(Cohort).where(Cohort.name == "Hetero for Startup Solo 2026"))
        activities = _db.session.scalars(select(Activity).where(Activity.cohort_id == cohort.id)).all()
        assert len(activities) == 7
        assert {a.kind for a in activities} == {"training", "class", "coaching_clinic", "competition"}
        assert {a.space_id for a in activities} == {cohort.space_id}
        owned = _db.session.scalar(
            select(Startup.name)
            .join(CohortStartup, CohortStartup.startup_id == Startup.id)
            .where(CohortStartup.cohort_id == cohort.id, CohortStartup.stage == "pre_incubation")
            .join(Startup.owner)
            .where(Startup.owner.has(email="founder1@example.org"))
        )
        # Recorded as arriving just after each start, not when the seed ran.
        for attendance in _db.session.scalars(select(Attendance)):
            assert 5 <= (attendance.checked_in_at - attendance.activity.starts_at).total_seconds() / 60 <= 13
    counts = _counts(app)
    assert sorted(counts.values(), reverse=True) == [5, 4, 3, 2, 1]
    assert counts[owned] == 5
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    assert _counts(app) == counts
    with app.app_context():
        assert _db.session.scalar(select(func.count(Activity.id))) == 7
