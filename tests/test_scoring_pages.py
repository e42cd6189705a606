"""The judge's queue and scoring page, the director's sheet list and reopening, and reminders."""

import re
from datetime import UTC, datetime, timedelta
from decimal import Decimal as D
from io import BytesIO
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from incubator.audit.models import AuditEvent
from incubator.extensions import db as _db
from incubator.judging.models import Assignment, ConflictDeclaration, Round, Score, ScoreSheet
from incubator.judging.ranking import results
from tests.conftest import CSRF_RE, DEFAULT_PASSWORD, post_form

STALE = (
    "This sheet was changed in another window or device since you opened it. Reload the page to see the "
    "latest version; your entries are shown so you can copy them."
)
NOT_ASSIGNED = "This application is not assigned to you."
DEADLINE = datetime(2099, 3, 9, 10, 30, tzinfo=UTC)  # 17.30 WIB
SAVED_AT = re.compile(r"Saved at \d\d\.\d\d")


def build_world(
    app,
    create_user,
    create_cohort,
    *,
    opens=None,
    closes=DEADLINE,
    see_after_close=False,
    phase="open",
    extra_applications=0,
):
    """An open round "Seleksi pitch" with two criteria (Problem: 1-5, weight 2, described levels;
    Team: 0-10 by 2.5, weight 1), two submitted applications (Batik Lurik, with a deck, and
    GamelanVerse), two judges assigned to both, and a third judge assigned to nothing."""
    from incubator.applications.models import Application
    from incubator.applications.uploads import store_deck
    from incubator.cohorts.models import Cohort
    from incubator.cohorts.services import change_stage
    from incubator.core.database import utcnow
    from incubator.judging.rounds import services
    from incubator.judging.rounds.rubric import Scale
    from incubator.startups.models import Startup, TeamMember

    made = create_cohort()
    judges = [
        create_user(email="sari@gmail.com", name="Sari Wulandari", roles=["judge"], locale="en"),
        create_user(email="budi@yahoo.co.id", name="Budi Santoso", roles=["judge"], locale="id"),
    ]
    outsider = create_user(email="rina@gmail.com", name="Rina Outsider", roles=["judge"], locale="en")
    founder = create_user(email="founder@batiklurik.example", name="Dimas", roles=["applicant"])
    with app.test_request_context("/?lang=en"):
        actor = _db.session.merge(made.director)
        cohort = _db.session.get(Cohort, made.id)
        round_ = services.save_round(
            None,
            cohort,
            name="Seleksi pitch",
            decides_stage="applied",
            scoring_opens_at=opens,
            scoring_closes_at=closes,
            judges_per_application=2,
            ranking_basis="raw",
            judges_see_scores_after_close=see_after_close,
            disagreement_threshold=D(15),
            actor=actor,
        )
        problem = services.save_criterion(
            round_.rubric,
            None,
            name="Problem",
            description="How real and painful is the problem?",
            weight=D(2),
            scale=Scale(D(1), D(5), D(1)),
            descriptors={D(1): "No evidence", D(5): "Proven with paying customers"},
            actor=actor,
        )
        team = services.save_criterion(
            round_.rubric,
            None,
            name="Team",
            description="",
            weight=D(1),
            scale=Scale(D(0), D(10), D("2.5")),
            descriptors={D(0): "Nobody full-time", D(10): "A complete team"},
            actor=actor,
        )
        applications = []
        names = ["Batik Lurik", "GamelanVerse"] + [f"Startup {i:02d}" for i in range(extra_applications)]
        for i, name in enumerate(names):
            startup = Startup(name=name, city="Surakarta", owner_id=founder.id if i == 0 else None)
            startup.members = [TeamMember(name="Dimas", role="CEO", email=f"dimas{i}@startup{i}.example")]
            _db.session.add(startup)
            application = Application(
                startup=startup,
                cohort=cohort,
                status="submitted",
                submitted_at=utcnow(),
                problem="Batik makers lose 30% of their cloth to bad dyes.",
                solution="Natural dye kits.",
                target_market="Batik workshops in Solo",
                business_model="Subscription",
                traction="12 paying workshops",
                why_programme="Mentors in crafts",
                funding_need=150_000_000,
                video_url="https://video.example/batik",
            )
            if i == 0:
                application.deck_path = store_deck(BytesIO(b"%PDF-1.4 deck of Batik Lurik"))
                application.deck_filename = "batik-lurik.pdf"
                application.deck_size = 28
            _db.session.add(application)
            _db.session.flush()
            change_stage(startup, cohort, "applied", None, system=True)
            applications.append(application)
        for judge in judges:
            for application in applications:
                _db.session.add(Assignment(round_id=round_.id, application_id=application.id, judge_id=judge.id))
        if phase != "draft":
            services.set_phase(round_, "open", actor)
        if phase in ("closed", "decided"):
            services.set_phase(round_, "closed", actor)
        _db.session.commit()
        return SimpleNamespace(
            round=round_.id,
            cohort=made.id,
            apps=[a.id for a in applications],
            problem=problem.id,
            team=team.id,
            judges=judges,
            outsider=outsider,
            founder=founder,
            director=made.director,
        )


