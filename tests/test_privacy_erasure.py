"""Deletion on request: the director sees what would be removed, approves, and nothing personal is
left in any table or in the upload folder, while the decided round's stored figures, its ranking
and the audit trail stay true (without the erased data)."""

import io
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import JSON, String, Text, cast, func, or_, select

from incubator.extensions import db as _db
from tests import privacy_world as pw
from tests import read_model_world as w
from tests.conftest import post_form


@pytest.fixture
def world(app, create_user, create_cohort, tmp_path, monkeypatch):
    # An upload folder of this test's own: the sweep of files is checked against what this
    # world wrote, not against what earlier tests of the process left behind.
    monkeypatch.setitem(app.config, "UPLOAD_FOLDER", str(tmp_path / "uploads"))
    return pw.build(app, create_user, create_cohort)


def personal_cells(app, needles) -> list[tuple[str, str, str]]:
    """(table, column, value) of every text or JSON cell of every table that holds one of `needles`."""
    found = []
    with app.app_context():
        for table in _db.metadata.sorted_tables:
            for column in table.columns:
                if isinstance(column.type, JSON):
                    searched = func.lower(cast(column, Text))
                elif isinstance(column.type, String):
                    searched = func.lower(column)
                else:
                    continue
                spelled = [n.lower() for n in needles]
                query = select(column).where(or_(*(searched.contains(s, autoescape=True) for s in spelled)))
                found += [(table.name, column.name, str(v)) for v in _db.session.scalars(query)]
        _db.session.remove()
    return found


def files_naming(folder: Path, needles) -> list[str]:
    found = []
    for path in folder.rglob("*"):
        if path.is_file():
            content = path.read_bytes().lower()
            found += [f"{path.name}: {n}" for n in needles if n.lower().encode() in content]
    return found


def stored_round(app, round_id):
    return (w.stored(app, round_id), w.stored_figures(app, round_id), w.stored_exclusions(app, round_id))


def _ask(client, login_as, world, db):
    from incubator.auth.models import User

    login_as(client, db.scalar(select(User).where(User.id == world.user_id)))
    response = post_form(
        client,
        "/account/privacy/deletion?lang=en",
        {"reason": f"Saya {pw.NAME}, tolong hapus.", "understood": "y"},
        page="/account/privacy",
    )
    assert response.status_code == 302
    from incubator.privacy.models import DeletionRequest

    return db.scalar(select(DeletionRequest)).id


def test_the_fixture_holds_the_person_everywhere(app, world):
    """The search finds them before erasure: the check below is not vacuous."""
    tables = {table for table, _column, _value in personal_cells(app, pw.NEEDLES)}
    assert tables >= {
        "users",
        "team_members",
        "startups",
        "applications",
        "scores",
        "score_sheets",
        "stage_changes",
        "session_notes",
        "action_items",
        "outbox_messages",
        "audit_events",
    }
    assert files_naming(Path(app.config["UPLOAD_FOLDER"]), [pw.NAME]) == []  # decks are PDFs without the name


