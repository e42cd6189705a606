"""WhatsApp click-to-chat links (wa.me) beside mails to founders, on the application list and on
a startup's page: the E.164 number without its plus, the text percent-encoded, in the founder's
language; nothing without a phone, and nothing for founders or judges."""

from urllib.parse import quote

from sqlalchemy import select

from incubator.extensions import db as _db
from incubator.mail.models import OutboxMessage
from incubator.mail.whatsapp import greeting, wa_link
from tests.mentoring_helpers import build_incubation

PHONE = "+6281226537781"
HELLO_ID = "Halo%20Sari%20Wulandari%2C%20kami%20dari%20tim%20Hetero%20for%20Startup."
HELLO_EN = "Hello%20Sari%20Wulandari%2C%20this%20is%20the%20Hetero%20for%20Startup%20team."


def test_wa_link_is_digits_and_percent_encoded_text():
    assert wa_link(PHONE) == "https://wa.me/6281226537781"
    assert wa_link(PHONE, "Halo Sari & tim, 100%?\nYa") == (
        "https://wa.me/6281226537781?text=Halo%20Sari%20%26%20tim%2C%20100%25%3F%0AYa"
    )
    assert wa_link("", "Halo") is None
    assert wa_link(None) is None


def test_greeting_is_in_the_founders_language(app):
    with app.test_request_context():
        assert greeting("id", "Sari") == "Halo Sari, kami dari tim Hetero for Startup."
        assert greeting("en", "Sari") == "Hello Sari, this is the Hetero for Startup team."
        assert greeting(None, "Sari") == "Halo Sari, kami dari tim Hetero for Startup."


def _world(app, create_user, create_cohort, *, phone=PHONE, founder_locale="id"):
    """A startup in a cohort with a mentor; its founder Sari (team member with `phone`) and a
    teammate without a phone; one mail queued to the founder."""
    from incubator.applications.models import Application
    from incubator.auth.models import User
    from incubator.mail.outbox import queue_mail
    from incubator.startups.models import Startup, TeamMember

    mentor = create_user(email="mentor@example.org", roles=["mentor"])
    world = build_incubation(app, create_user, create_cohort, names=("Batik Lab",), mentor=mentor)
    founder = world.founders[0]
    with app.test_request_context():
        user = _db.session.get(User, founder.id)
        user.locale = founder_locale
        startup = _db.session.scalar(select(Startup).where(Startup.owner_id == founder.id))
        _db.session.add_all(
            [
                TeamMember(startup=startup, name="Sari Wulandari", email=founder.email, phone=phone, is_founder=True),
                TeamMember(startup=startup, name="Budi Santoso", email="budi@example.org", phone="", position=1),
            ]
        )
        application = _db.session.get(Application, world.app_ids[0])
        queue_mail(user, "application_submitted", user=user, application=application)
        _db.session.commit()
        world.startup_id = startup.id
    world.mentor = mentor
    return world


def _mail(db):
    (message,) = db.scalars(select(OutboxMessage))
    return message


def test_outbox_shows_the_mail_itself_prefilled_for_a_founder_with_a_phone(
    app, client, login_as, create_user, create_cohort, db
):
    world = _world(app, create_user, create_cohort)
    message = _mail(db)
    assert message.subject == "Pendaftaran Anda ke Hetero for Startup Solo 2026 telah diterima"
    text = f"{message.subject}\n\n{message.body.strip()}"
    expected = "https://wa.me/6281226537781?text=" + quote(text, safe="")
    assert expected.startswith(
        "https://wa.me/6281226537781?text=Pendaftaran%20Anda%20ke%20Hetero%20for%20Startup%20Solo%202026%20telah"
        "%20diterima%0A%0AHalo%20Founder%200%2C%0A%0A"
    )
    login_as(client, world.director)
    link = f'href="{expected}" rel="noopener" target="_blank"'
    listing = client.get("/admin/outbox?lang=en").get_data(as_text=True)
    assert listing.count('href="https://wa.me/') == 1
    assert link in listing
    one = client.get(f"/admin/outbox/{message.id}?lang=en").get_data(as_text=True)
    assert f"<a {link}>Send on WhatsApp</a>" in one


def test_no_link_without_a_phone(app, client, login_as, create_user, create_cohort, db):
    world = _world(app, create_user, create_cohort, phone="")
    message = _mail(db)
    login_as(client, world.director)
    for url in (
        "/admin/outbox",
        f"/admin/outbox/{message.id}",
        f"/cohorts/{world.cohort_id}/applications",
        f"/startups/{world.startup_id}",
    ):
        page = client.get(url)
        assert page.status_code == 200
        assert "wa.me" not in page.get_data(as_text=True)


def test_application_list_links_the_founder_with_a_greeting(app, client, login_as, create_user, create_cohort):
    world = _world(app, create_user, create_cohort, founder_locale="en")
    login_as(client, world.director)
    page = client.get(f"/cohorts/{world.cohort_id}/applications").get_data(as_text=True)
    assert page.count('href="https://wa.me/') == 1
    assert f'href="https://wa.me/6281226537781?text={HELLO_EN}" rel="noopener" target="_blank"' in page
    outbox = client.get("/admin/outbox").get_data(as_text=True)  # the mail was written in English
    assert (
        'href="https://wa.me/6281226537781?text=Your%20application%20to%20Hetero%20for%20Startup%20Solo%202026'
        in outbox
    )


def test_startup_page_links_for_directors_and_its_mentors_not_its_founder(
    app, client, login_as, create_user, create_cohort
):
    world = _world(app, create_user, create_cohort)
    link = f'href="https://wa.me/6281226537781?text={HELLO_ID}" rel="noopener" target="_blank"'
    for who in (world.director, world.mentor):
        login_as(client, who)
        page = client.get(f"/startups/{world.startup_id}").get_data(as_text=True)
        assert page.count('href="https://wa.me/') == 1  # Sari; Budi has no phone
        assert link in page
    login_as(client, world.founders[0])
    page = client.get(f"/startups/{world.startup_id}")
    assert page.status_code == 200
    assert "wa.me" not in page.get_data(as_text=True)


def test_judges_and_founders_reach_none_of_these_pages(app, client, login_as, create_user, create_cohort, db):
    world = _world(app, create_user, create_cohort)
    message = _mail(db)
    judge = create_user(email="judge@example.org", roles=["judge"])
    other_mentor = create_user(email="other-mentor@example.org", roles=["mentor"])
    urls = ("/admin/outbox", f"/admin/outbox/{message.id}", f"/cohorts/{world.cohort_id}/applications")
    for who in (judge, world.founders[0], other_mentor):
        login_as(client, who)
        for url in urls:
            page = client.get(url)
            assert page.status_code in (403, 404)
            assert "wa.me" not in page.get_data(as_text=True)
    for who in (judge, other_mentor):
        login_as(client, who)
        page = client.get(f"/startups/{world.startup_id}")
        assert page.status_code == 404
        assert "wa.me" not in page.get_data(as_text=True)
