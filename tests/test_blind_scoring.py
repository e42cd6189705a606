"""Blind scoring: while a round is open a judge never sees another judge's scores or comments,
on any page or export a judge can reach; after closing neither, when the round does not allow it.

Two judges score the same application with distinctive comments and values; each judge then
opens EVERY GET route of the app (filled with this world's ids), the access matrix's URLs, and
sends the scoring page's POSTs, and the other judge's marks must appear nowhere."""

import io
import itertools
import re
import zipfile

import pytest
from sqlalchemy import select

from incubator.cohorts.models import CohortStartup
from incubator.judging.models import Rubric, ScoreSheet
from incubator.startups.models import TeamMember
from tests.access_cases import collect
from tests.conftest import CSRF_RE
from tests.test_scoring_pages import build_world, save, score_url, set_phase

MATRIX, _PUBLIC = collect()

# What each judge wrote (criterion comments; `save` writes the overall comment as "Overall <comment>"),
# and how their values would show on a page (a value with its level's descriptor).
MARKS = {
    0: ["ZEBRA-COMMENT-J1", "ZEBRA-DRAFT-J1", "<strong>5</strong> · Proven with paying customers"],
    1: ["ZEBRA-COMMENT-J2", "ZEBRA-DRAFT-J2", "<strong>1</strong> · No evidence", "<strong>2.5</strong>"],
}


@pytest.fixture
def world(app, create_user, create_cohort, db):
    world = build_world(app, create_user, create_cohort, see_after_close=False)
    # Both judges submit Batik Lurik with very different values and comments...
    save(app, world, judge=0, application=0, problem="5", team="10", comment="ZEBRA-COMMENT-J1", submit=True)
    save(app, world, judge=1, application=0, problem="1", team="2.5", comment="ZEBRA-COMMENT-J2", submit=True)
    # ...and keep a draft of GamelanVerse.
    save(app, world, judge=0, application=1, problem="4", team="", comment="ZEBRA-DRAFT-J1")
    save(app, world, judge=1, application=1, problem="2", team="", comment="ZEBRA-DRAFT-J2")
    world.sheets = [s.id for s in db.scalars(select(ScoreSheet).order_by(ScoreSheet.id))]
    world.rubric = db.scalar(select(Rubric.id).where(Rubric.round_id == world.round))
    world.members = [m.id for m in db.scalars(select(TeamMember).order_by(TeamMember.id))]
    world.memberships = [c.id for c in db.scalars(select(CohortStartup).order_by(CohortStartup.id))]
    world.startups = [c.startup_id for c in db.scalars(select(CohortStartup).order_by(CohortStartup.id))]
    return world


def _candidates(world) -> dict[str, list]:
    """Values to put in each URL argument: every object of this world a judge might reach."""
    return {
        "round_id": [world.round],
        "application_id": world.apps,
        "cohort_id": [world.cohort],
        "user_id": [j.id for j in world.judges] + [world.outsider.id, world.director.id],
        "startup_id": world.startups,
        "sheet_id": world.sheets,
        "rubric_id": [world.rubric],
        "criterion_id": [world.problem, world.team],
        "member_id": world.members,
        "cohort_startup_id": world.memberships,
        "message_id": [1],
        "space_id": [1],
        "focus_area_id": [1],
        "token": ["x"],
    }


def _every_get_url(app, world) -> list[str]:
    candidates = _candidates(world)
    urls = set()
    with app.test_request_context():
        from flask import url_for

        for rule in app.url_map.iter_rules():
            if "GET" not in rule.methods or rule.endpoint == "static":
                continue
            names = sorted(rule.arguments)
            for values in itertools.product(*(candidates.get(name, [1]) for name in names)):
                urls.add(url_for(rule.endpoint, **dict(zip(names, values, strict=True))))
    ids = _MatrixIds(
        round_id=world.round,
        application_id=world.apps[0],
        cohort_id=world.cohort,
        user_id=world.judges[1].id,
        startup_id=world.startups[0],
        rubric_id=world.rubric,
        criterion_id=world.problem,
        member_id=world.members[0],
        cohort_startup_id=world.memberships[0],
    )
    urls.update(url.format_map(ids) for method, url, _expected in MATRIX if method == "GET")
    return sorted(urls)


def _text(response) -> str:
    """A response's text; for an XLSX export the text of every part of the workbook."""
    if response.data[:2] == b"PK":
        with zipfile.ZipFile(io.BytesIO(response.data)) as book:
            return "".join(book.read(name).decode("utf-8", "replace") for name in book.namelist())
    return response.data.decode("utf-8", "replace")


class _MatrixIds(dict):
    def __missing__(self, key):
        return 1


def _assert_blind(client, app, world, me: int, phase: str):
    other = 1 - me
    hidden = MARKS[other]
    reached = {}
    for url in _every_get_url(app, world):
        response = client.get(url, follow_redirects=True)
        body = _text(response)
        for mark in hidden:
            assert mark not in body, f"judge {me + 1} sees {mark!r} at {url} ({phase})"
        reached[url] = response.status_code

    # The pages a judge uses most answer, so the walk above did look at real content.
    expected = {
        "/": 200,
        f"/rounds/{world.round}/queue": 200 if phase != "decided" else 404,
        score_url(world, 0): 200 if phase != "decided" else 404,
        score_url(world, 1): 200 if phase != "decided" else 404,
        f"/applications/{world.apps[0]}": 200 if phase != "decided" else 404,
        f"/applications/{world.apps[0]}/deck": 200 if phase != "decided" else 404,
    }
    assert {url: reached[url] for url in expected} == expected

    # The scoring page's own answers to a save (a page, and the JSON of an autosave).
    token = CSRF_RE.search(client.get("/").get_data(as_text=True)).group(1)
    for application in (0, 1):
        data = {"csrf_token": token, "version": "1", f"score_{world.problem}": "3", "overall_comment": "mine"}
        for headers in ({}, {"X-Requested-With": "fetch", "Accept": "application/json"}):
            body = client.post(score_url(world, application), data=data, headers=headers).get_data(as_text=True)
            for mark in hidden:
                assert mark not in body, f"judge {me + 1} sees {mark!r} after saving ({phase})"
    assert client.get(f"/rounds/{world.round}/queue").status_code == (200 if phase != "decided" else 404)


@pytest.mark.parametrize("me", [0, 1])
def test_a_judge_never_sees_another_judges_scores(app, client, login_as, world, me):
    login_as(client, world.judges[me])
    client.get("/?lang=en")
    own = client.get(score_url(world, 0)).get_data(as_text=True)
    assert f"ZEBRA-COMMENT-J{me + 1}" in own  # each judge does see their own sheet
    _assert_blind(client, app, world, me, "open")

    set_phase(app, world, "closed")  # the round does not let judges see each other's scores
    _assert_blind(client, app, world, me, "closed")
    assert "Other judges" not in client.get(score_url(world, 0)).get_data(as_text=True)

    set_phase(app, world, "decided")
    _assert_blind(client, app, world, me, "decided")


def test_the_walk_covers_every_get_route(app, world):
    urls = _every_get_url(app, world)
    with app.test_request_context():
        adapter = app.url_map.bind("localhost")
        endpoints = {adapter.match(re.sub(r"\?.*", "", url), method="GET")[0] for url in urls}
    every = {r.endpoint for r in app.url_map.iter_rules() if "GET" in r.methods and r.endpoint != "static"}
    assert every - endpoints == set()
