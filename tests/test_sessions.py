"""Sessions and single-use links, beyond tests/test_auth.py and tests/test_ratelimit.py.

Already covered there: the session id changes on sign-in, sign-out ends a copied cookie, a password
change signs out other devices, a reset link is single-use (GET) and expires (GET), a director's
invitation is single-use (GET), and the sign-in limit is shared by two app objects whose counters
are in Redis. Here: a cookie planted before sign-in stays anonymous and each sign-in makes a new
server-side key; sign-out ends only its own device; used and expired links refuse the POST too and
change nothing; invitations (by a director, and to founders by the CSV import) are single-use, expire
after 7 days and are replaced by a new one; and two worker processes configured only by REDIS_URL
share the sign-in counters.
"""

import os
import subprocess
import sys
import uuid
from datetime import timedelta
from pathlib import Path

import pytest
import redis
from sqlalchemy import select

from incubator.auth.access import SESSION_KEY
from incubator.auth.models import User, UserSession, UserToken
from incubator.core.database import utcnow
from tests import test_import_pages
from tests.conftest import DEFAULT_PASSWORD, link_in, path_of, post_form
from tests.test_auth import _login
from tests.test_import_pages import import_file, make_csv

# The fixtures of the import pages: a signed-in director and a cohort to import into.
director, cohort_id = test_import_pages.director, test_import_pages.cohort_id

ROOT = Path(__file__).resolve().parent.parent
NEW_PASSWORD = "Wedang-Ronde-2026"
OTHER_PASSWORD = "Serabi-Notosuman-9"
USED = "Tautan ini sudah pernah digunakan. Minta tautan baru jika Anda masih memerlukannya."
EXPIRED = "Tautan ini sudah kedaluwarsa. Minta tautan baru."
NOT_VALID = "Tautan ini tidak valid. Minta tautan baru."


def session_key(client) -> str | None:
    with client.session_transaction() as sess:
        return sess.get(SESSION_KEY)


def signed_in(client) -> bool:
    """Whether the browser is signed in: a page for any signed-in user opens (anonymous: sent to sign in)."""
    return client.get("/auth/password").status_code == 200


def set_password(client, path: str, password: str):
    """POST a new password to a reset or invitation link (the CSRF token from the sign-in page, as
    a used link shows no form)."""
    return post_form(client, path, {"password": password, "confirm": password}, page="/auth/login")


def token_of(db, email: str) -> UserToken:
    return db.scalar(select(UserToken).join(User).where(User.email == email).order_by(UserToken.id.desc()))


def expire_tokens(db, email: str) -> None:
    with db.session() as session:
        for token in session.scalars(select(UserToken).join(User).where(User.email == email)):
            token.expires_at = utcnow() - timedelta(seconds=1)


def problem_page(response) -> tuple[int, str]:
    page = response.get_data(as_text=True)
    return response.status_code, page[page.index("<h1>") : page.index("</p>", page.index("<h1>")) + 4]


def refused(message: str) -> tuple[int, str]:
    return 400, f"<h1>Tautan tidak dapat digunakan</h1>\n  <p>{message}</p>"


# --- sessions ---------------------------------------------------------------------------------------


def test_a_cookie_planted_before_sign_in_stays_anonymous(client, make_client, create_user, db):
    create_user(email="fixation@example.org")
    client.get("/auth/login")
    planted = client.get_cookie("session").value  # what an attacker could have set in the victim's browser
    assert _login(client, "fixation@example.org").status_code == 302
    attacker = make_client()
    attacker.set_cookie("session", planted)
    assert not signed_in(attacker)
    assert signed_in(client)
    assert client.get_cookie("session").value != planted


def test_every_sign_in_makes_a_new_server_side_key_and_the_old_one_ends(client, create_user, db):
    create_user(email="again@example.org")
    keys = []
    for _ in range(3):
        assert _login(client, "again@example.org").status_code == 302
        keys.append(session_key(client))
        post_form(client, "/auth/logout", page="/")
    assert len(set(keys)) == 3
    assert db.scalars(select(UserSession.key)) == []
    # A sign-in on a browser still holding an ended key (signed out elsewhere) removes nothing else.
    assert _login(client, "again@example.org").status_code == 302
    assert db.scalars(select(UserSession.key)) == [session_key(client)]


def test_sign_out_ends_only_this_device(make_client, create_user, db):
    create_user(email="devices@example.org")
    phone, laptop = make_client(), make_client()
    _login(phone, "devices@example.org")
    _login(laptop, "devices@example.org")
    phone_cookie = phone.get_cookie("session").value
    post_form(phone, "/auth/logout", page="/")
    copy = make_client()
    copy.set_cookie("session", phone_cookie)
    assert (signed_in(phone), signed_in(copy), signed_in(laptop)) == (False, False, True)
    assert db.scalars(select(UserSession.key)) == [session_key(laptop)]


