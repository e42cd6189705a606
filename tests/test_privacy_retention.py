"""`flask purge-expired [--dry-run]`: applications not selected (or withdrawn, or left as drafts in a
closed call) more than RETENTION_MONTHS ago lose their personal data; nothing else does."""

from datetime import UTC, datetime, timedelta
from io import BytesIO
from pathlib import Path

import pytest
from sqlalchemy import select

from incubator.extensions import db as _db
from tests.test_intake import pdf_bytes


def test_months_before_keeps_the_day_or_takes_the_months_last():
    from incubator.privacy.retention import months_before

    assert months_before(datetime(2026, 12, 7, 5, 0, tzinfo=UTC), 24) == datetime(2024, 12, 7, 5, 0, tzinfo=UTC)
    assert months_before(datetime(2026, 3, 31, tzinfo=UTC), 1) == datetime(2026, 2, 28, tzinfo=UTC)
    assert months_before(datetime(2026, 1, 15, tzinfo=UTC), 13) == datetime(2024, 12, 15, tzinfo=UTC)


@pytest.fixture
def programme(app, create_user, create_cohort):
    """Four startups: `old` not selected 25 months ago (with a deck and a team), `recent` not selected
    a month ago, `selected` in pre-incubation since 30 months, and `draft`, a draft in a call that
    closed 26 months ago."""
    from incubator.applications.models import Application
    from incubator.applications.uploads import store_deck
    from incubator.cohorts.models import Cohort, CohortStartup
    from incubator.cohorts.services import change_stage
    from incubator.core.database import utcnow
    from incubator.startups.models import Startup, TeamMember

    now = utcnow()
    founder = create_user(email="wulan@lurik.example", name="Wulan Sari", roles=["applicant"])
    current = create_cohort()
    past = create_cohort(
        "Solo 2024",
        areas=(("games", "Gim", "Games"),),
        space="Hetero Space Semarang",
        opens_at=now - timedelta(days=830),
        closes_at=now - timedelta(days=800),
    )
    ids = {}
    with app.test_request_context():
        cohort = _db.session.get(Cohort, current.id)
        for key, stage, days in (
            ("old", "not_selected", 760),
            ("recent", "not_selected", 30),
            ("selected", "pre_incubation", 900),
        ):
            startup = Startup(name=f"Startup {key}", city="Klaten", owner_id=founder.id, description=f"about {key}")
            startup.members = [TeamMember(name=f"Member {key}", email=f"{key}@lurik.example", phone="+6281100000000")]
            application = Application(
                startup=startup, cohort=cohort, status="submitted", submitted_at=now, problem=f"problem {key}"
            )
            application.deck_path = store_deck(BytesIO(pdf_bytes()))
            application.deck_filename = "deck.pdf"
            _db.session.add(application)
            _db.session.flush()
            change_stage(startup, cohort, "applied", None, system=True)
            change = change_stage(startup, cohort, stage, None, system=True)
            _db.session.get(CohortStartup, change.cohort_startup_id).stage_changed_at = now - timedelta(days=days)
            ids[key] = (startup.id, application.id, application.deck_path)
        startup = Startup(name="Startup draft", city="Klaten", owner_id=founder.id)
        application = Application(startup=startup, cohort=_db.session.get(Cohort, past.id), problem="problem draft")
        _db.session.add(application)
        _db.session.flush()
        ids["draft"] = (startup.id, application.id, None)
        _db.session.commit()
    return ids


def _problems(db) -> dict[int, str]:
    from incubator.applications.models import Application

    return {a.id: a.problem for a in db.scalars(select(Application))}


def test_dry_run_prints_and_changes_nothing(app, programme, db):
    before = _problems(db)
    result = app.test_cli_runner().invoke(args=["purge-expired", "--dry-run"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith("Retention: 24 months; outcomes before ")
    assert lines[1:] == [
        f"application\t{programme['draft'][1]}\tdraft\tSolo 2024\tStartup draft",
        f"application\t{programme['old'][1]}\tnot_selected\tHetero for Startup Solo 2026\tStartup old",
        f"startup\t{programme['old'][0]}\tStartup old",
        f"startup\t{programme['draft'][0]}\tStartup draft",
        "2 application(s) and 2 startup profile(s) to erase.",
        "Dry run: nothing was changed.",
    ]
    assert _problems(db) == before


def test_purge_erases_only_what_expired_once(app, programme, db):
    from incubator.audit.models import AuditEvent
    from incubator.auth.models import User
    from incubator.startups.models import Startup, TeamMember

    decks = Path(app.config["UPLOAD_FOLDER"]) / "decks"
    result = app.test_cli_runner().invoke(args=["purge-expired"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[-1] == "Erased 2 application(s), 2 startup profile(s), 1 deck(s)."
    old, recent, selected, draft = (programme[k] for k in ("old", "recent", "selected", "draft"))
    assert _problems(db) == {old[1]: "", recent[1]: "problem recent", selected[1]: "problem selected", draft[1]: ""}
    assert not (decks / old[2]).exists() and (decks / recent[2]).exists() and (decks / selected[2]).exists()
    startups = {s.id: (s.name, s.description, s.owner_id) for s in db.scalars(select(Startup))}
    assert startups[old[0]] == (f"#{old[0]}", "", None)
    assert startups[recent[0]][:2] == ("Startup recent", "about recent")
    members = {m.startup_id: (m.name, m.email, m.phone) for m in db.scalars(select(TeamMember))}
    assert members[old[0]] == ("***", "", "")
    assert members[recent[0]] == ("Member recent", "recent@lurik.example", "+6281100000000")
    assert db.scalar(select(User.name).where(User.email == "wulan@lurik.example")) == "Wulan Sari"  # account kept
    event = db.scalar(select(AuditEvent).where(AuditEvent.action == "privacy.retention_erased"))
    assert (event.actor_id, event.data) == (None, {"applications": 2, "startups": 2, "decks": 1})

    again = app.test_cli_runner().invoke(args=["purge-expired"])
    assert again.output.splitlines()[1:] == ["0 application(s) and 0 startup profile(s) to erase."]


def test_retention_months_come_from_the_config(app, programme):
    app.config["RETENTION_MONTHS"] = 1
    result = app.test_cli_runner().invoke(args=["purge-expired", "--dry-run"])
    assert result.output.splitlines()[0].startswith("Retention: 1 months;")
    assert f"application\t{programme['recent'][1]}\tnot_selected" in result.output
    assert f"application\t{programme['selected'][1]}" not in result.output