def set_phase(app, world, phase):
    from incubator.judging.rounds import services

    with app.test_request_context("/?lang=en"):
        services.set_phase(_db.session.get(Round, world.round), phase, _db.session.merge(world.director))
        _db.session.commit()


def save(app, world, judge=0, application=0, problem="4", team="7.5", comment="", submit=False, version=None):
    """A sheet saved through the service, as another device would; returns the new version."""
    from incubator.applications.models import Application
    from incubator.auth.models import User
    from incubator.judging.sheets.services import Entry, find_sheet, save_sheet

    with app.test_request_context("/?lang=en"):
        judge_id, application_id = world.judges[judge].id, world.apps[application]
        if version is None:
            sheet = find_sheet(world.round, application_id, judge_id)
            version = sheet.version if sheet else 0
        sheet = save_sheet(
            world.round,
            _db.session.get(Application, application_id),
            _db.session.get(User, judge_id),
            {world.problem: Entry(problem, comment), world.team: Entry(team, "")},
            overall_comment=f"Overall {comment}",
            recommendation="advance",
            expected_version=version,
            submit=submit,
        )
        _db.session.commit()
        return sheet.version


def score_url(world, application=0):
    return f"/rounds/{world.round}/applications/{world.apps[application]}/score"


def version_on(page: str) -> str:
    return re.search(r'name="version"[^>]*value="(\d+)"', page).group(1)


def form_data(world, version, problem="4", team="", problem_comment="", overall="", recommendation="", **extra):
    data = {
        "version": str(version),
        f"comment_{world.problem}": problem_comment,
        f"comment_{world.team}": "",
        "overall_comment": overall,
    }
    if problem:
        data[f"score_{world.problem}"] = problem
    if team:
        data[f"score_{world.team}"] = team
    if recommendation:
        data["recommendation"] = recommendation
    data.update(extra)
    return data


def sheet_of(db, world, judge=0, application=0):
    return db.scalar(
        select(ScoreSheet).where(
            ScoreSheet.round_id == world.round,
            ScoreSheet.judge_id == world.judges[judge].id,
            ScoreSheet.application_id == world.apps[application],
        )
    )


def values_of(db, sheet_id):
    return {s.criterion_id: (s.value, s.comment) for s in db.scalars(select(Score).where(Score.sheet_id == sheet_id))}


@pytest.fixture
def world(app, create_user, create_cohort):
    return build_world(app, create_user, create_cohort)


@pytest.fixture
def judge(client, login_as, world):
    """The first judge, signed in, pages in English."""
    login_as(client, world.judges[0])
    client.get("/?lang=en")
    return world.judges[0]


# --- the queue -------------------------------------------------------------------------------


def _queue_items(page: str) -> list[tuple[str, str]]:
    """(startup, status) for each application in the queue, in order."""
    items = re.findall(r'<h2 class="queue-name">([^<]+)</h2>.*?<span class="tag[^"]*">([^<]+)</span>', page, re.S)
    return [(name, status) for name, status in items]


def test_queue_lists_assigned_applications_with_status_progress_and_deadline(app, client, judge, world):
    save(app, world, application=1, problem="3", team="")  # GamelanVerse: a draft
    page = client.get(f"/rounds/{world.round}/queue").get_data(as_text=True)
    assert "<h1>Your queue: Seleksi pitch</h1>" in page
    assert _queue_items(page) == [("Batik Lurik", "Not started"), ("GamelanVerse", "Draft")]
    assert "0 of 2 submitted" in page
    assert '<progress id="queue-progress" max="2" value="0">' in page
    assert '<dd class="deadline">9 Mar 2099 17.30 WIB</dd>' in page
    assert "not set – 9 Mar 2099 17.30 WIB" in page
    assert f'href="{score_url(world, 0)}">Score<span class="visually-hidden"> Batik Lurik</span></a>' in page
    assert f'href="{score_url(world, 1)}">Continue scoring<' in page
    assert f'action="/rounds/{world.round}/applications/{world.apps[0]}/conflict"' in page

    save(app, world, application=0, submit=True)
    page = client.get(f"/rounds/{world.round}/queue").get_data(as_text=True)
    assert _queue_items(page) == [("Batik Lurik", "Submitted"), ("GamelanVerse", "Draft")]
    assert "1 of 2 submitted" in page
    assert f'href="{score_url(world, 0)}">View your scores<' in page