def test_password_change_elsewhere_ends_copied_cookies_too(make_client, create_user):
    create_user(email="elsewhere@example.org")
    phone, laptop = make_client(), make_client()
    _login(phone, "elsewhere@example.org")
    _login(laptop, "elsewhere@example.org")
    stolen = make_client()
    stolen.set_cookie("session", phone.get_cookie("session").value)
    assert signed_in(stolen)
    form = {"current": DEFAULT_PASSWORD, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD}
    assert post_form(laptop, "/auth/password", form).status_code == 302
    assert (signed_in(phone), signed_in(stolen), signed_in(laptop)) == (False, False, True)
    assert _login(make_client(), "elsewhere@example.org").status_code == 200  # the old password is refused


# --- password-reset links ---------------------------------------------------------------------------


def reset_link(client, outbox, email: str) -> str:
    post_form(client, "/auth/reset", {"email": email})
    return path_of(link_in(outbox()[-1].body))


def test_reset_link_lasts_two_hours(client, create_user, outbox, db):
    create_user(email="twohours@example.org")
    reset_link(client, outbox, "twohours@example.org")
    token = token_of(db, "twohours@example.org")
    assert token.expires_at - token.created_at == timedelta(hours=2)


def test_used_reset_link_refuses_a_second_password(client, make_client, create_user, outbox):
    create_user(email="replay@example.org")
    link = reset_link(client, outbox, "replay@example.org")
    assert set_password(client, link, NEW_PASSWORD).status_code == 302
    assert problem_page(set_password(make_client(), link, OTHER_PASSWORD)) == refused(USED)
    assert _login(make_client(), "replay@example.org", OTHER_PASSWORD).status_code == 200  # not changed
    assert _login(make_client(), "replay@example.org", NEW_PASSWORD).status_code == 302


def test_expired_reset_link_refuses_the_new_password(client, make_client, create_user, outbox, db):
    create_user(email="expired@example.org")
    link = reset_link(client, outbox, "expired@example.org")
    expire_tokens(db, "expired@example.org")
    assert problem_page(set_password(client, link, NEW_PASSWORD)) == refused(EXPIRED)
    assert _login(make_client(), "expired@example.org").status_code == 302  # the old password still works


def test_reset_link_of_another_purpose_or_made_up_is_refused(client, create_user, outbox):
    create_user(email="purpose@example.org")
    token = reset_link(client, outbox, "purpose@example.org").rsplit("/", 1)[1]
    assert problem_page(client.get(f"/auth/invitation/{token}")) == refused(NOT_VALID)
    assert problem_page(client.get("/auth/reset/" + "A" * 43)) == refused(NOT_VALID)


# --- invitations --------------------------------------------------------------------------------------


def invite(client, email: str) -> None:
    form = {"name": "Sri Wahyuni", "email": email, "roles": ["judge"], "locale": "id"}
    assert post_form(client, "/admin/users/invite", form).status_code == 302


def invitation_link(outbox, email: str) -> str:
    return path_of(link_in([m for m in outbox() if m.recipient == email][-1].body))


def test_director_invitation_lasts_seven_days_and_is_single_use(client, make_client, login_as, outbox, db):
    login_as(client, "director")
    invite(client, "juri@univ.example")
    token = token_of(db, "juri@univ.example")
    assert token.expires_at - token.created_at == timedelta(days=7)
    link = invitation_link(outbox, "juri@univ.example")
    assert set_password(make_client(), link, NEW_PASSWORD).status_code == 302
    assert problem_page(set_password(make_client(), link, OTHER_PASSWORD)) == refused(USED)
    assert _login(make_client(), "juri@univ.example", NEW_PASSWORD).status_code == 302


def test_expired_director_invitation_is_refused_and_a_new_one_replaces_it(client, make_client, login_as, outbox, db):
    login_as(client, "director")
    invite(client, "mentor@univ.example")
    old = invitation_link(outbox, "mentor@univ.example")
    expire_tokens(db, "mentor@univ.example")
    guest = make_client()
    assert problem_page(guest.get(old)) == refused(EXPIRED)
    assert problem_page(set_password(guest, old, NEW_PASSWORD)) == refused(EXPIRED)
    assert db.scalar(select(User.password_hash).where(User.email == "mentor@univ.example")) is None

    user_id = db.scalar(select(User.id).where(User.email == "mentor@univ.example"))
    assert post_form(client, f"/admin/users/{user_id}/invite-again", page=f"/admin/users/{user_id}").status_code == 302
    new = invitation_link(outbox, "mentor@univ.example")
    assert new != old
    assert problem_page(guest.get(old)) == refused(NOT_VALID)  # the old link is gone, not just expired
    assert set_password(guest, new, NEW_PASSWORD).status_code == 302


