"""Shared set-up for the KPI and milestone tests: a cohort with startups in pre-incubation."""

from types import SimpleNamespace

import pytest

from incubator.extensions import db as _db


@pytest.fixture
def incubating(app, create_user, create_cohort):
    """incubating(names=("Batik Lurik",), stage="pre_incubation", cohort=None) -> SimpleNamespace(cohort_id,
    director, startups=[SimpleNamespace(id (cohort-startup id), startup_id, name, founder)])."""

    def factory(names=("Batik Lurik",), stage="pre_incubation", cohort=None):
        from incubator.cohorts.models import Cohort
        from incubator.cohorts.services import change_stage
        from incubator.startups.models import Startup

        cohort = cohort or create_cohort()
        made = []
        for index, name in enumerate(names):
            founder = create_user(
                email=f"founder{index}.{cohort.id}@example.org", name=f"Founder {name}", roles=["applicant"]
            )
            with app.test_request_context():
                startup = Startup(name=name, city="Surakarta", owner_id=founder.id)
                _db.session.add(startup)
                _db.session.flush()
                cohort_row = _db.session.get(Cohort, cohort.id)
                change = change_stage(startup, cohort_row, "applied", None, system=True)
                steps = ("pre_incubation", "incubation", "graduated")
                for step in steps[: steps.index(stage) + 1] if stage in steps else ():
                    change_stage(startup, cohort_row, step, None, system=True)
                _db.session.commit()
                made.append(
                    SimpleNamespace(id=change.cohort_startup_id, startup_id=startup.id, name=name, founder=founder)
                )
        return SimpleNamespace(cohort_id=cohort.id, director=cohort.director, startups=made, cohort=cohort)

    return factory


def assign_mentor(app, mentor, cohort_startup_id):
    from incubator.mentoring.models import MentorAssignment

    with app.app_context():
        _db.session.add(MentorAssignment(cohort_startup_id=cohort_startup_id, mentor_id=mentor.id))
        _db.session.commit()