def test_queue_of_a_draft_or_decided_round_is_not_found(app, client, login_as, create_user, create_cohort):
    world = build_world(app, create_user, create_cohort, phase="draft")
    login_as(client, world.judges[0])
    assert client.get(f"/rounds/{world.round}/queue").status_code == 404
    assert client.get(score_url(world)).status_code == 404
    assert client.get(f"/rounds/{world.round + 1000}/queue").status_code == 404
    set_phase(app, world, "open")
    set_phase(app, world, "closed")
    assert client.get(f"/rounds/{world.round}/queue").status_code == 200
    set_phase(app, world, "decided")
    assert client.get(f"/rounds/{world.round}/queue").status_code == 404
    assert client.get(score_url(world)).status_code == 404


def test_queue_of_a_judge_without_assignments_says_so(client, login_as, world):
    login_as(client, world.outsider)
    page = client.get(f"/rounds/{world.round}/queue?lang=en").get_data(as_text=True)
    assert "No application is assigned to you in this round yet." in page
    assert "<progress" not in page


def test_queue_and_scoring_page_show_a_declared_conflict(app, client, judge, world, db):
    with db.session() as session:
        session.add(
            ConflictDeclaration(
                round_id=world.round,
                application_id=world.apps[1],
                judge_id=judge.id,
                source="judge",
                reason="I mentor GamelanVerse",
            )
        )
        results.refresh_rounds([world.round])  # as the conflicts' service does
    page = client.get(f"/rounds/{world.round}/queue").get_data(as_text=True)
    assert _queue_items(page) == [("Batik Lurik", "Not started"), ("GamelanVerse", "Conflict declared")]
    assert "Reason: I mentor GamelanVerse You do not score this application." in page
    assert "0 of 1 submitted" in page
    assert f'href="{score_url(world, 1)}"' not in page

    page = client.get(score_url(world, 1)).get_data(as_text=True)
    assert "You have a conflict of interest with this startup, so you cannot score it." in page
    assert 'id="scoring-form"' not in page
    response = post_form(client, score_url(world, 1), form_data(world, 0, team="5"), page=score_url(world, 0))
    assert "You have a conflict of interest with this startup, so you cannot score it." in response.get_data(
        as_text=True
    )
    assert sheet_of(db, world, application=1) is None


def test_home_lists_your_judging(app, client, judge, world):
    save(app, world, application=0, submit=True)
    page = client.get("/").get_data(as_text=True)
    assert '<h2 id="home-judge">Your judging</h2>' in page
    assert f'<a href="/rounds/{world.round}/queue">Seleksi pitch · Hetero for Startup Solo 2026</a>' in page
    assert "1 of 2 submitted" in page
    assert "Deadline: 9 Mar 2099 17.30 WIB" in page


def test_home_of_a_judge_without_rounds_keeps_the_old_message(client, login_as):
    login_as(client, "judge")
    page = client.get("/?lang=en").get_data(as_text=True)
    assert "The applications assigned to you appear here when a round opens for scoring." in page


# --- the scoring page --------------------------------------------------------------------------


def test_scoring_page_shows_the_pitch_deck_video_and_rubric(client, judge, world):
    page = client.get(score_url(world)).get_data(as_text=True)
    assert "<h1>Batik Lurik</h1>" in page
    assert "Batik makers lose 30% of their cloth to bad dyes." in page
    assert "<dd>Rp 150,000,000</dd>" in page
    assert f'<a href="/applications/{world.apps[0]}/deck">batik-lurik.pdf</a>' in page
    assert 'href="https://video.example/batik" rel="noopener noreferrer nofollow"' in page
    assert '<span class="score-name">1. Problem</span>' in page
    assert '<span class="score-share">66.67 of 100 points</span>' in page
    assert '<span class="score-share">33.33 of 100 points</span>' in page
    assert "How real and painful is the problem?" in page
    assert (
        f'<input type="radio" id="score-{world.problem}-5" name="score_{world.problem}" value="5">'
        f'\n            <label for="score-{world.problem}-5"><span class="level-value">5</span> '
        f'<span class="level-text">Proven with paying customers</span></label>'
    ) in page
    assert f'name="score_{world.team}" value="2.5"' in page
    assert f'<label for="comment_{world.team}">Comment on Team</label>' in page
    assert '<input id="version" name="version" type="hidden" value="0">' in page
    assert 'value="Save draft"' in page and 'value="Submit"' in page
    assert '<script src="/static/js/scoring.js" defer></script>' in page
    assert 'role="status" aria-live="polite"' in page


def test_save_draft_without_javascript_keeps_a_partial_sheet(client, judge, world, db):
    response = post_form(
        client,
        score_url(world),
        form_data(world, 0, problem="4", problem_comment="Clear pain", overall="Promising", save="Save draft"),
    )
    assert response.status_code == 302
    assert response.headers["Location"] == score_url(world)
    sheet = sheet_of(db, world)
    assert (sheet.status, sheet.overall_comment, sheet.recommendation) == ("draft", "Promising", None)
    assert values_of(db, sheet.id) == {world.problem: (D("4.00"), "Clear pain"), world.team: (None, "")}
    page = client.get(score_url(world)).get_data(as_text=True)
    assert SAVED_AT.search(page)
    assert f'name="score_{world.problem}" value="4" checked>' in page
    assert f'name="score_{world.team}" value="2.5">' in page
    assert "Clear pain</textarea>" in page
    assert version_on(page) == str(sheet.version)
    assert '<span class="tag tag-warn">Draft</span>' in page


