"""Every e-mail is written in its recipient's language: the one stored on their account
(`User.locale`), never the language of whoever's action sent it.

Each kind of e-mail (every template in templates/mail/) is sent through the service that sends it
in the programme, to an English and to an Indonesian recipient, by someone working in the other
language; the subject and the body are checked with exact strings."""

from pathlib import Path

import pytest
from sqlalchemy import select

from incubator.extensions import db as _db
from tests.conftest import open_round_with_criterion, post_form

ROOT = Path(__file__).resolve().parent.parent
OTHER = {"en": "id", "id": "en"}

# kind: {language: (subject, a line of the body)}
EXPECTED = {
    "confirm_email": {
        "en": (
            "Confirm your e-mail for Hetero Incubator",
            "Thank you for registering with Hetero for Startup. Open this link to confirm your e-mail address:",
        ),
        "id": (
            "Konfirmasi e-mail Anda untuk Hetero Incubator",
            "Terima kasih telah mendaftar di Hetero for Startup. Buka tautan ini untuk mengonfirmasi alamat e-mail "
            "Anda:",
        ),
    },
    "reset_password": {
        "en": (
            "Reset your Hetero Incubator password",
            "Someone asked to reset the password of your account. Open this link to choose a new one:",
        ),
        "id": (
            "Atur ulang kata sandi Hetero Incubator Anda",
            "Seseorang meminta pengaturan ulang kata sandi akun Anda. Buka tautan ini untuk memilih kata sandi baru:",
        ),
    },
    "invitation": {
        "en": ("You are invited to Hetero Incubator", "Bu Direktur invites you to Hetero for Startup as: Judge."),
        "id": ("Anda diundang ke Hetero Incubator", "Bu Direktur mengundang Anda ke Hetero for Startup sebagai: Juri."),
    },
    "imported_application": {
        "en": (
            "Your application to Hetero for Startup Solo 2026 is in Hetero Incubator",
            "The link works once and expires in 7 days.",
        ),
        "id": (
            "Pendaftaran Anda ke Hetero for Startup Solo 2026 sudah ada di Hetero Incubator",
            "Tautan ini hanya dapat dipakai sekali dan kedaluwarsa dalam 7 hari.",
        ),
    },
    "application_submitted": {
        "en": (
            "Your application to Hetero for Startup Solo 2026 is received",
            "The judges will score it after the application window closes. You can follow its progress on your "
            "status page.",
        ),
        "id": (
            "Pendaftaran Anda ke Hetero for Startup Solo 2026 telah diterima",
            "Juri akan menilainya setelah periode pendaftaran ditutup. Anda dapat memantau perkembangannya di "
            "halaman status Anda.",
        ),
    },
    "decision_advance": {
        "en": (
            "Batik Lurik advances to Pre-incubation in Hetero for Startup Solo 2026",
            "Congratulations! After the round Seleksi pitch, the programme team has decided that Batik Lurik "
            "advances to the stage Pre-incubation of Hetero for Startup Solo 2026.",
        ),
        "id": (
            "Batik Lurik maju ke tahap Pra-inkubasi di Hetero for Startup Solo 2026",
            "Selamat! Setelah putaran Seleksi pitch, tim program memutuskan bahwa Batik Lurik maju ke tahap "
            "Pra-inkubasi di Hetero for Startup Solo 2026.",
        ),
    },
    "decision_not_selected": {
        "en": (
            "The result of Seleksi pitch for Anyaman",
            "Thank you for taking part in Hetero for Startup Solo 2026. After the round Seleksi pitch, Anyaman has "
            "not been selected to continue in the programme.",
        ),
        "id": (
            "Hasil Seleksi pitch untuk Anyaman",
            "Terima kasih telah berpartisipasi dalam Hetero for Startup Solo 2026. Setelah putaran Seleksi pitch, "
            "Anyaman belum terpilih untuk melanjutkan program.",
        ),
    },
    "judge_reminder": {
        "en": (
            "Reminder: 2 applications left to score in Seleksi pitch",
            "2 of the 2 applications assigned to you are not submitted yet.",
        ),
        "id": (
            "Pengingat: 2 pendaftaran belum dinilai di Seleksi pitch",
            "2 dari 2 pendaftaran yang ditugaskan kepada Anda belum dikirim.",
        ),
    },
    "pitch_day_reminder": {
        "en": (
            "Pitch day: 1 sheet to submit in Seleksi pitch",
            "The director of the pitch day in Aula reminds you that 1 sheet of the pitches so far is not submitted.",
        ),
        "id": (
            "Hari pitch: 1 lembar nilai untuk dikirim di Seleksi pitch",
            "Direktur hari pitch di Aula mengingatkan bahwa 1 lembar nilai dari pitch sejauh ini belum Anda kirim.",
        ),
    },
    "kpi_reminder": {
        "en": (
            "Reminder: KPIs of Batik Lurik for {month_en}",
            "Your mentors and the programme team use these figures to follow your progress.",
        ),
        "id": (
            "Pengingat: KPI Batik Lurik untuk {month_id}",
            "Mentor Anda dan tim program menggunakan angka-angka ini untuk memantau kemajuan Anda.",
        ),
    },
}


