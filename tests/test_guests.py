"""Guest judges: added by a director to an open round with a single-use sign-in link and its QR
code, signed in by the link into that round only, ended by revocation or the round closing, every
use in the audit trail."""

import hashlib
import re
import xml.etree.ElementTree as ET
from decimal import Decimal as D
from html import unescape

import pytest
import segno
from sqlalchemy import select

from incubator.audit.models import AuditEvent
from incubator.auth.models import User
from incubator.extensions import db as _db
from incubator.judging.guests.models import GuestPass
from incubator.judging.models import Assignment, ConflictDeclaration
from tests.conftest import post_form
from tests.test_scoring_pages import build_world, set_phase

LINK_RE = re.compile(r'<p class="guest-card-link"><a href="([^"]+)">([^<]+)</a></p>')
SVG_RE = re.compile(r"<svg .*?</svg>", re.S)
USED = (
    "This sign-in link has already been used: it works once. If you are the guest it was made for, "
    "ask the programme team for a new link."
)


@pytest.fixture
def world(app, create_user, create_cohort):
    return build_world(app, create_user, create_cohort)


def _add_guest(client, world, name="Pak Joko", email="") -> tuple[int, str]:
    """The director adds a guest; returns (pass id, the link on the card)."""
    url = f"/rounds/{world.round}/guests"
    response = post_form(client, url, {"name": name, "email": email})
    assert response.status_code == 302
    card = response.headers["Location"]
    pass_id = int(card.rstrip("/").split("/")[-2])
    match = LINK_RE.search(client.get(card).get_data(as_text=True))
    return pass_id, unescape(match.group(1))


def _events(db, action: str) -> list[AuditEvent]:
    return db.scalars(select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id))


def _sign_in(client, link: str):
    path = link.removeprefix("http://localhost")
    return post_form(client, path, page="/auth/login")


def test_guest_is_a_judge_with_no_password_assigned_to_every_application(client, login_as, world, db):
    director = login_as(client, world.director)
    client.get("/?lang=en")
    pass_id, link = _add_guest(client, world)

    guest_pass = db.scalar(select(GuestPass).where(GuestPass.id == pass_id))
    guest = db.scalar(select(User).where(User.id == guest_pass.user_id))
    assert (guest.name, guest.password_hash, guest.roles) == ("Pak Joko", None, {"judge"})
    assert re.fullmatch(r"guest-[0-9a-f]{16}@guests\.invalid", guest.email)
    token = link.rsplit("/", 1)[-1]
    assert len(token) == 43 and guest_pass.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert sorted(db.scalars(select(Assignment.application_id).where(Assignment.judge_id == guest.id))) == world.apps
    issued = _events(db, "guest.pass_issued")
    assert [(e.object_id, e.actor_id, e.data) for e in issued] == [
        (pass_id, director.id, {"round_id": world.round, "judge_id": guest.id, "name": "Pak Joko"})
    ]
    # The placeholder address is shown to nobody: not on the guest list, nor the users page.
    for page in (f"/rounds/{world.round}/guests", "/admin/users"):
        html = client.get(page).get_data(as_text=True)
        assert "Pak Joko" in html and "guests.invalid" not in html


def test_guest_sharing_a_domain_with_a_team_is_not_assigned_to_that_startup(app, client, login_as, world, db):
    from incubator.applications.models import Application
    from incubator.startups.models import TeamMember

    with db.session() as session:
        startup_id = session.get(Application, world.apps[0]).startup_id
        session.add(TeamMember(startup_id=startup_id, name="Ayu", role="CTO", email="ayu@batiklurik.co.id"))
    login_as(client, world.director)
    pass_id, _link = _add_guest(client, world, name="Tono", email="Tono@BatikLurik.co.id")

    guest = db.scalar(select(User).join(GuestPass, GuestPass.user_id == User.id).where(GuestPass.id == pass_id))
    assert guest.email == "tono@batiklurik.co.id"
    assert list(db.scalars(select(Assignment.application_id).where(Assignment.judge_id == guest.id))) == [world.apps[1]]
    bulk = _events(db, "assignments.bulk")[-1]
    assert (bulk.data["added"], bulk.data["conflicted"]) == (1, 1)


