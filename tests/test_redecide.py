"""A decided round keeps the figures it was decided on; a conflict found later is shown with the
director's choice to re-decide: a preview of what would change, then the round closed again with
its figures computed anew, the decisions made staying as they were."""

import re

import pytest
from sqlalchemy import select

from incubator.audit.models import AuditEvent
from incubator.extensions import db as _db
from incubator.judging.models import Decision, Round
from tests import read_model_world as w
from tests.conftest import csrf_token

MARKS = [("5", "5"), ("4", "4"), ("3", "3"), ("2", "2"), ("1", "1"), ("3", "3")]


@pytest.fixture
def decided(app, create_user, create_cohort):
    """The read-model world's round scored by four judges, decided (three advance), then judge 3
    (Dewi) becomes the mentor of GamelanVerse, whose lenient sheet of hers counted."""
    world = w.build(app, create_user, create_cohort)
    for judge in range(4):
        for application, mark in enumerate(MARKS):
            lenient = ("5", "5") if judge == 3 and application == 1 else mark
            assert w.act(app, lambda j=judge, a=application, m=lenient: w.save(world, j, a, m, submit=True))
    assert w.act(app, lambda: w.phase(world, "closed"))
    for application in range(len(MARKS)):
        outcome = "advance" if application < 3 else "not_selected"
        assert w.act(app, lambda a=application, o=outcome: w.decide(world, a, o))
    assert w.act(app, lambda: w.phase(world, "decided"))
    assert w.act(app, lambda: w.mentor(world, 3, 1))
    return world


def _director(app, world):
    from incubator.auth.models import User

    with app.app_context():
        director = _db.session.get(User, world.director_id)
        _db.session.expunge(director)
    return director


def test_the_ranking_offers_to_re_decide_and_the_preview_shows_what_would_change(app, client, login_as, decided):
    login_as(client, _director(app, decided))
    ranking = client.get(f"/rounds/{decided.round_id}/ranking?lang=en").get_data(as_text=True)
    assert f'href="/rounds/{decided.round_id}/redecide"' in ranking
    assert "Conflict found after the decision" in ranking
    page = client.get(f"/rounds/{decided.round_id}/redecide?lang=en").get_data(as_text=True)
    late = re.search(r'<ul class="plain-list" id="late-sheets">(.*?)</ul>', page, re.S).group(1)
    assert re.sub(r"<[^>]+>", "", late).split("\n")[1].strip() == (
        "Dewi Lestari · GamelanVerse: Conflict of interest: The judge mentors this startup."
    )
    rows = re.findall(
        r"<tr>\s*<td>([^<]+)</td>\s*<td class=\"num\">([^<]+)</td>\s*<td class=\"num\">([^<]+)</td>", page
    )
    # GamelanVerse loses Dewi's 100 (its raw mean 81.25 becomes 75.00, still second); the raw
    # scores of the others do not move.
    gamelan = [row for row in rows if row[0] == "GamelanVerse"]
    assert gamelan == [("GamelanVerse", "2 → 2", "81.25 → 75.00")]
    assert all(raw.split(" → ")[0] == raw.split(" → ")[1] for name, _, raw in rows if name != "GamelanVerse")
    with app.app_context():  # looking changed nothing
        assert _db.session.get(Round, decided.round_id).phase == "decided"


def test_re_deciding_closes_the_round_and_stores_the_figures_of_the_data_now(app, client, login_as, db, decided):
    login_as(client, _director(app, decided))
    before = w.stored(app, decided.round_id)
    url = f"/rounds/{decided.round_id}/redecide"
    response = client.post(url + "?lang=en", data={"csrf_token": csrf_token(client, url)})
    assert (response.status_code, response.headers["Location"]) == (302, f"/rounds/{decided.round_id}/decisions")
    assert db.scalar(select(Round.phase).where(Round.id == decided.round_id)) == "closed"
    after = w.stored(app, decided.round_id)
    assert after != before
    assert after[0][decided.apps[1]][:4][0] == 75.0  # raw
    w.assert_matches(app, decided.round_id)  # no longer frozen: equal to the data now
    assert len(db.scalars(select(Decision).where(Decision.round_id == decided.round_id))) == 6  # kept
    event = db.scalars(select(AuditEvent).where(AuditEvent.action == "round.phase_changed"))[-1]
    assert (event.data["from_phase"], event.data["to_phase"]) == ("decided", "closed")


def test_only_a_decided_round_can_be_re_decided(app, client, login_as, create_user, create_cohort):
    world = w.build(app, create_user, create_cohort)
    login_as(client, _director(app, world))
    assert client.get(f"/rounds/{world.round_id}/redecide?lang=en").status_code == 404