def test_approved_request_erases_everything_personal_and_keeps_the_figures(app, client, login_as, world, db):
    from incubator.applications.models import Application
    from incubator.audit.models import AuditEvent
    from incubator.auth.models import User
    from incubator.privacy.models import DeletionRequest, Erasure

    stored = db.scalar(select(Application.deck_path).where(Application.id == world.application_id))
    deck = Path(app.config["UPLOAD_FOLDER"]) / "decks" / stored
    assert deck.read_bytes() == pw.DECK
    before = stored_round(app, world.base.round_id)
    director = db.scalar(select(User).where(User.id == world.base.director_id))
    login_as(client, director)
    ranking_before = client.get(f"/rounds/{world.base.round_id}/ranking.csv").get_data(as_text=True)

    request_id = _ask(client, login_as, world, db)
    login_as(client, director)
    listing = client.get("/privacy/requests?lang=en").get_data(as_text=True)
    assert f'href="/privacy/requests/{request_id}">#{request_id}</a>' in listing
    assert pw.NAME in listing and "Waiting for a director" in listing
    review = client.get(f"/privacy/requests/{request_id}?lang=en").get_data(as_text=True)
    assert f"The account of {pw.NAME} ({pw.EMAIL})" in review
    assert "Startup GamelanVerse: its profile and the contacts of its 2 team member(s)." in review
    assert f"Application #{world.application_id} to Hetero for Startup Solo 2026: the pitch, links and deck." in review
    assert "Pitch decks: 1; judges' comments on 4 score sheet(s); e-mails in the outbox: 2." in review

    response = post_form(
        client,
        f"/privacy/requests/{request_id}?lang=en",
        {"reason": f"Disetujui untuk {pw.NAME}.", "approve": "Approve and erase"},
        page=f"/privacy/requests/{request_id}",
    )
    assert response.status_code == 302
    done = client.get(f"/privacy/requests/{request_id}?lang=en").get_data(as_text=True)
    assert "The personal data is erased." in done and "Applications erased: 1" in done

    assert personal_cells(app, pw.NEEDLES) == []
    assert files_naming(Path(app.config["UPLOAD_FOLDER"]), pw.NEEDLES) == []
    assert not deck.exists()
    assert stored_round(app, world.base.round_id) == before
    ranking_after = client.get(f"/rounds/{world.base.round_id}/ranking.csv").get_data(as_text=True)
    changed = [
        (old, new)
        for old, new in zip(ranking_before.splitlines(), ranking_after.splitlines(), strict=True)
        if old != new
    ]
    assert [(o.replace("GamelanVerse", f"#{world.startup_id}"), n) for o, n in changed] == [(n, n) for _o, n in changed]
    assert len(changed) == 1

    deletion = db.scalar(select(DeletionRequest))
    assert (deletion.status, deletion.reason, deletion.decision_reason) == ("approved", "", "Disetujui untuk ***.")
    assert deletion.erased == {
        "accounts": 1,
        "applications": 1,
        "decks": 1,
        "emails": 2,  # the confirmation and the decision
        "files": 0,
        "masked": deletion.erased["masked"],
        "members": 2,
        "notes": 1,
        "startups": 1,
    }
    person = db.scalar(select(User).where(User.id == world.user_id))
    assert (person.name, person.email, person.password_hash, person.active, person.roles) == (
        "***",
        f"erased-{world.user_id}@erased.invalid",
        None,
        False,
        set(),
    )
    application = db.scalar(select(Application).where(Application.id == world.application_id))
    assert (application.status, application.problem, application.deck_path, application.funding_need) == (
        "submitted",
        "",
        None,
        None,
    )
    assert [(e.application_id, e.startup_id, e.cause) for e in db.scalars(select(Erasure).order_by(Erasure.id))] == [
        (world.application_id, None, "request"),
        (None, world.startup_id, "request"),
    ]
    event = db.scalar(select(AuditEvent).where(AuditEvent.action == "privacy.erased"))
    assert (event.object_type, event.object_id, event.actor_id, event.data) == (
        "deletion_requests",
        request_id,
        world.base.director_id,
        {"applications": 1, "startups": 1, "decks": 1},
    )
    audit = client.get("/admin/audit?lang=en").get_data(as_text=True)
    assert "Personal data erased on request" in audit and pw.NAME not in audit


def test_erased_person_cannot_sign_in(app, client, login_as, world, db):
    from incubator.auth.models import User

    request_id = _ask(client, login_as, world, db)
    login_as(client, db.scalar(select(User).where(User.id == world.base.director_id)))
    post_form(client, f"/privacy/requests/{request_id}", {"approve": "y"})
    client.post("/auth/logout", data={"csrf_token": ""})
    fresh = app.test_client()
    response = post_form(fresh, "/auth/login?lang=en", {"email": pw.EMAIL, "password": "Kopi-Tubruk-2026"})
    assert "The e-mail or password is not correct." in response.get_data(as_text=True)


