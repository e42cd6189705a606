"""What the system writes for people to read later is stored as a message key with its values and
said in the reader's language; what a person typed stays as typed."""

import pytest
from flask_babel import force_locale
from sqlalchemy import select

from incubator.cohorts.models import StageChange
from incubator.core import messages
from incubator.extensions import db as _db

DECISION = {"key": "decision", "values": {"round": "Seleksi pitch", "outcome": "advance"}}


def test_system_message_is_stored_as_key_and_values():
    assert messages.system_message("decision", round="Seleksi pitch", outcome="advance") == DECISION


@pytest.mark.parametrize(
    ("key", "values"),
    [
        ("no-such-message", {}),
        ("decision", {"round": "Seleksi pitch"}),
        ("decision", {"round": "Seleksi pitch", "outcome": "advance", "extra": "x"}),
    ],
)
def test_system_message_refuses_what_could_not_be_shown(key, values):
    with pytest.raises((KeyError, ValueError)):
        messages.system_message(key, **values)


def test_every_system_message_is_in_both_catalogues(app):
    with app.test_request_context():
        for lang in ("id", "en"):
            with force_locale(lang):
                for key in messages.MESSAGES:
                    values = dict.fromkeys(messages.placeholders(key), "x")
                    assert messages.render({"key": key, "values": values}) != ""


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("en", "Decision of the round Seleksi pitch: Advance."),
        ("id", "Keputusan putaran Seleksi pitch: Majukan."),
    ],
)
def test_render_says_the_message_in_the_readers_language_with_codes_as_labels(app, lang, expected):
    with app.test_request_context(), force_locale(lang):
        assert messages.render(DECISION) == expected


def test_render_of_nothing_or_a_retired_key_is_empty(app):
    with app.test_request_context():
        assert (messages.render(None), messages.render({"key": "retired", "values": {}})) == ("", "")


@pytest.fixture
def moved(app, create_user, create_cohort):
    """A startup moved applied -> pre-incubation by a system message, then to incubation with a typed
    reason: (cohort id, cohort-startup id, director)."""
    from incubator.auth.models import User
    from incubator.cohorts.models import Cohort
    from incubator.cohorts.services import change_stage
    from incubator.startups.models import Startup

    cohort = create_cohort()
    founder = create_user(email="budi@gmail.com", roles=["applicant"], locale="en")
    with app.test_request_context():
        director = _db.session.get(User, cohort.director.id)
        row = _db.session.get(Cohort, cohort.id)
        startup = Startup(name="Batik Lurik", city="Surakarta", owner_id=founder.id)
        _db.session.add(startup)
        _db.session.flush()
        change_stage(startup, row, "applied", None, system=True)
        message = messages.system_message("decision", round="Seleksi pitch", outcome="advance")
        change = change_stage(startup, row, "pre_incubation", director, message=message)
        change_stage(startup, row, "incubation", director, "Lulus demo day")
        _db.session.commit()
        return cohort.id, change.cohort_startup_id, cohort.director


def test_change_stage_stores_a_system_message_beside_an_empty_typed_reason(moved, db):
    rows = db.scalars(select(StageChange).order_by(StageChange.id))
    assert [(c.to_stage, c.reason, c.reason_message) for c in rows] == [
        ("applied", "", None),
        ("pre_incubation", "", DECISION),
        ("incubation", "Lulus demo day", None),
    ]


def test_change_stage_refuses_a_typed_reason_and_a_message_together(app, create_user, create_cohort):
    from incubator.cohorts.models import Cohort
    from incubator.cohorts.services import change_stage
    from incubator.startups.models import Startup

    cohort = create_cohort()
    with app.test_request_context():
        startup = Startup(name="Anyaman", city="Solo")
        _db.session.add(startup)
        _db.session.flush()
        with pytest.raises(ValueError, match="not both"):
            change_stage(startup, _db.session.get(Cohort, cohort.id), "applied", None, "typed", message=DECISION)


@pytest.mark.parametrize(
    ("lang", "decided"),
    [
        ("en", "Decision of the round Seleksi pitch: Advance."),
        ("id", "Keputusan putaran Seleksi pitch: Majukan."),
    ],
)
def test_timeline_says_the_systems_reason_in_the_readers_language(moved, client, login_as, lang, decided):
    cohort_id, cohort_startup_id, director = moved
    login_as(client, director)

    html = client.get(f"/cohorts/{cohort_id}/startups/{cohort_startup_id}?lang={lang}").get_data(as_text=True)

    assert f'<td class="reason">{decided}</td>' in html
    assert '<td class="reason">Lulus demo day</td>' in html  # typed: as typed, in both languages


@pytest.mark.parametrize(
    ("lang", "decided"),
    [
        ("en", "Decision of the round Seleksi pitch: Advance."),
        ("id", "Keputusan putaran Seleksi pitch: Majukan."),
    ],
)
def test_cohort_report_says_the_systems_reason_in_its_language(moved, app, lang, decided):
    from incubator.cohorts.models import Cohort
    from incubator.reports.cohort_pdf import cohort_report_html
    from incubator.reports.cohort_report import cohort_report

    cohort_id, _cohort_startup_id, _director = moved
    with app.test_request_context(), force_locale(lang):
        html = cohort_report_html(cohort_report(_db.session.get(Cohort, cohort_id)))

    assert f'<td class="name">{decided}</td>' in html
    assert '<td class="name">Lulus demo day</td>' in html
