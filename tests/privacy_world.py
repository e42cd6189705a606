"""A person with data everywhere: Dimas Prasetyo, founder of GamelanVerse, in a decided round.

Built on tests/read_model_world.py (six startups, four judges, a round on Problem ×2 and Team ×1):
Dimas owns GamelanVerse (the second startup), whose team is himself and Sari Utami, with e-mails and
phone numbers; its application has a stored deck and a pitch that names him; the judges' comments
name him; the round is closed, its Problem feedback (scores and comments) and the overall comments
released to founders (Team's is not), decided, and his startup advanced to incubation with a
director's reason that names him; a mentor's note, an action item's comment, a KPI note and
milestone evidence name him too, and the outbox holds a mail to him."""

from dataclasses import dataclass
from datetime import date
from io import BytesIO

from incubator.extensions import db as _db
from tests import read_model_world as w
from tests.test_intake import pdf_bytes

NAME = "Dimas Prasetyo"
EMAIL = "dimas@gamelan.example"
PHONE = "+6281234567890"
PARTNER = ("Sari Utami", "sari@gamelan.example", "+6285712345678")
NEEDLES = (NAME, EMAIL, PHONE, *PARTNER)
MARKS = [("5", "5"), ("4", "3"), ("3", "3"), ("2", "2"), ("1", "1"), ("3", "4")]
DECK = pdf_bytes(pages=2)


@dataclass
class PrivacyWorld:
    base: w.World
    user_id: int
    startup_id: int
    application_id: int


def build(app, create_user, create_cohort) -> PrivacyWorld:
    from incubator.applications.models import Application
    from incubator.applications.services import save_member
    from incubator.applications.uploads import store_deck
    from incubator.auth.models import User
    from incubator.cohorts.models import Cohort
    from incubator.cohorts.services import change_stage
    from incubator.core.database import utcnow
    from incubator.judging.decisions.feedback import release_feedback
    from incubator.judging.models import Round
    from incubator.judging.sheets.services import Entry, find_sheet, save_sheet
    from incubator.mail.outbox import queue_mail
    from incubator.mentoring.models import ActionItem, SessionNote
    from incubator.privacy.services import record_consent
    from incubator.startups.models import Startup

    base = w.build(app, create_user, create_cohort)
    person = create_user(email=EMAIL, name=NAME, roles=["applicant"])
    with app.test_request_context("/?lang=en"):
        user = _db.session.get(User, person.id)
        record_consent(user, "register", "en")
        startup = _db.session.get(Startup, base.startups[1])
        startup.owner_id = user.id
        startup.description = f"Didirikan oleh {NAME} di Sukoharjo."
        for name, email, phone in ((NAME, EMAIL, PHONE), PARTNER):
            save_member(startup, None, user, name=name, role="CEO", email=email, phone=phone, is_founder=True)
        application = _db.session.get(Application, base.apps[1])
        application.problem = f"{NAME} melihat anak muda jarang mengenal gamelan."
        application.solution = "Game ritme mobile."
        application.video_url = "https://video.example/gamelanverse"
        application.deck_path = store_deck(BytesIO(DECK))
        application.deck_filename = "GamelanVerse deck.pdf"
        application.deck_size = len(DECK)
        queue_mail(user, "confirm_email", user=user, link="http://localhost/confirm/x")
        _db.session.commit()
    for judge in range(4):
        for index, (problem, team) in enumerate(MARKS):
            with app.test_request_context("/?lang=en"):
                round_, application_, judge_, _ = w._objects(base, judge, index)
                sheet = find_sheet(round_.id, application_.id, judge_.id)
                save_sheet(
                    round_.id,
                    application_,
                    judge_,
                    {
                        base.criteria[0]: Entry(problem, f"Problem seen by judge {judge}; {NAME} knows it."),
                        base.criteria[1]: Entry(team, f"Team comment {judge} (not released)."),
                    },
                    overall_comment=f"Overall {judge}: {NAME} pitched well.",
                    recommendation="maybe",
                    expected_version=sheet.version if sheet else 0,
                    submit=True,
                )
                _db.session.commit()
    assert w.act(app, lambda: w.phase(base, "closed"))
    with app.test_request_context("/?lang=en"):
        round_ = _db.session.get(Round, base.round_id)
        director = _db.session.get(User, base.director_id)
        release_feedback(round_, {base.criteria[0]: (True, True)}, True, director)
        _db.session.commit()
    for index in range(len(MARKS)):
        outcome = "advance" if index < 3 else "not_selected"
        assert w.act(app, lambda index=index, outcome=outcome: w.decide(base, index, outcome))
    assert w.act(app, lambda: w.phase(base, "decided"))
    with app.test_request_context("/?lang=en"):
        startup = _db.session.get(Startup, base.startups[1])
        cohort = _db.session.get(Cohort, base.cohort_id)
        director = _db.session.get(User, base.director_id)
        change = change_stage(startup, cohort, "graduated", director, f"{NAME} lulus dengan baik.")
        note = SessionNote(
            cohort_startup_id=change.cohort_startup_id,
            mentor_id=None,
            held_on=date(2026, 11, 2),
            duration_minutes=60,
            theme="product",
            body=f"Bertemu {NAME} dan {PARTNER[0]}; telepon {PHONE}.",
            visibility="shared",
        )
        _db.session.add(note)
        _db.session.flush()
        _db.session.add(
            ActionItem(
                cohort_startup_id=change.cohort_startup_id,
                note_id=note.id,
                title="Uji coba di sekolah",
                status="done",
                done_at=utcnow(),
                done_comment=f"Sudah, hubungi {EMAIL}.",
            )
        )
        _db.session.commit()
    return PrivacyWorld(base, person.id, base.startups[1], base.apps[1])