def test_refusing_needs_a_reason_and_the_applicant_reads_it(app, client, login_as, world, db):
    from incubator.auth.models import User
    from incubator.privacy.models import DeletionRequest

    request_id = _ask(client, login_as, world, db)
    login_as(client, db.scalar(select(User).where(User.id == world.base.director_id)))
    page = f"/privacy/requests/{request_id}"
    empty = post_form(client, f"{page}?lang=en", {"reason": "  ", "refuse": "Refuse"}, page=page)
    assert empty.status_code == 200
    assert "Give the reason for refusing; the applicant will read it." in empty.get_data(as_text=True)
    assert db.scalar(select(DeletionRequest.status)) == "pending"
    typed = "Masih dalam masa inkubasi sampai Desember."
    assert post_form(client, page, {"reason": typed, "refuse": "Refuse"}).status_code == 302
    assert db.scalar(select(DeletionRequest.status)) == "refused"

    login_as(client, db.scalar(select(User).where(User.id == world.user_id)))
    mine = client.get("/account/privacy?lang=en").get_data(as_text=True)
    assert f"Refused — Reason: {typed}" in mine
    assert personal_cells(app, [pw.NAME]) != []  # nothing was erased


def test_applicant_asks_once_withdraws_and_must_confirm(app, client, login_as, world, db):
    from incubator.auth.models import User
    from incubator.privacy.models import DeletionRequest

    login_as(client, db.scalar(select(User).where(User.id == world.user_id)))
    unconfirmed = post_form(client, "/account/privacy/deletion?lang=en", {"reason": "Tolong"}, page="/account/privacy")
    page = unconfirmed.get_data(as_text=True)
    assert unconfirmed.status_code == 400
    assert "Tick the box to confirm that you understand." in page and "Tolong</textarea>" in page
    request_id = _ask(client, login_as, world, db)
    again = post_form(client, "/account/privacy/deletion?lang=en", {"understood": "y"}, page="/account/privacy")
    assert "You have already asked for deletion; a director will answer soon." in again.get_data(as_text=True)
    assert (
        post_form(client, f"/account/privacy/deletion/{request_id}/cancel", page="/account/privacy").status_code == 302
    )
    assert db.scalar(select(DeletionRequest.status)) == "cancelled"
    assert "Withdrawn by the applicant" in client.get("/account/privacy?lang=en").get_data(as_text=True)


def test_staff_cannot_ask_and_the_zip_of_an_erased_startup_is_gone(app, client, login_as, create_user, db):
    judge = create_user(roles=["applicant", "judge"])
    login_as(client, judge)
    page = client.get("/account/privacy?lang=en").get_data(as_text=True)
    assert "Accounts with a judge, mentor or director role are closed by the programme team." in page
    response = post_form(client, "/account/privacy/deletion?lang=en", {"understood": "y"}, page="/account/privacy")
    assert response.status_code == 400
    with zipfile.ZipFile(io.BytesIO(client.get("/account/privacy/data.zip").data)) as archive:
        assert "decks/" not in " ".join(archive.namelist())


def test_a_teammate_on_another_startup_keeps_their_place_there(app, client, login_as, world, db):
    from incubator.auth.models import User
    from incubator.startups.models import Startup, TeamMember

    name, email, phone = pw.PARTNER
    with app.app_context():
        other = _db.session.get(Startup, world.base.startups[0])
        other.members.append(TeamMember(name=name, role="CTO", email=email, phone=phone))
        _db.session.commit()
    request_id = _ask(client, login_as, world, db)
    login_as(client, db.scalar(select(User).where(User.id == world.base.director_id)))
    post_form(client, f"/privacy/requests/{request_id}", {"approve": "y"})
    members = db.scalars(select(TeamMember).order_by(TeamMember.id))
    assert [(m.startup_id, m.name, m.email, m.phone) for m in members] == [
        (world.startup_id, "***", "", ""),
        (world.startup_id, "***", "", ""),
        (world.base.startups[0], name, email, phone),
    ]
    assert personal_cells(app, [pw.NAME, pw.EMAIL, pw.PHONE]) == []