def test_submit_requires_every_criterion_keeps_the_typing_and_saves_a_draft(client, judge, world, db):
    data = form_data(world, 0, problem="4", problem_comment="Clear pain", submit_sheet="Submit")
    response = post_form(client, score_url(world), data)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<p>Give a score for every criterion before submitting: Team.</p>" in page
    assert "<p>What you entered is saved as a draft.</p>" in page
    assert f'name="score_{world.problem}" value="4" checked>' in page
    assert "Clear pain</textarea>" in page
    sheet = sheet_of(db, world)
    assert sheet.status == "draft"
    assert version_on(page) == str(sheet.version)
    assert values_of(db, sheet.id)[world.problem] == (D("4.00"), "Clear pain")

    data = form_data(world, sheet.version, problem="4", team="7.5", recommendation="maybe", submit_sheet="Submit")
    response = post_form(client, score_url(world), data)
    assert response.status_code == 302
    assert response.headers["Location"] == f"/rounds/{world.round}/queue"
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Your scores for Batik Lurik are submitted and locked." in page
    sheet = sheet_of(db, world)
    assert (sheet.status, sheet.recommendation) == ("final", "maybe")
    assert values_of(db, sheet.id) == {world.problem: (D("4.00"), ""), world.team: (D("7.50"), "")}


def test_submitted_sheet_is_read_only(app, client, judge, world, db):
    save(app, world, problem="5", team="10", comment="Paying customers already", submit=True)
    sheet = sheet_of(db, world)
    page = client.get(score_url(world)).get_data(as_text=True)
    assert 'id="scoring-form"' not in page
    assert "scoring.js" not in page
    assert "The sheet is locked; a director can reopen it if something must change." in page
    assert "<strong>5</strong> · Proven with paying customers" in page
    assert "<strong>10</strong> · A complete team" in page
    assert '<p class="prewrap comment">Paying customers already</p>' in page
    assert "<dt>Recommendation</dt><dd>Advance</dd>" in page

    response = post_form(client, score_url(world), form_data(world, sheet.version, problem="1", team="0"))
    assert "This sheet is submitted and locked. Ask a director to reopen it." in response.get_data(as_text=True)
    assert values_of(db, sheet.id)[world.problem] == (D("5.00"), "Paying customers already")


def test_values_off_the_scale_are_refused(client, judge, world, db):
    response = post_form(client, score_url(world), form_data(world, 0, problem="6"))
    assert "Problem: give a score from 1 to 5 in steps of 1." in response.get_data(as_text=True)
    response = post_form(client, score_url(world), form_data(world, 0, problem="4", team="3"))
    assert "Team: give a score from 0 to 10 in steps of 2.5." in response.get_data(as_text=True)
    assert sheet_of(db, world) is None


def test_a_stale_save_from_a_second_tab_is_refused_and_keeps_the_typing(app, client, judge, world, db):
    save(app, world, problem="3", team="5")
    first = version_on(client.get(score_url(world)).get_data(as_text=True))
    second = first  # the second tab shows the same version
    response = post_form(client, score_url(world), form_data(world, first, problem="4", problem_comment="Tab one"))
    assert response.status_code == 302
    response = post_form(client, score_url(world), form_data(world, second, problem="1", problem_comment="Tab two"))
    page = response.get_data(as_text=True)
    assert f"<p>{STALE}</p>" in page
    assert "Tab two</textarea>" in page  # what the second tab typed is still there to copy
    assert version_on(page) == second
    sheet = sheet_of(db, world)
    assert values_of(db, sheet.id)[world.problem] == (D("4.00"), "Tab one")


def test_autosave_answers_json(app, client, judge, world, db):
    headers = {"X-Requested-With": "fetch", "Accept": "application/json"}
    response = post_form(client, score_url(world), form_data(world, 0, problem="2"), headers=headers)
    assert response.status_code == 200
    answer = response.get_json()
    sheet = sheet_of(db, world)
    assert set(answer) == {"status", "version", "message"}
    assert (answer["status"], answer["version"]) == ("saved", sheet.version)
    assert SAVED_AT.fullmatch(answer["message"])
    assert sheet.status == "draft"

    # A fetch never submits, even if the submit button's name is in the data.
    data = form_data(world, sheet.version, problem="3", team="5", submit_sheet="Submit")
    answer = post_form(client, score_url(world), data, headers=headers).get_json()
    assert answer["status"] == "saved"
    assert sheet_of(db, world).status == "draft"

    response = post_form(client, score_url(world), form_data(world, sheet.version, problem="5"), headers=headers)
    assert response.status_code == 409
    assert response.get_json() == {"status": "refused", "version": sheet.version, "message": STALE}
    assert values_of(db, sheet.id)[world.problem][0] == D("3.00")

    response = post_form(client, score_url(world), form_data(world, answer["version"], problem="9"), headers=headers)
    assert response.get_json() == {
        "status": "refused",
        "version": answer["version"],
        "message": "Problem: give a score from 1 to 5 in steps of 1.",
    }


