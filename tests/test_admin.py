"""Directors invite people, manage roles and accounts; every change is audited."""

from sqlalchemy import select

from incubator.audit.models import AuditEvent
from incubator.auth.models import User, UserSession
from tests.conftest import link_in, path_of, post_form


def _actions(db):
    return [(e.action, e.object_id) for e in db.scalars(select(AuditEvent).order_by(AuditEvent.id))]


def test_director_invites_a_judge_who_sets_a_password(client, make_client, login_as, outbox, db):
    director = login_as(client, "director")
    response = post_form(
        client,
        "/admin/users/invite",
        {"name": "Sri Wahyuni", "email": "sri@univ.example", "roles": ["judge", "mentor"], "locale": "en"},
    )
    invited = db.scalar(select(User).where(User.email == "sri@univ.example"))
    assert response.status_code == 302
    assert response.headers["Location"] == f"/admin/users/{invited.id}"
    assert invited.roles == {"judge", "mentor"}
    assert invited.password_hash is None

    (mail,) = outbox()
    assert mail.recipient == "sri@univ.example"
    assert mail.subject == "You are invited to Hetero Incubator"
    assert f"{director.name} invites you to Hetero for Startup as: Judge, Mentor." in mail.body

    guest = make_client()
    invitation = path_of(link_in(mail.body))
    page = guest.get(invitation).get_data(as_text=True)
    assert "sri@univ.example" in page
    done = post_form(guest, invitation, {"password": "Wedang-Jahe-2026", "confirm": "Wedang-Jahe-2026"})
    assert done.status_code == 302
    signed_in = post_form(guest, "/auth/login", {"email": "sri@univ.example", "password": "Wedang-Jahe-2026"})
    assert signed_in.status_code == 302
    assert guest.get(invitation).status_code == 400  # single use
    assert ("user.invited", invited.id) in _actions(db)
    assert ("user.invitation_accepted", invited.id) in _actions(db)


def test_invite_refuses_existing_email_and_keeps_the_form(client, login_as, create_user):
    login_as(client, "director")
    create_user(email="dup@example.org")
    response = post_form(
        client, "/admin/users/invite", {"name": "Dup Person", "email": "dup@example.org", "roles": ["judge"]}
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Akun dengan alamat e-mail ini sudah ada." in page
    assert 'value="Dup Person"' in page


def test_invite_needs_a_role(client, login_as):
    login_as(client, "director")
    response = post_form(client, "/admin/users/invite", {"name": "No Role", "email": "norole@example.org"})
    assert "Kolom ini wajib diisi." in response.get_data(as_text=True)


def test_grant_and_revoke_roles_are_audited(client, login_as, create_user, db):
    director = login_as(client, "director")
    user = create_user(email="roles@example.org", roles=["judge"])
    url = f"/admin/users/{user.id}"
    assert post_form(client, f"{url}/roles/grant", {"role": "mentor"}, page=url).status_code == 302
    assert post_form(client, f"{url}/roles/revoke", {"role": "judge"}, page=url).status_code == 302
    assert db.scalar(select(User).where(User.id == user.id)).roles == {"mentor"}
    events = db.scalars(select(AuditEvent).where(AuditEvent.action.like("user.role_%")).order_by(AuditEvent.id))
    assert [(e.action, e.actor_id, e.data) for e in events] == [
        ("user.role_granted", director.id, {"role": "mentor"}),
        ("user.role_revoked", director.id, {"role": "judge"}),
    ]


def test_unknown_role_is_refused(client, login_as, create_user):
    login_as(client, "director")
    user = create_user()
    url = f"/admin/users/{user.id}"
    response = post_form(client, f"{url}/roles/grant", {"role": "superuser"}, page=url, follow_redirects=True)
    assert "Formulir tidak dapat dikirim" in response.get_data(as_text=True)


def test_director_cannot_remove_own_director_role(client, login_as, db):
    director = login_as(client, "director")
    url = f"/admin/users/{director.id}"
    response = post_form(client, f"{url}/roles/revoke", {"role": "director"}, page=url, follow_redirects=True)
    assert "Anda tidak dapat mencabut peran direktur Anda sendiri" in response.get_data(as_text=True)
    assert "director" in db.scalar(select(User).where(User.id == director.id)).roles


def test_deactivation_signs_the_user_out_everywhere(client, make_client, login_as, create_user, db):
    login_as(client, "director")
    user = create_user(email="bye@example.org", roles=["judge"])
    judge_client = make_client()
    login_as(judge_client, user)
    assert judge_client.get("/auth/password").status_code == 200
    url = f"/admin/users/{user.id}"
    assert post_form(client, f"{url}/deactivate", page=url).status_code == 302
    assert judge_client.get("/auth/password").status_code == 302
    assert db.scalars(select(UserSession).where(UserSession.user_id == user.id)) == []
    assert post_form(client, f"{url}/activate", page=url).status_code == 302
    assert db.scalar(select(User.active).where(User.id == user.id)) is True
    assert [a for a, _ in _actions(db) if a.startswith("user.") and "activ" in a] == [
        "user.deactivated",
        "user.activated",
    ]


def test_director_cannot_deactivate_self(client, login_as):
    director = login_as(client, "director")
    url = f"/admin/users/{director.id}"
    response = post_form(client, f"{url}/deactivate", page=url, follow_redirects=True)
    assert "Anda tidak dapat menonaktifkan akun Anda sendiri." in response.get_data(as_text=True)


def test_user_list_search_and_role_filter(client, login_as, create_user):
    login_as(client, "director")
    create_user(email="siti@example.org", name="Siti Aminah", roles=["judge"])
    create_user(email="joko@example.org", name="Joko Susilo", roles=["mentor"])
    page = client.get("/admin/users?q=siti").get_data(as_text=True)
    assert "Siti Aminah" in page
    assert "Joko Susilo" not in page
    page = client.get("/admin/users?role=mentor").get_data(as_text=True)
    assert "Joko Susilo" in page
    assert "Siti Aminah" not in page


def test_user_list_is_paginated(client, login_as, create_user, app):
    app.config["PER_PAGE"] = 2
    login_as(client, "director")
    for i in range(3):
        create_user(email=f"p{i}@example.org", name=f"Person {i}")
    first = client.get("/admin/users?lang=en").get_data(as_text=True)
    assert "Page 1 of 2" in first
    assert "4 accounts" in first
    second = client.get("/admin/users?page=2&lang=en").get_data(as_text=True)
    assert "Page 2 of 2" in second


def test_outbox_page_lists_messages(client, login_as, outbox):
    login_as(client, "director")
    post_form(client, "/admin/users/invite", {"name": "Out Box", "email": "out@example.org", "roles": ["mentor"]})
    (mail,) = outbox()
    page = client.get("/admin/outbox").get_data(as_text=True)
    assert mail.subject in page
    assert "out@example.org" in page
    detail = client.get(f"/admin/outbox/{mail.id}").get_data(as_text=True)
    assert "/auth/invitation/" in detail
    assert client.get("/admin/outbox/9999").status_code == 404


def test_audit_page_lists_events(client, login_as, create_user):
    login_as(client, "director")
    create_user(email="aud@example.org")
    page = client.get("/admin/audit?lang=en").get_data(as_text=True)
    assert "Account created" in page
    assert "Signed in" in page