def test_guest_card_qr_is_well_formed_svg_of_the_link(app, client, login_as, world):
    login_as(client, world.director)
    client.get("/?lang=en")
    pass_id, link = _add_guest(client, world)
    page = client.get(f"/rounds/{world.round}/guests/{pass_id}/card").get_data(as_text=True)

    assert link.startswith("http://localhost/guest/")
    assert f'<a href="{link}">{link.removeprefix("http://")}</a>' in page
    assert '<h1 id="card-h">Pak Joko</h1>' in page and "Seleksi pitch" in page
    svg = SVG_RE.search(page).group(0)
    root = ET.fromstring(svg)  # noqa: S314 - well-formed XML; our own page
    assert root.tag == "svg" and root.find("title").text == "QR code of the sign-in link for Pak Joko"
    # The drawn modules are exactly the QR code segno makes for this URL.
    assert _dark_modules(root.find("path").get("d")) == _segno_dark(link)
    expected = segno.make_qr(link, error="m").svg_inline(
        scale=5,
        border=4,
        title="QR code of the sign-in link for Pak Joko",
        svgclass="guest-qr",
        lineclass=None,
        omitsize=True,
    )
    assert svg == expected


def _dark_modules(d: str) -> set[tuple[int, int]]:
    """The dark modules drawn by segno's path (an absolute move, then relative moves and lines)."""
    x = y = 0.0
    dark = set()
    for command, args in re.findall(r"([MmHh])([-\d. ]+)", d):
        numbers = [float(n) for n in args.split()]
        if command == "M":
            x, y = numbers
        elif command == "m":
            x, y = x + numbers[0], y + numbers[1]
        else:
            for i in range(int(numbers[0])):
                dark.add((int(x) + i, int(y)))
            x += numbers[0]
    return dark


def _segno_dark(link: str) -> set[tuple[int, int]]:
    matrix = segno.make_qr(link, error="m").matrix
    return {(c + 4, r + 4) for r, row in enumerate(matrix) for c, bit in enumerate(row) if bit}


def test_link_signs_the_guest_in_once_and_a_second_use_is_refused(app, client, make_client, login_as, world, db):
    login_as(client, world.director)
    pass_id, link = _add_guest(client, world)
    path = link.removeprefix("http://localhost")
    guest_phone = make_client()

    welcome = guest_phone.get(path + "?lang=en").get_data(as_text=True)
    assert "<h1>Welcome, Pak Joko</h1>" in welcome and "Start judging" in welcome
    response = _sign_in(guest_phone, link)
    assert (response.status_code, response.headers["Location"]) == (302, f"/rounds/{world.round}/queue")
    queue = guest_phone.get(f"/rounds/{world.round}/queue").get_data(as_text=True)
    assert "Welcome, Pak Joko. You are a guest judge in Seleksi pitch." in queue
    assert queue.count("Declare a conflict of interest") == 2
    # Scanning the card again on the same phone just opens the queue.
    assert guest_phone.get(path).headers["Location"] == f"/rounds/{world.round}/queue"

    other = make_client()
    other.get("/?lang=en")
    refused = other.get(path)
    assert refused.status_code == 410 and USED in unescape(refused.get_data(as_text=True))
    refused_post = _sign_in(other, link)
    assert refused_post.status_code == 410 and USED in unescape(refused_post.get_data(as_text=True))
    assert other.get(f"/rounds/{world.round}/queue").status_code == 302  # not signed in

    guest_id = db.scalar(select(GuestPass.user_id).where(GuestPass.id == pass_id))
    signed = _events(db, "guest.signed_in")
    assert [(e.object_id, e.actor_id, e.data) for e in signed] == [(pass_id, guest_id, {"round_id": world.round})]
    refusals = _events(db, "guest.pass_refused")
    assert [(e.object_id, e.actor_id, e.data) for e in refusals] == [
        (pass_id, None, {"round_id": world.round, "judge_id": guest_id, "refusal": "used"})
    ] * 2
    assert db.scalar(select(GuestPass.used_at).where(GuestPass.id == pass_id)) is not None


