"""Shared set-up for the mentoring tests: a cohort with startups in pre-incubation, their founders,
and (optionally) a mentor assigned to each."""

from datetime import timedelta
from types import SimpleNamespace

from incubator.extensions import db as _db


def build_incubation(app, create_user, create_cohort, *, names=("Batik Lab",), mentor=None, cohort_name=None):
    """Startups owned by fresh founders, submitted and advanced to pre-incubation; `mentor` assigned to each."""
    from incubator.applications.models import Application
    from incubator.cohorts.models import Cohort
    from incubator.cohorts.services import change_stage
    from incubator.core.database import utcnow
    from incubator.mentoring import services
    from incubator.startups.models import Startup

    if cohort_name:
        code = cohort_name.lower().replace(" ", "-")
        cohort = create_cohort(cohort_name, areas=((code, code, code),), space=f"Hetero Space {cohort_name}")
    else:
        cohort = create_cohort("Hetero for Startup Solo 2026")
    founders = [
        create_user(email=f"founder-{cohort.id}-{n}@example.org", name=f"Founder {n}") for n in range(len(names))
    ]
    result = SimpleNamespace(cohort_id=cohort.id, director=cohort.director, founders=founders, cs_ids=[], app_ids=[])
    with app.test_request_context():
        director = _db.session.merge(cohort.director)
        cohort_row = _db.session.get(Cohort, cohort.id)
        for name, founder in zip(names, founders, strict=True):
            startup = Startup(name=name, city="Surakarta", owner_id=founder.id)
            _db.session.add(startup)
            _db.session.flush()
            application = Application(startup=startup, cohort=cohort_row, status="submitted", submitted_at=utcnow())
            _db.session.add(application)
            change_stage(startup, cohort_row, "applied", None, system=True)
            change = change_stage(startup, cohort_row, "pre_incubation", director)
            result.cs_ids.append(change.cohort_startup_id)
            _db.session.flush()
            result.app_ids.append(application.id)
            if mentor is not None:
                services.assign_mentor(change.cohort_startup, _db.session.merge(mentor), director)
        _db.session.commit()
    return result


def add_note(app, cs_id, author, *, days_ago=0, visibility="shared", body="Notes", items=(), theme="finance"):
    """A session note through the service; `items` are ItemInput rows. Returns (note id, [item ids])."""
    from incubator.cohorts.models import CohortStartup
    from incubator.mentoring import services
    from incubator.mentoring.queries import today_wib

    with app.test_request_context():
        note = services.save_note(
            None,
            _db.session.get(CohortStartup, cs_id),
            _db.session.merge(author),
            held_on=today_wib() - timedelta(days=days_ago),
            duration_minutes=60,
            theme=theme,
            body=body,
            visibility=visibility,
            items=list(items),
        )
        _db.session.commit()
        return note.id, [i.id for i in note.action_items]