def test_every_mail_template_is_covered():
    assert sorted(p.stem for p in (ROOT / "templates" / "mail").glob("*.txt")) == sorted(EXPECTED)


def _month_names(app) -> dict:
    """Last month as the KPI reminder names it, in each language: {"month_en": ..., "month_id": ...}."""
    from flask_babel import force_locale

    from incubator.core.database import utcnow
    from incubator.kpis.display import month_label
    from incubator.kpis.growth import last_month

    month = last_month(utcnow())
    with app.test_request_context():
        names = {}
        for lang in ("en", "id"):
            with force_locale(lang):
                names[f"month_{lang}"] = month_label(month, True)
        return names


@pytest.fixture
def send_everything(app, client, create_user, create_cohort):
    """send_everything(lang): every kind of e-mail, each to a recipient whose account says `lang`,
    each sent by someone working in the other language. Returns the outbox by kind."""

    def run(lang: str) -> dict:
        from incubator.applications.models import Application
        from incubator.applications.services import submit
        from incubator.auth import services as auth
        from incubator.auth.models import User
        from incubator.cohorts.models import Cohort
        from incubator.core.database import utcnow
        from incubator.judging.decisions import services as decisions
        from incubator.judging.models import Assignment
        from incubator.judging.rounds import services as judging
        from incubator.judging.sheets import reminders
        from incubator.kpis.services import remind_late_reports
        from incubator.mail.models import OutboxMessage
        from incubator.pitchday import services as pitch_days
        from incubator.startups.models import Startup

        other = OTHER[lang]
        director = create_user(email="boss@example.org", name="Bu Direktur", roles=["director"], locale=other)
        cohort = create_cohort(director=director)
        create_user(email="lupa@example.org", name="Lupa", locale=lang)
        judge = create_user(email="juri@example.org", name="Juri", roles=["judge"], locale=lang)
        founders = [create_user(email=f"f{i}@example.org", name=f"F{i}", locale=lang) for i in (1, 2)]

        # Registration, in the recipient's language (the page they registered on).
        post_form(client, f"/auth/register?lang={lang}", _registration())
        # A reset asked for from a page in the other language.
        post_form(client, f"/auth/reset?lang={other}", {"email": "lupa@example.org"})

        with app.test_request_context(f"/?lang={other}"):
            actor = _db.session.get(User, director.id)
            row = _db.session.get(Cohort, cohort.id)
            auth.invite_user("undangan@example.org", "Undangan", ["judge"], actor, locale=lang)
            auth.invite_user(
                "impor@example.org",
                "Impor",
                ["applicant"],
                actor,
                locale=lang,
                mail="imported_application",
                cohort=row,
                startup_name="Tenun Troso",
            )
            applications = []
            for name, founder in zip(("Batik Lurik", "Anyaman"), founders, strict=True):
                owner = _db.session.get(User, founder.id)
                startup = Startup(name=name, city="Surakarta", owner_id=owner.id)
                _db.session.add(startup)
                _db.session.flush()
                application = Application(startup=startup, cohort=row, deck_path="deck.pdf", **_pitch())
                _db.session.add(application)
                _db.session.flush()
                submit(application, owner)
                applications.append(application)
            round_, _criterion = open_round_with_criterion(row, actor, name="Seleksi pitch", decides_stage="applied")
            for application in applications:
                _db.session.add(Assignment(round_id=round_.id, application_id=application.id, judge_id=judge.id))
            _db.session.flush()
            reminders.remind_judges(round_, actor)
            day = pitch_days.set_up(
                round_,
                None,
                room="Aula",
                starts_at=utcnow(),
                pitch_minutes=5,
                questions_minutes=3,
                language=other,
                results_top=10,
                actor=actor,
            )
            pitch_days.control(day, "start", actor)
            pitch_days.remind(day, _db.session.get(User, judge.id), 1, actor)
            judging.set_phase(round_, "closed", actor)
            advance, not_selected = (a.id for a in applications)
            decisions.decide(round_, {advance: "advance", not_selected: "not_selected"}, actor)
            remind_late_reports(row, actor)
            _db.session.commit()
            mails = _db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()
            return {m.kind: (m.recipient, m.subject, m.body) for m in mails}

    return run