def test_autosave_with_an_expired_form_answers_json(client, judge, world):
    headers = {"X-Requested-With": "fetch", "Accept": "application/json"}
    response = client.post(score_url(world), data=form_data(world, 0), headers=headers)
    assert response.status_code == 400
    assert response.get_json()["status"] == "error"


@pytest.mark.parametrize(
    ("opens", "closes", "message"),
    [
        (timedelta(days=1), timedelta(days=2), "Scoring has not started yet for this round."),
        (timedelta(days=-2), timedelta(days=-1), "The scoring window of this round has ended; nothing was changed."),
    ],
)
def test_scoring_outside_the_window_is_refused(
    app, client, login_as, create_user, create_cohort, db, opens, closes, message
):
    from incubator.core.database import utcnow

    now = utcnow()
    world = build_world(app, create_user, create_cohort, opens=now + opens, closes=now + closes)
    login_as(client, world.judges[0])
    page = client.get(score_url(world) + "?lang=en").get_data(as_text=True)
    assert f'<p class="notice">{message}</p>' in page
    assert 'id="scoring-form"' not in page
    assert "How real and painful is the problem?" in page  # the criteria can be read beforehand
    token = CSRF_RE.search(client.get("/").get_data(as_text=True)).group(1)
    response = client.post(score_url(world), data={**form_data(world, 0, problem="4"), "csrf_token": token})
    page = response.get_data(as_text=True)
    assert f"<p>{message}</p>" in page
    assert f'name="score_{world.problem}" value="4" checked>' in page
    assert sheet_of(db, world) is None


def test_a_closed_round_refuses_saves_and_shows_the_draft_read_only(app, client, judge, world, db):
    save(app, world, problem="3", team="", comment="Half done")
    version = sheet_of(db, world).version
    set_phase(app, world, "closed")
    page = client.get(score_url(world)).get_data(as_text=True)
    assert '<p class="notice">Scoring is closed for this round; nothing was changed.</p>' in page
    assert "Draft: not submitted." in page
    assert '<p class="prewrap comment">Half done</p>' in page
    response = post_form(client, score_url(world), form_data(world, version, problem="5"), page="/")
    assert "<p>Scoring is closed for this round; nothing was changed.</p>" in response.get_data(as_text=True)
    assert values_of(db, sheet_of(db, world).id)[world.problem] == (D("3.00"), "Half done")


def test_an_unassigned_judge_is_refused_with_a_clear_404(client, login_as, world, db):
    login_as(client, world.outsider)
    for url in (score_url(world), f"/rounds/{world.round}/applications/999999/score"):
        response = client.get(url + "?lang=en")
        assert response.status_code == 404
        assert NOT_ASSIGNED in response.get_data(as_text=True)
    response = post_form(client, score_url(world), form_data(world, 0), page="/")
    assert response.status_code == 404
    assert db.scalar(select(ScoreSheet)) is None


def test_other_roles_cannot_open_the_judge_pages(client, login_as, world):
    login_as(client, world.director)
    assert client.get(f"/rounds/{world.round}/queue").status_code == 403
    assert client.get(score_url(world)).status_code == 403
    login_as(client, world.founder)
    assert client.get(score_url(world)).status_code == 403


def test_an_assigned_judge_may_open_the_application_and_its_deck(app, client, login_as, world):
    login_as(client, world.judges[0])
    page = client.get(f"/applications/{world.apps[0]}?lang=en").get_data(as_text=True)
    assert "Batik makers lose 30% of their cloth to bad dyes." in page
    deck = client.get(f"/applications/{world.apps[0]}/deck")
    assert (deck.status_code, deck.data) == (200, b"%PDF-1.4 deck of Batik Lurik")

    login_as(client, world.outsider)  # a judge, but not assigned
    assert client.get(f"/applications/{world.apps[0]}").status_code == 404
    assert client.get(f"/applications/{world.apps[0]}/deck").status_code == 404

    login_as(client, world.founder)  # the founder keeps access
    assert client.get(f"/applications/{world.apps[0]}/deck").status_code == 200

    login_as(client, world.judges[0])
    set_phase(app, world, "closed")
    assert client.get(f"/applications/{world.apps[0]}/deck").status_code == 200
    set_phase(app, world, "decided")
    assert client.get(f"/applications/{world.apps[0]}").status_code == 404
    assert client.get(f"/applications/{world.apps[0]}/deck").status_code == 404