def test_unknown_link_is_refused_without_an_audit_row(client, world, db):
    response = client.get("/guest/" + "x" * 43 + "?lang=en")
    assert response.status_code == 404
    assert "This sign-in link is not valid." in unescape(response.get_data(as_text=True))
    assert _events(db, "guest.pass_refused") == []


def test_revoking_the_pass_ends_the_guests_session_and_the_link(app, client, make_client, login_as, world, db):
    director = login_as(client, world.director)
    pass_id, link = _add_guest(client, world)
    guest_phone = make_client()
    _sign_in(guest_phone, link)
    assert guest_phone.get(f"/rounds/{world.round}/queue").status_code == 200

    response = post_form(client, f"/rounds/{world.round}/guests/{pass_id}/revoke", page=f"/rounds/{world.round}/guests")
    assert response.status_code == 302
    after = guest_phone.get(f"/rounds/{world.round}/queue?lang=en")
    assert (after.status_code, after.headers["Location"].split("?")[0]) == (302, "/auth/login")
    login_page = guest_phone.get("/auth/login").get_data(as_text=True)
    assert "Your guest judging pass has ended" in login_page
    list_page = client.get(f"/rounds/{world.round}/guests?lang=en").get_data(as_text=True)
    assert "Revoked" in list_page

    fresh = make_client()
    refused = fresh.get(link.removeprefix("http://localhost") + "?lang=en")
    assert refused.status_code == 410
    assert "This sign-in link has been withdrawn by the programme team." in refused.get_data(as_text=True)
    revoked = _events(db, "guest.pass_revoked")
    guest_id = db.scalar(select(GuestPass.user_id).where(GuestPass.id == pass_id))
    assert [(e.object_id, e.actor_id, e.data) for e in revoked] == [
        (pass_id, director.id, {"round_id": world.round, "judge_id": guest_id})
    ]
    assert [e.data["refusal"] for e in _events(db, "guest.pass_refused")] == ["revoked"]


def test_closing_the_round_ends_the_guests_session_and_the_link(app, client, make_client, login_as, world, db):
    login_as(client, world.director)
    _pass_id, link = _add_guest(client, world)
    _unused_id, unused_link = _add_guest(client, world, name="Bu Sri")
    guest_phone = make_client()
    _sign_in(guest_phone, link)
    assert guest_phone.get(f"/rounds/{world.round}/queue").status_code == 200

    set_phase(app, world, "closed")
    assert guest_phone.get(f"/rounds/{world.round}/queue").status_code == 302
    assert guest_phone.get(f"/rounds/{world.round}/applications/{world.apps[0]}/score").status_code == 302
    refused = make_client().get(unused_link.removeprefix("http://localhost") + "?lang=en")
    assert refused.status_code == 410
    assert "Judging in this round is over, so this sign-in link no longer works." in refused.get_data(as_text=True)
    assert [e.data["refusal"] for e in _events(db, "guest.pass_refused")] == ["closed"]