def test_founder_invitation_from_the_csv_import_is_single_use_and_expires(
    client, make_client, director, cohort_id, outbox, db
):
    rows = [
        ["18/12/2021 09:00:00", "rina@lurik.id", "Rina", "Batik Lurik", "75jt", ""],
        ["18/12/2021 09:05:00", "dimas@gamelan.id", "Dimas", "Gamelanverse", "Rp 50.000.000", ""],
    ]
    import_file(client, cohort_id, make_csv(rows))
    assert sorted(m.kind for m in outbox()) == ["imported_application", "imported_application"]
    token = token_of(db, "rina@lurik.id")
    assert (token.purpose, token.expires_at - token.created_at) == ("invite", timedelta(days=7))

    rina = invitation_link(outbox, "rina@lurik.id")
    assert set_password(make_client(), rina, NEW_PASSWORD).status_code == 302
    assert problem_page(set_password(make_client(), rina, OTHER_PASSWORD)) == refused(USED)
    founder = make_client()
    assert _login(founder, "rina@lurik.id", NEW_PASSWORD).status_code == 302
    assert "Batik Lurik" in founder.get("/applications").get_data(as_text=True)

    dimas = invitation_link(outbox, "dimas@gamelan.id")
    expire_tokens(db, "dimas@gamelan.id")
    assert problem_page(set_password(make_client(), dimas, NEW_PASSWORD)) == refused(EXPIRED)
    assert db.scalar(select(User.password_hash).where(User.email == "dimas@gamelan.id")) is None


# --- sign-in limits across worker processes -------------------------------------------------------------

REDIS_URL = "redis://127.0.0.1:6379/14"
# One worker process: the app as deployed (DevelopmentConfig from the environment, so the limiter's
# storage comes from REDIS_URL), signing in with a wrong password N times; prints the statuses.
WORKER = """
import sys
from config import DevelopmentConfig
from incubator import create_app
from tests.conftest import post_form

class Worker(DevelopmentConfig):
    RATELIMIT_KEY_PREFIX = sys.argv[1]  # keeps parallel test runs apart

client = create_app(Worker).test_client()
form = {"email": sys.argv[2], "password": "wrong-pass-1"}
print(" ".join(str(post_form(client, "/auth/login", form).status_code) for _ in range(int(sys.argv[3]))))
"""


@pytest.fixture
def redis_db():
    try:
        connection = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1)
        connection.ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("no Redis on 127.0.0.1:6379")
    return connection


def test_worker_processes_configured_by_redis_url_share_the_sign_in_limit(redis_db, database_url, tmp_path):
    prefix = f"test-sessions-{uuid.uuid4().hex}"
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("MAIL_", "FLASK_", "RATELIMIT", "LOGIN_"))},
        "REDIS_URL": REDIS_URL,
        "DATABASE_URL": database_url,
        "SECRET_KEY": "workers-share-this-key",
        "UPLOAD_FOLDER": str(tmp_path),
        "PYTHONPATH": str(ROOT),
    }

    def worker(attempts: int) -> str:
        run = subprocess.run(
            [sys.executable, "-c", WORKER, prefix, "shared@example.org", str(attempts)],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        )
        return run.stdout.strip()

    try:
        # The account allows 5 attempts a minute: 3 in one process, then the 6th overall is refused in the other.
        assert (worker(3), worker(3)) == ("200 200 200", "200 200 429")
        assert redis_db.keys(f"*{prefix}*") != []
    finally:
        keys = redis_db.keys(f"*{prefix}*")
        if keys:
            redis_db.delete(*keys)


def test_a_pages_background_requests_leave_the_session_cookie_to_the_pages(client, create_user):
    """A page the person opens sends the cookie back (its expiry moves on); what a page's script asks
    in the background (Sec-Fetch-Mode: cors) sends no cookie unless it changed the session. The
    browser keeps whichever cookie arrives last, so a pitch-day poll that began before a Submit and
    ended after it must not put back the session it began with: the Submit's message would be lost."""
    create_user(email="poll@example.org")
    _login(client, "poll@example.org")
    page = client.get("/auth/password")
    assert page.status_code == 200 and page.headers["Set-Cookie"].startswith("session=")
    before_submit = client.get_cookie("session").value
    with client.session_transaction() as sess:  # what a Submit leaves: its message to show next
        sess["_flashes"] = [("success", "Your scores for Batik Lurik are submitted and locked.")]
    after_submit = client.get_cookie("session").value
    assert after_submit != before_submit

    # The poll was sent with the cookie of before the Submit; its answer arrives after it.
    poll = client.application.test_client()
    poll.set_cookie("session", before_submit)
    answer = poll.get("/auth/password", headers={"Sec-Fetch-Mode": "cors"})
    assert answer.status_code == 200 and "Set-Cookie" not in answer.headers
    opened = client.get("/auth/password", headers={"Sec-Fetch-Mode": "navigate"})
    assert "Your scores for Batik Lurik are submitted and locked." in opened.get_data(as_text=True)
    assert opened.headers["Set-Cookie"].startswith("session=")


def test_a_background_request_that_changes_the_session_still_sends_it(client, create_user):
    create_user(email="poll2@example.org")
    _login(client, "poll2@example.org")  # a new session: no form's token in it yet
    with client.session_transaction() as sess:
        assert "csrf_token" not in sess
    answer = client.get("/auth/password", headers={"Sec-Fetch-Mode": "cors"})  # its form adds the token
    assert answer.headers["Set-Cookie"].startswith("session=")
    with client.session_transaction() as sess:
        assert sess["csrf_token"] and sess.get(SESSION_KEY)