def test_a_judge_whose_round_is_still_a_draft_cannot_open_the_application(
    app, client, login_as, create_user, create_cohort
):
    world = build_world(app, create_user, create_cohort, phase="draft")
    login_as(client, world.judges[0])
    assert client.get(f"/applications/{world.apps[0]}").status_code == 404
    assert client.get(f"/applications/{world.apps[0]}/deck").status_code == 404


def test_other_judges_scores_are_shown_after_closing_only_when_the_round_allows_it(
    app, client, login_as, create_user, create_cohort
):
    world = build_world(app, create_user, create_cohort, see_after_close=True)
    save(app, world, judge=0, submit=True, comment="Mine")
    save(app, world, judge=1, problem="2", team="5", submit=True, comment="KOMENTAR-BUDI")
    login_as(client, world.judges[0])
    assert "KOMENTAR-BUDI" not in client.get(score_url(world) + "?lang=en").get_data(as_text=True)
    set_phase(app, world, "closed")
    page = client.get(score_url(world)).get_data(as_text=True)
    assert '<h2 id="others-h">Other judges\' scores</h2>' in page
    assert "<h3>Judge A</h3>" in page
    assert '<p class="prewrap comment">KOMENTAR-BUDI</p>' in page
    assert "Budi" not in page


# --- the director: sheets and reopening --------------------------------------------------------


def test_director_sees_the_sheets_and_reopens_a_submitted_one(app, client, login_as, world, db):
    save(app, world, judge=0, submit=True)
    save(app, world, judge=1, application=1, problem="2", team="")
    login_as(client, world.director)
    page = client.get(f"/rounds/{world.round}/sheets?lang=en").get_data(as_text=True)
    assert "<h1>Score sheets: Seleksi pitch</h1>" in page
    assert "2 sheets" in page
    rows = re.findall(
        r'<tr id="sheet-(\d+)">\s*<td>([^<]+)</td>\s*<td>([^<]+)<br>.*?<span class="tag[^"]*">(\w+)', page, re.S
    )
    final = sheet_of(db, world, judge=0)
    draft = sheet_of(db, world, judge=1, application=1)
    assert rows == [
        (str(final.id), "Batik Lurik", "Sari Wulandari", "Submitted"),
        (str(draft.id), "GamelanVerse", "Budi Santoso", "Draft"),
    ]
    assert page.count(">Reopen<") == 1
    assert f'action="/rounds/{world.round}/sheets/{final.id}/reopen"' in page

    filtered = client.get(f"/rounds/{world.round}/sheets?status=draft").get_data(as_text=True)
    assert "1 sheet" in filtered and "GamelanVerse" in filtered and "Batik Lurik" not in filtered

    response = post_form(
        client, f"/rounds/{world.round}/sheets/{final.id}/reopen", page=f"/rounds/{world.round}/sheets"
    )
    assert response.status_code == 302
    assert response.headers["Location"] == f"/rounds/{world.round}/sheets#sheet-{final.id}"
    assert "The sheet is reopened: its judge can change it and submit it again." in client.get(
        f"/rounds/{world.round}/sheets"
    ).get_data(as_text=True)
    reopened = sheet_of(db, world, judge=0)
    assert (reopened.status, reopened.submitted_at) == ("draft", None)
    event_ = db.scalar(select(AuditEvent).where(AuditEvent.action == "sheet.reopened"))
    assert (event_.object_id, event_.actor_id) == (final.id, world.director.id)

    # Reopening it again is refused with the reason.
    post_form(client, f"/rounds/{world.round}/sheets/{final.id}/reopen", page=f"/rounds/{world.round}/sheets")
    assert "This sheet is not submitted." in client.get(f"/rounds/{world.round}/sheets").get_data(as_text=True)

    # The judge can change it again.
    login_as(client, world.judges[0])
    page = client.get(score_url(world) + "?lang=en").get_data(as_text=True)
    assert 'id="scoring-form"' in page
    response = post_form(client, score_url(world), form_data(world, reopened.version, problem="1", team="0"))
    assert response.status_code == 302


def test_reopening_needs_an_open_round_and_the_right_round(app, client, login_as, create_user, create_cohort, db):
    world = build_world(app, create_user, create_cohort)
    save(app, world, judge=0, submit=True)
    final = sheet_of(db, world, judge=0)
    login_as(client, world.director)
    client.get("/?lang=en")
    assert post_form(client, f"/rounds/999999/sheets/{final.id}/reopen", page="/").status_code == 404
    assert post_form(client, f"/rounds/{world.round}/sheets/999999/reopen", page="/").status_code == 404
    set_phase(app, world, "closed")
    post_form(client, f"/rounds/{world.round}/sheets/{final.id}/reopen", page="/")
    page = client.get(f"/rounds/{world.round}/sheets").get_data(as_text=True)
    assert "A sheet can be reopened only while its round is open for scoring." in page
    assert ">Reopen<" not in page
    assert sheet_of(db, world, judge=0).status == "final"