def _second_round(app, world) -> tuple[int, int]:
    """Another open round of the cohort with the same applications; judge 0 assigned to the first."""
    from incubator.cohorts.models import Cohort
    from incubator.judging.rounds import services
    from incubator.judging.rounds.rubric import Scale

    with app.test_request_context("/?lang=en"):
        actor = _db.session.merge(world.director)
        round_ = services.save_round(
            None,
            _db.session.get(Cohort, world.cohort),
            name="Second look",
            decides_stage="applied",
            scoring_opens_at=None,
            scoring_closes_at=None,
            judges_per_application=1,
            ranking_basis="raw",
            judges_see_scores_after_close=False,
            disagreement_threshold=D(15),
            actor=actor,
        )
        scale = Scale(D(1), D(5), D(1))
        services.save_criterion(
            round_.rubric, None, name="Fit", description="", weight=D(1), scale=scale, descriptors={}, actor=actor
        )
        _db.session.add(Assignment(round_id=round_.id, application_id=world.apps[0], judge_id=world.judges[0].id))
        services.set_phase(round_, "open", actor)
        _db.session.commit()
        return round_.id, world.apps[0]


def test_a_guest_never_reaches_another_rounds_pages(app, client, make_client, login_as, world):
    login_as(client, world.director)
    _pass_id, link = _add_guest(client, world)
    other_round, application = _second_round(app, world)
    guest_phone = make_client()
    _sign_in(guest_phone, link)

    assert guest_phone.get(f"/rounds/{world.round}/applications/{application}/score").status_code == 200
    for url in (
        f"/rounds/{other_round}/queue",
        f"/rounds/{other_round}/applications/{application}/score",
        f"/rounds/{other_round}/applications/{application}/conflict",
    ):
        assert guest_phone.get(url).status_code == 404, url
    assert (
        post_form(guest_phone, f"/rounds/{other_round}/applications/{application}/score", page="/").status_code == 404
    )
    # A judge with nothing assigned there still sees the round's (empty) queue: only guests are kept to theirs.
    outsider = make_client()
    login_as(outsider, world.outsider)
    assert outsider.get(f"/rounds/{other_round}/queue").status_code == 200


def test_guest_declares_a_conflict_from_the_first_page(app, client, make_client, login_as, world, db):
    login_as(client, world.director)
    pass_id, link = _add_guest(client, world)
    guest_phone = make_client()
    _sign_in(guest_phone, link)
    response = post_form(
        guest_phone,
        f"/rounds/{world.round}/applications/{world.apps[1]}/conflict",
        {"reason": "Saya investor di GamelanVerse"},
        page=f"/rounds/{world.round}/queue",
    )
    assert (response.status_code, response.headers["Location"]) == (302, f"/rounds/{world.round}/queue")
    guest_id = db.scalar(select(GuestPass.user_id).where(GuestPass.id == pass_id))
    declared = db.scalars(select(ConflictDeclaration).where(ConflictDeclaration.judge_id == guest_id))
    assert [(d.application_id, d.source, d.reason) for d in declared] == [
        (world.apps[1], "judge", "Saya investor di GamelanVerse")
    ]


def test_a_new_link_replaces_the_old_one(client, make_client, login_as, world, db):
    login_as(client, world.director)
    pass_id, old_link = _add_guest(client, world)
    response = post_form(client, f"/rounds/{world.round}/guests/{pass_id}/link", page=f"/rounds/{world.round}/guests")
    assert response.headers["Location"] == f"/rounds/{world.round}/guests/{pass_id}/card"
    new_link = unescape(LINK_RE.search(client.get(response.headers["Location"]).get_data(as_text=True)).group(1))
    assert new_link != old_link
    assert make_client().get(old_link.removeprefix("http://localhost")).status_code == 404
    assert _sign_in(make_client(), new_link).status_code == 302
    assert len(_events(db, "guest.pass_issued")) == 2


def test_the_card_of_another_browser_offers_a_new_link_not_the_old_one(client, make_client, login_as, world):
    login_as(client, world.director)
    pass_id, link = _add_guest(client, world)
    second_desk = make_client()
    login_as(second_desk, world.director)
    page = second_desk.get(f"/rounds/{world.round}/guests/{pass_id}/card?lang=en").get_data(as_text=True)
    assert link.rsplit("/", 1)[-1] not in page and "<svg" not in page
    assert "Make a new link" in page