def _registration() -> dict:
    return {
        "name": "Tono",
        "email": "tono@warung.example",
        "password": "Bakso-Urat-99",
        "confirm": "Bakso-Urat-99",
        "consent": "y",
    }


def _pitch() -> dict:
    fields = ("problem", "solution", "target_market", "business_model", "traction", "why_programme")
    return dict.fromkeys(fields, "Ada") | {"funding_need": 150_000_000}


@pytest.mark.parametrize("lang", ["en", "id"])
def test_every_mail_is_in_the_recipients_language(app, send_everything, lang):
    sent = send_everything(lang)

    months = _month_names(app)
    assert sorted(sent) == sorted(EXPECTED)
    for kind, expected in EXPECTED.items():
        subject, line = (text.format(**months) for text in expected[lang])
        _recipient, got_subject, body = sent[kind]
        assert (kind, got_subject) == (kind, subject)
        assert line in body.splitlines(), f"{kind}: {body}"


# --- where the recipient's language comes from ------------------------------------------------


def _locale(db, email: str) -> str:
    from incubator.auth.models import User

    return db.scalar(select(User).where(User.email == email)).locale


def test_switching_language_while_signed_in_is_kept_and_the_mail_follows(
    app, db, client, make_client, login_as, outbox
):
    user = login_as(client, "applicant")
    assert _locale(db, user.email) == "id"

    assert client.get("/?lang=en").status_code == 200
    assert _locale(db, user.email) == "en"
    # A reset asked for from another browser, on an Indonesian page, is written in English.
    post_form(make_client(), "/auth/reset?lang=id", {"email": user.email})

    assert [m.subject for m in outbox()] == ["Reset your Hetero Incubator password"]
    client.get("/?lang=id")
    assert _locale(db, user.email) == "id"


def test_switching_language_anonymously_changes_no_account(app, db, client, create_user):
    create_user(email="tono@warung.example", locale="en")

    assert client.get("/?lang=id").status_code == 200
    assert client.get("/?lang=xx").status_code == 200

    assert _locale(db, "tono@warung.example") == "en"


def test_signing_in_keeps_the_saved_language_unless_one_was_chosen(app, db, make_client, create_user):
    create_user(email="budi@gmail.com", locale="en")
    credentials = {"email": "budi@gmail.com", "password": "Kopi-Tubruk-2026"}

    assert post_form(make_client(), "/auth/login", credentials).status_code == 302  # a new device, no choice
    assert _locale(db, "budi@gmail.com") == "en"
    assert post_form(make_client(), "/auth/login?lang=id", credentials).status_code == 302
    assert _locale(db, "budi@gmail.com") == "id"


def test_registering_keeps_the_language_of_the_page(app, db, client, outbox):
    post_form(client, "/auth/register?lang=en", _registration())

    assert _locale(db, "tono@warung.example") == "en"
    assert [m.subject for m in outbox()] == ["Confirm your e-mail for Hetero Incubator"]


def test_accepting_an_invitation_keeps_a_language_chosen_on_the_way(app, db, client, make_client, login_as, outbox):
    from tests.conftest import link_in, path_of

    login_as(client, "director")
    invite = {"name": "Sri Wahyuni", "email": "sri@univ.example", "roles": ["judge"], "locale": "id"}
    assert post_form(client, "/admin/users/invite", invite).status_code == 302
    assert _locale(db, "sri@univ.example") == "id"
    link = path_of(link_in(outbox()[0].body))

    guest = make_client()
    done = post_form(guest, f"{link}?lang=en", {"password": "Wedang-Jahe-2026", "confirm": "Wedang-Jahe-2026"})

    assert done.status_code == 302
    assert _locale(db, "sri@univ.example") == "en"