# --- reminders ----------------------------------------------------------------------------------


def test_director_reminds_judges_with_unfinished_sheets(app, client, login_as, world, db, outbox):
    save(app, world, judge=0, application=0, submit=True)  # Sari has one left, Budi two
    with db.session() as session:  # a conflict does not count as work left
        session.add(
            ConflictDeclaration(
                round_id=world.round,
                application_id=world.apps[1],
                judge_id=world.judges[0].id,
                source="judge",
                reason="x",
            )
        )
    login_as(client, world.director)
    client.get("/?lang=en")
    page = client.get(f"/rounds/{world.round}").get_data(as_text=True)
    assert f'action="/rounds/{world.round}/remind"' in page
    response = post_form(client, f"/rounds/{world.round}/remind", page=f"/rounds/{world.round}")
    assert response.headers["Location"] == f"/rounds/{world.round}"
    assert "A reminder was sent to 1 judge." in client.get(f"/rounds/{world.round}").get_data(as_text=True)
    messages = outbox()
    assert [(m.recipient, m.kind) for m in messages] == [("budi@yahoo.co.id", "judge_reminder")]

    with db.session() as session:  # Sari's sheet reopened: she has work again
        sheet = session.get(ScoreSheet, sheet_of(db, world, judge=0).id)
        sheet.status, sheet.submitted_at = "draft", None
    post_form(client, f"/rounds/{world.round}/remind", page=f"/rounds/{world.round}")
    # Budi was reminded a moment ago: only Sari gets one (tests/test_judge_reminders.py).
    assert (
        "A reminder was sent to 1 judge. 1 judge was already reminded in the last 24 hours and was not e-mailed again."
        in client.get(f"/rounds/{world.round}").get_data(as_text=True)
    )
    assert [m.recipient for m in outbox()] == ["budi@yahoo.co.id", "sari@gmail.com"]
    sari = outbox()[-1]
    assert sari.recipient == "sari@gmail.com"
    assert sari.subject == "Reminder: 1 application left to score in Seleksi pitch"
    assert sari.body == (
        "Hello Sari Wulandari,\n\n"
        "You are a judge in the round Seleksi pitch of Hetero for Startup Solo 2026.\n"
        "1 of the 1 applications assigned to you is not submitted yet.\n"
        "Please submit your scores before 9 Mar 2099 17.30 WIB.\n"
        "Your queue, with every application to score:\n\n"
        f"http://localhost/rounds/{world.round}/queue\n\n"
        "If you have a conflict of interest with a startup, declare it from your queue instead of scoring it.\n\n"
        "-- \nHetero Incubator · Hetero Space\n"
    )
    budi = outbox()[-2]
    assert budi.body.startswith("Halo Budi Santoso,\n")  # in the judge's own language
    events = db.scalars(select(AuditEvent).where(AuditEvent.action == "round.judges_reminded").order_by(AuditEvent.id))
    assert [(e.object_id, e.actor_id, e.data["judges"]) for e in events] == [
        (world.round, world.director.id, 1),
        (world.round, world.director.id, 1),
    ]


def test_reminders_need_an_open_round(app, client, login_as, create_user, create_cohort, outbox):
    world = build_world(app, create_user, create_cohort, phase="draft")
    login_as(client, world.director)
    client.get("/?lang=en")
    page = client.get(f"/rounds/{world.round}").get_data(as_text=True)
    assert "/remind" not in page
    post_form(client, f"/rounds/{world.round}/remind", page=f"/rounds/{world.round}")
    assert "Reminders can be sent only while the round is open for scoring." in client.get(
        f"/rounds/{world.round}"
    ).get_data(as_text=True)
    assert outbox() == []


def test_reminders_when_every_sheet_is_in(app, client, login_as, world, outbox):
    for judge in (0, 1):
        for application in (0, 1):
            save(app, world, judge=judge, application=application, submit=True)
    login_as(client, world.director)
    client.get("/?lang=en")
    post_form(client, f"/rounds/{world.round}/remind", page=f"/rounds/{world.round}")
    assert "Every judge has submitted every sheet: no reminder was needed." in client.get(
        f"/rounds/{world.round}"
    ).get_data(as_text=True)
    assert outbox() == []