def test_guest_without_e_mail_gets_no_reminder_mail(client, login_as, world, outbox):
    login_as(client, world.director)
    _add_guest(client, world)
    post_form(client, f"/rounds/{world.round}/remind", page=f"/rounds/{world.round}")
    assert sorted(m.recipient for m in outbox()) == ["budi@yahoo.co.id", "sari@gmail.com"]


def test_guests_are_added_only_to_an_open_round(app, client, login_as, world, db):
    set_phase(app, world, "closed")
    login_as(client, world.director)
    client.get("/?lang=en")
    response = post_form(client, f"/rounds/{world.round}/guests", {"name": "Pak Joko"})
    assert response.status_code == 200
    assert "Guest judges can be added and given links only while the round is open for scoring." in response.get_data(
        as_text=True
    )
    assert db.scalars(select(GuestPass)) == []


def test_guest_sign_in_is_rate_limited_like_login(app, client, world):
    from incubator.extensions import limiter

    limiter.enabled = True
    app.config["LOGIN_RATE_LIMIT"] = "3 per minute"
    statuses = [post_form(client, "/guest/" + "y" * 43, page="/auth/login").status_code for _ in range(4)]
    assert statuses == [404, 404, 404, 429]


def test_the_audit_trail_names_every_use_of_a_pass(client, make_client, login_as, world):
    login_as(client, world.director)
    pass_id, link = _add_guest(client, world)
    _sign_in(make_client(), link)
    make_client().get(link.removeprefix("http://localhost"))
    post_form(client, f"/rounds/{world.round}/guests/{pass_id}/revoke", page=f"/rounds/{world.round}/guests")

    english = client.get("/admin/audit?lang=en").get_data(as_text=True)
    for label in (
        "Guest judge&#39;s sign-in link issued",
        "Guest judge signed in with their link",
        "Guest judge&#39;s sign-in link refused",
        "Guest judge&#39;s pass revoked",
        f"Guest judge&#39;s pass #{pass_id}",
        "Why refused: Already used",
    ):
        assert label in english, label
    indonesian = client.get("/admin/audit?lang=id").get_data(as_text=True)
    assert "Alasan ditolak: Sudah dipakai" in indonesian and "Juri tamu masuk dengan tautannya" in indonesian


def test_a_guest_without_e_mail_is_never_sent_an_invitation(client, login_as, world, db, outbox):
    login_as(client, world.director)
    pass_id, _link = _add_guest(client, world)
    guest_id = db.scalar(select(GuestPass.user_id).where(GuestPass.id == pass_id))
    page = client.get(f"/admin/users/{guest_id}?lang=en").get_data(as_text=True)
    assert "Send the invitation again" not in page and "None (a guest judge)" in page
    response = post_form(client, f"/admin/users/{guest_id}/invite-again", page=f"/admin/users/{guest_id}")
    assert response.status_code == 302
    assert "This guest judge has no e-mail address to send an invitation to." in client.get(
        f"/admin/users/{guest_id}"
    ).get_data(as_text=True)
    assert outbox() == []


def test_guest_queue_links_the_pitch_day_page_once_the_round_has_one(client, make_client, login_as, world, db):
    from tests.test_pitch_day import SETUP

    login_as(client, world.director)
    client.get("/?lang=en")
    _pass_id, link = _add_guest(client, world)
    guest_phone = make_client()
    guest_phone.get("/?lang=en")
    _sign_in(guest_phone, link)
    pitch_day_link = f'<a class="button" href="/rounds/{world.round}/pitch-day/judge">Open the pitch-day page</a>'
    assert pitch_day_link not in guest_phone.get(f"/rounds/{world.round}/queue").get_data(as_text=True)
    assert post_form(client, f"/rounds/{world.round}/pitch-day", SETUP).status_code == 302
    assert pitch_day_link in guest_phone.get(f"/rounds/{world.round}/queue").get_data(as_text=True)
    assert guest_phone.get(f"/rounds/{world.round}/pitch-day/judge").status_code == 200