def test_send_reminders_command(app, world, outbox, create_user, create_cohort):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["send-reminders"])
    assert result.exit_code == 0, result.output
    assert result.output == f"Round {world.round} (Seleksi pitch): 2 judge(s) reminded\n"
    assert sorted(m.recipient for m in outbox()) == ["budi@yahoo.co.id", "sari@gmail.com"]
    assert f"http://localhost/rounds/{world.round}/queue" in outbox()[0].body

    result = runner.invoke(args=["send-reminders", "--round", str(world.round)])
    assert (result.exit_code, result.output) == (
        0,
        f"Round {world.round} (Seleksi pitch): 0 judge(s) reminded, 2 already reminded in the last 24 h\n",
    )
    assert len(outbox()) == 2
    app.config["JUDGE_REMINDER_INTERVAL_HOURS"] = 0  # a scheduler that may remind at every run
    result = runner.invoke(args=["send-reminders", "--round", str(world.round)])
    assert (result.exit_code, result.output) == (0, f"Round {world.round} (Seleksi pitch): 2 judge(s) reminded\n")
    assert len(outbox()) == 4

    result = runner.invoke(args=["send-reminders", "--round", "999999"])
    assert result.exit_code == 1
    assert "No round with id 999999." in result.output

    set_phase(app, world, "closed")
    result = runner.invoke(args=["send-reminders"])
    assert (result.exit_code, result.output) == (0, "No round is open for scoring.\n")
    result = runner.invoke(args=["send-reminders", "--round", str(world.round)])
    assert result.exit_code == 1
    assert "Reminders can be sent only while the round is open for scoring." in result.output
    assert len(outbox()) == 4


def test_typing_sent_after_the_session_ended_is_put_back(app, client, login_as, world, db):
    login_as(client, world.judges[0])
    client.get("/?lang=en")
    token = CSRF_RE.search(client.get(score_url(world)).get_data(as_text=True)).group(1)
    with client.session_transaction() as sess:  # the session ends (signed out on another device)
        sess.clear()
    response = client.post(
        score_url(world),
        data={**form_data(world, 0, problem="4", problem_comment="Typed offline"), "csrf_token": token},
    )
    assert response.status_code in (302, 400)
    assert sheet_of(db, world) is None
    post_form(client, "/auth/login", {"email": "sari@gmail.com", "password": DEFAULT_PASSWORD})
    page = client.get(score_url(world)).get_data(as_text=True)
    assert "What you typed before your session ended has been put back. Check it and save." in page
    assert f'name="score_{world.problem}" value="4" checked>' in page
    assert "Typed offline</textarea>" in page


@pytest.mark.parametrize("walk", [True, False], ids=["walking the names", "sorting the assignments"])
def test_queue_is_paginated_and_counts_every_application(app, client, judge, world, db, monkeypatch, walk):
    """The same pages whether the page's startups are picked by walking the startups' name index
    or by sorting the judge's assignments (judging.sheets.queue._page_rows)."""
    from incubator.judging.sheets import queue
    from incubator.startups.models import Startup

    monkeypatch.setattr(queue, "by_name_walk_pays", lambda assigned: walk)
    with db.session() as session:  # startups the judge is not given, before, between and after theirs
        session.add_all([Startup(name="Abon Sapi"), Startup(name="Bolu Kukus"), Startup(name="Wingko")])
    app.config["PER_PAGE"] = 1
    first = client.get(f"/rounds/{world.round}/queue").get_data(as_text=True)
    assert _queue_items(first) == [("Batik Lurik", "Not started")]
    assert "Page 1 of 2" in first and "0 of 2 submitted" in first
    assert f'href="/rounds/{world.round}/queue?page=2" rel="next"' in first
    second = client.get(f"/rounds/{world.round}/queue?page=2").get_data(as_text=True)
    assert _queue_items(second) == [("GamelanVerse", "Not started")]
    assert "Page 2 of 2" in second and "0 of 2 submitted" in second
    assert _queue_items(client.get(f"/rounds/{world.round}/queue?page=99").get_data(as_text=True)) == [
        ("GamelanVerse", "Not started")
    ]


def _conflict_tokens(page: str) -> list[str]:
    """The CSRF tokens of the queue's conflict forms."""
    return re.findall(r'/conflict">\s*<input type="hidden" name="csrf_token" value="([^"]+)"', page)


def test_a_queue_is_each_judges_own_and_carries_each_requests_token(app, client, login_as, judge, world):
    """The cards are written for each request, for its judge, with the request's CSRF token, and
    show a change on the next view."""
    address = f"/rounds/{world.round}/queue?lang=en"
    page = client.get(address).get_data(as_text=True)
    tokens = _conflict_tokens(page)
    assert len(tokens) == 2
    declared = client.post(
        f"/rounds/{world.round}/applications/{world.apps[1]}/conflict",
        data={"csrf_token": tokens[1], "reason": "I mentor GamelanVerse"},
    )
    assert declared.status_code == 302
    page = client.get(address).get_data(as_text=True)
    assert _queue_items(page) == [("Batik Lurik", "Not started"), ("GamelanVerse", "Conflict declared")]
    assert len(_conflict_tokens(page)) == 1

    login_as(client, world.judges[1])
    page = client.get(address).get_data(as_text=True)
    assert _queue_items(page) == [("Batik Lurik", "Not started"), ("GamelanVerse", "Not started")]
    assert len(_conflict_tokens(page)) == 2
