"""The director's round pages and the rubric builder, through the forms a browser sends."""

import re
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from sqlalchemy import select

from incubator.audit.models import AuditEvent
from incubator.judging.models import Criterion, CriterionLevel, Round, Rubric
from tests.conftest import post_form

FROZEN = "The round is open for scoring, so judges' scores may already depend on it."
SERVICE_FROZEN = "This rubric is frozen: its round has opened for scoring, so scores may already depend on it."

ROUND_FORM = {
    "name": "Pitch selection",
    "decides_stage": "applied",
    "scoring_opens_at": "2026-03-02T09:00",
    "scoring_closes_at": "2026-03-09T17:30",
    "judges_per_application": "3",
    "ranking_basis": "normalized",
    "judges_see_scores_after_close": "y",
    "disagreement_threshold": "12.5",
}


@pytest.fixture
def director(client, login_as):
    user = login_as(client, "director")
    client.get("/?lang=en")  # remembered in a cookie: English text can be asserted
    return user


@pytest.fixture
def cohort_id(create_cohort, director):
    return create_cohort(
        "Hetero for Startup Semarang 2026",
        areas=[("digital", "Startup digital", "Digital startups")],
        space="Hetero Space Semarang",
        required_attendance=4,
        closes_at=None,
        director=director,
    ).id


@pytest.fixture
def round_(client, db, cohort_id):
    """A draft round made through the form; returns (round id, rubric id)."""
    response = post_form(client, f"/cohorts/{cohort_id}/rounds/new", ROUND_FORM)
    round_id = int(response.headers["Location"].rsplit("/", 1)[1])
    rubric_id = db.scalar(select(Rubric.id).where(Rubric.round_id == round_id))
    return round_id, rubric_id


def _add(client, rubric_id, name, weight, low="1", high="5", step="1", description=""):
    data = {"name": name, "description": description, "weight": weight}
    data.update(scale_min=low, scale_max=high, scale_step=step)
    return post_form(client, f"/rubrics/{rubric_id}/criteria/new", data)


def _criteria(db, rubric_id):
    return [
        (c.name, c.position, c.weight)
        for c in db.scalars(select(Criterion).where(Criterion.rubric_id == rubric_id).order_by(Criterion.position))
    ]


def _criterion_id(db, name):
    return db.scalar(select(Criterion.id).where(Criterion.name == name))


def _levels(db, criterion_id):
    return [
        (lv.value, lv.descriptor)
        for lv in db.scalars(
            select(CriterionLevel).where(CriterionLevel.criterion_id == criterion_id).order_by(CriterionLevel.value)
        )
    ]


def _text(response) -> str:
    return response.get_data(as_text=True)


def _flashes(page: str) -> list[str]:
    return re.findall(r'<p class="flash flash-\w+">(.*?)</p>', page)


def _open(client, round_id):
    # Confirmed: this cohort still takes applications (tests/test_round_opening.py asks first).
    return post_form(client, f"/rounds/{round_id}/phase", {"phase": "open", "confirm": "1"}, page=f"/rounds/{round_id}")


# --- rounds ---------------------------------------------------------------------


def test_round_is_created_with_times_typed_in_wib(client, db, cohort_id):
    page = _text(client.get(f"/cohorts/{cohort_id}/rounds/new"))
    assert '<option value="applied">Applied → Pre-incubation</option>' in page
    assert '<option value="pre_incubation">Pre-incubation → Incubation</option>' in page
    assert '<option value="incubation">Incubation → Graduated</option>' in page
    assert 'name="judges_per_application" type="number" value="3"' in page
    assert 'name="disagreement_threshold" step="any" type="number" value="15.0"' in page

    response = post_form(client, f"/cohorts/{cohort_id}/rounds/new", ROUND_FORM)

    round_ = db.scalar(select(Round))
    assert response.status_code == 302
    assert response.headers["Location"] == f"/rounds/{round_.id}"
    assert round_.scoring_opens_at == datetime(2026, 3, 2, 2, 0, tzinfo=UTC)
    assert round_.scoring_closes_at == datetime(2026, 3, 9, 10, 30, tzinfo=UTC)
    assert (round_.name, round_.decides_stage, round_.phase, round_.cohort_id) == (
        "Pitch selection",
        "applied",
        "draft",
        cohort_id,
    )
    assert (round_.judges_per_application, round_.ranking_basis, round_.judges_see_scores_after_close) == (
        3,
        "normalized",
        True,
    )
    assert round_.disagreement_threshold == Decimal("12.50")
    assert db.scalar(select(Rubric.name).where(Rubric.round_id == round_.id)) == "Pitch selection"

    detail = _text(client.get(f"/rounds/{round_.id}"))
    assert _flashes(detail) == ["The round has been created. Now build its rubric."]
    assert "<h1>Pitch selection</h1>" in detail
    assert f'<a href="/cohorts/{cohort_id}">Hetero for Startup Semarang 2026</a>' in detail
    assert "2 Mar 2026 09.00 WIB – 9 Mar 2026 17.30 WIB" in detail
    assert "<dd>Applied → Pre-incubation</dd>" in detail
    assert "<dd>Normalised scores</dd>" in detail
    assert "<dd>12.50 points</dd>" in detail
    assert f'href="/rubrics/{db.scalar(select(Rubric.id))}"' in detail
    assert f'href="/rounds/{round_.id}/edit"' in detail


def test_round_edit_shows_wib_and_saves_the_changes(client, db, round_):
    round_id, _ = round_
    page = _text(client.get(f"/rounds/{round_id}/edit"))
    assert 'name="scoring_opens_at" type="datetime-local" value="2026-03-02T09:00"' in page
    assert 'name="scoring_closes_at" type="datetime-local" value="2026-03-09T17:30"' in page
    assert 'name="disagreement_threshold" step="any" type="number" value="12.5"' in page

    changed = dict(ROUND_FORM, name="Demo day", decides_stage="pre_incubation", scoring_opens_at="")
    changed.pop("judges_see_scores_after_close")
    changed.update(judges_per_application="2", ranking_basis="raw", scoring_closes_at="2026-12-31T23:59")
    response = post_form(client, f"/rounds/{round_id}/edit", changed)

    assert response.headers["Location"] == f"/rounds/{round_id}"
    saved = db.scalar(select(Round).where(Round.id == round_id))
    assert (saved.name, saved.decides_stage, saved.judges_per_application, saved.ranking_basis) == (
        "Demo day",
        "pre_incubation",
        2,
        "raw",
    )
    assert saved.scoring_opens_at is None
    assert saved.scoring_closes_at == datetime(2026, 12, 31, 16, 59, tzinfo=UTC)
    assert saved.judges_see_scores_after_close is False
    assert [
        e.action
        for e in db.scalars(select(AuditEvent).where(AuditEvent.object_type == "rounds").order_by(AuditEvent.id))
    ] == [
        "round.created",
        "round.updated",
    ]


def test_round_form_errors_keep_what_was_typed(client, db, cohort_id):
    typed = dict(
        ROUND_FORM,
        name="",
        scoring_opens_at="2026-03-09T10:00",
        scoring_closes_at="2026-03-02T10:00",
        judges_per_application="0",
        disagreement_threshold="-1",
    )
    response = post_form(client, f"/cohorts/{cohort_id}/rounds/new", typed)
    page = _text(response)

    assert response.status_code == 200
    assert db.scalar(select(Round)) is None
    assert '<p class="error" id="name-error">This field is required.</p>' in page
    assert '<p class="error" id="scoring_closes_at-error">The scoring window must close after it opens.</p>' in page
    assert '<p class="error" id="judges_per_application-error">Enter a whole number from 1 to 100.</p>' in page
    assert '<p class="error" id="disagreement_threshold-error">Enter a number from 0 to 100.</p>' in page
    assert 'value="2026-03-09T10:00"' in page
    assert 'name="judges_per_application" type="number" value="0"' in page
    assert 'value="-1"' in page
    assert '<option selected value="normalized">Normalised scores</option>' in page


def test_round_form_refuses_text_in_number_and_date_fields(client, cohort_id):
    typed = dict(ROUND_FORM, scoring_opens_at="next week", judges_per_application="three")
    page = _text(post_form(client, f"/cohorts/{cohort_id}/rounds/new", typed))
    assert '<p class="error" id="scoring_opens_at-error">Enter a date and time, e.g. 2026-03-01 09:00.</p>' in page
    assert '<p class="error" id="judges_per_application-error">Enter a whole number from 1 to 100.</p>' in page
    assert 'value="next week"' in page


def test_round_form_messages_are_in_indonesian_by_default(client, cohort_id):
    client.get("/?lang=id")
    page = _text(post_form(client, f"/cohorts/{cohort_id}/rounds/new", dict(ROUND_FORM, name="")))
    assert '<p class="error" id="name-error">Kolom ini wajib diisi.</p>' in page


def test_missing_cohort_round_or_rubric_is_404(client, director):
    assert client.get("/cohorts/424242/rounds/new").status_code == 404
    assert client.get("/rounds/424242").status_code == 404
    assert client.get("/rubrics/424242").status_code == 404


# --- phases -----------------------------------------------------------------------


def test_opening_an_empty_rubric_is_refused_with_the_reason(client, db, round_):
    round_id, _ = round_
    page = _text(client.get(f"/rounds/{round_id}"))
    assert '<button type="submit" class="button">Open for scoring</button>' in page
    assert "<p>The round cannot open yet:</p>\n          <ul><li>The rubric has no criteria yet.</li></ul>" in page

    response = _open(client, round_id)

    assert response.headers["Location"] == f"/rounds/{round_id}"
    assert _flashes(_text(client.get(f"/rounds/{round_id}"))) == [
        "The round cannot open: The rubric has no criteria yet."
    ]
    assert db.scalar(select(Round.phase).where(Round.id == round_id)) == "draft"


def test_phase_moves_follow_the_allowed_buttons(client, db, round_):
    round_id, rubric_id = round_
    _add(client, rubric_id, "Problem", "1")
    assert "The round cannot open yet" not in _text(client.get(f"/rounds/{round_id}"))

    _open(client, round_id)
    page = _text(client.get(f"/rounds/{round_id}"))
    assert _flashes(page) == ["The round is now in the phase: Open for scoring."]
    assert re.findall(r'name="phase" value="(\w+)"', page) == ["closed"]

    post_form(client, f"/rounds/{round_id}/phase", {"phase": "closed"}, page=f"/rounds/{round_id}")
    page = _text(client.get(f"/rounds/{round_id}"))
    assert re.findall(r'name="phase" value="(\w+)"', page) == ["open", "decided"]
    assert "Reopen scoring" in page

    post_form(client, f"/rounds/{round_id}/phase", {"phase": "draft"}, page=f"/rounds/{round_id}")
    assert _flashes(_text(client.get(f"/rounds/{round_id}"))) == ["A round in phase closed cannot move to draft."]
    post_form(client, f"/rounds/{round_id}/phase", {"phase": "decided"}, page=f"/rounds/{round_id}")
    page = _text(client.get(f"/rounds/{round_id}"))
    assert re.findall(r'name="phase" value="(\w+)"', page) == []
    assert "This round is decided: it has no further phase." in page
    assert db.scalar(select(Round.phase).where(Round.id == round_id)) == "decided"


# --- the builder ---------------------------------------------------------------------


def test_build_a_rubric_of_three_criteria(client, db, round_):
    _, rubric_id = round_
    response = _add(client, rubric_id, "Problem", "3", description="Is the problem real?")
    problem = _criterion_id(db, "Problem")
    assert response.headers["Location"] == f"/rubrics/{rubric_id}/criteria/{problem}/edit"
    assert _flashes(_text(client.get(response.headers["Location"]))) == [
        "The criterion has been added. Now describe what each level of its scale means."
    ]
    _add(client, rubric_id, "Team", "2")
    _add(client, rubric_id, "Market", "1")

    assert _criteria(db, rubric_id) == [
        ("Problem", 0, Decimal("3.00")),
        ("Team", 1, Decimal("2.00")),
        ("Market", 2, Decimal("1.00")),
    ]
    page = _text(client.get(f"/rubrics/{rubric_id}"))
    assert re.findall(r"<dt>Share</dt><dd>([\d.]+) of 100 points</dd></div>", page) == ["50.00", "33.33", "16.67"]
    assert re.findall(r'<rect x="([\d.]+)%" y="0" width="([\d.]+)%"', page) == [
        ("0.00", "50.00"),
        ("50.00", "33.33"),
        ("83.33", "16.67"),
    ]
    assert re.findall(r"<h3>(.*?)</h3>", page) == ["1. Problem", "2. Team", "3. Market"]
    assert "<div><dt>Scale</dt><dd>1 to 5, step 1</dd></div>" in page
    assert "Not ready for scoring yet" not in page
    assert 'style="' not in page
    assert "<script>" not in page


def test_move_criteria_up_and_down(client, db, round_):
    _, rubric_id = round_
    for name, weight in (("Problem", "3"), ("Team", "2"), ("Market", "1")):
        _add(client, rubric_id, name, weight)
    market = _criterion_id(db, "Market")
    url = f"/rubrics/{rubric_id}/criteria/{market}/move"

    response = post_form(client, url, {"direction": "up"}, page=f"/rubrics/{rubric_id}")
    assert response.headers["Location"] == f"/rubrics/{rubric_id}#criterion-{market}"
    assert [n for n, _p, _w in _criteria(db, rubric_id)] == ["Problem", "Market", "Team"]
    post_form(client, url, {"direction": "up"}, page=f"/rubrics/{rubric_id}")
    assert [n for n, _p, _w in _criteria(db, rubric_id)] == ["Market", "Problem", "Team"]
    post_form(client, url, {"direction": "down"}, page=f"/rubrics/{rubric_id}")
    assert _criteria(db, rubric_id) == [
        ("Problem", 0, Decimal("3.00")),
        ("Market", 1, Decimal("1.00")),
        ("Team", 2, Decimal("2.00")),
    ]
    page = _text(client.get(f"/rubrics/{rubric_id}"))
    assert re.findall(r"<h3>(.*?)</h3>", page) == ["1. Problem", "2. Market", "3. Team"]
    assert re.findall(r"<dt>Share</dt><dd>([\d.]+) of 100 points</dd></div>", page) == ["50.00", "16.67", "33.33"]


def test_describe_levels_then_change_the_scale_keeps_descriptors_by_value(client, db, round_):
    _, rubric_id = round_
    _add(client, rubric_id, "Traction", "2")
    traction = _criterion_id(db, "Traction")
    url = f"/rubrics/{rubric_id}/criteria/{traction}/edit"
    base = {"name": "Traction", "description": "", "weight": "2", "scale_min": "1", "scale_max": "5"}
    base["scale_step"] = "1"
    words = {"level-1": "No users", "level-2": "A few testers", "level-3": "Pilot customers"}
    words.update({"level-4": "Paying customers", "level-5": "Growing revenue"})

    page = _text(client.get(url))
    assert re.findall(r'<label for="(level-[\d.]+)">(What does a [\d.]+ mean\?)</label>', page) == [
        (f"level-{v}", f"What does a {v} mean?") for v in range(1, 6)
    ]
    saved = post_form(client, url, {**base, **words})
    assert saved.headers["Location"] == f"/rubrics/{rubric_id}#criterion-{traction}"
    assert _levels(db, traction) == [
        (Decimal("1.00"), "No users"),
        (Decimal("2.00"), "A few testers"),
        (Decimal("3.00"), "Pilot customers"),
        (Decimal("4.00"), "Paying customers"),
        (Decimal("5.00"), "Growing revenue"),
    ]
    assert 'name="level-3" type="text" value="Pilot customers"' in _text(client.get(url))

    # Now 1 to 3 by halves: 1, 2 and 3 keep their words, 4 and 5 are gone.
    rescaled = post_form(client, url, {**base, **words, "scale_max": "3", "scale_step": "0.5"})
    assert rescaled.headers["Location"] == url
    page = _text(client.get(url))
    assert _flashes(page) == ["The scale has changed. Describe its levels below."]
    assert re.findall(r'name="(level-[\d.]+)" type="text" value="([^"]*)"', page) == [
        ("level-1", "No users"),
        ("level-1.5", ""),
        ("level-2", "A few testers"),
        ("level-2.5", ""),
        ("level-3", "Pilot customers"),
    ]
    assert '<label for="level-2.5">What does a 2.5 mean?</label>' in page
    assert _levels(db, traction) == [
        (Decimal("1.00"), "No users"),
        (Decimal("2.00"), "A few testers"),
        (Decimal("3.00"), "Pilot customers"),
    ]

    halves = {"level-1": "No users", "level-1.5": "Sign-ups", "level-2": "A few testers", "level-2.5": ""}
    post_form(client, url, {**base, "scale_max": "3", "scale_step": "0.5", **halves, "level-3": "Pilot customers"})
    assert _levels(db, traction) == [
        (Decimal("1.00"), "No users"),
        (Decimal("1.50"), "Sign-ups"),
        (Decimal("2.00"), "A few testers"),
        (Decimal("3.00"), "Pilot customers"),
    ]


def test_indonesian_level_labels_use_a_decimal_comma(client, db, round_):
    _, rubric_id = round_
    _add(client, rubric_id, "Tim", "1", low="0", high="1", step="0.5")
    url = f"/rubrics/{rubric_id}/criteria/{_criterion_id(db, 'Tim')}/edit"
    client.get("/?lang=id")
    page = _text(client.get(url))
    assert re.findall(r'<label for="(level-[\d.]+)">', page) == ["level-0", "level-0.5", "level-1"]
    assert ">0,5</span>" in _text(client.get(f"/rubrics/{rubric_id}"))


def test_delete_a_criterion(client, db, round_):
    _, rubric_id = round_
    for name, weight in (("Problem", "3"), ("Team", "2"), ("Market", "1")):
        _add(client, rubric_id, name, weight)
    team = _criterion_id(db, "Team")

    response = post_form(client, f"/rubrics/{rubric_id}/criteria/{team}/delete", page=f"/rubrics/{rubric_id}")

    assert response.headers["Location"] == f"/rubrics/{rubric_id}"
    assert _criteria(db, rubric_id) == [("Problem", 0, Decimal("3.00")), ("Market", 1, Decimal("1.00"))]
    page = _text(client.get(f"/rubrics/{rubric_id}"))
    assert _flashes(page) == ["The criterion “Team” has been removed."]
    assert re.findall(r"<dt>Share</dt><dd>([\d.]+) of 100 points</dd></div>", page) == ["75.00", "25.00"]


def test_a_criterion_of_another_rubric_is_404(client, db, round_):
    _, rubric_id = round_
    _add(client, rubric_id, "Problem", "1")
    problem = _criterion_id(db, "Problem")
    post_form(client, "/rubrics/new", {"name": "Standard", "description": ""})
    template_id = db.scalar(select(Rubric.id).where(Rubric.round_id.is_(None)))
    assert client.get(f"/rubrics/{template_id}/criteria/{problem}/edit").status_code == 404
    page = f"/rubrics/{rubric_id}"
    assert post_form(client, f"/rubrics/{template_id}/criteria/{problem}/delete", page=page).status_code == 404
    assert _criteria(db, rubric_id) == [("Problem", 0, Decimal("1.00"))]


@pytest.mark.parametrize(
    ("scale", "message"),
    [
        (("1", "5", "1.5"), "The step must divide the range from the lowest to the highest score."),
        (("5", "5", "1"), "The lowest score must be below the highest."),
        (("5", "1", "1"), "The lowest score must be below the highest."),
        (("0", "100", "1"), "A scale can have at most 21 levels; use a larger step or a smaller range."),
        (("1", "5", "0"), "The step must be greater than zero."),
        (("1", "5", "-1"), "The step must be greater than zero."),
    ],
)
def test_bad_scales_are_refused_with_the_reason(client, db, round_, scale, message):
    _, rubric_id = round_
    response = _add(client, rubric_id, "Problem", "1", *scale)
    page = _text(response)
    assert response.status_code == 200
    assert f'<div class="form-errors" role="alert">\n      <p>{message}</p>' in page
    low, high, step = scale
    assert f'name="scale_min" step="any" type="number" value="{low}"' in page
    assert f'name="scale_max" step="any" type="number" value="{high}"' in page
    assert f'name="scale_step" step="any" type="number" value="{step}"' in page
    assert _criteria(db, rubric_id) == []


def test_a_bad_scale_on_edit_keeps_the_saved_criterion(client, db, round_):
    _, rubric_id = round_
    _add(client, rubric_id, "Problem", "1")
    url = f"/rubrics/{rubric_id}/criteria/{_criterion_id(db, 'Problem')}/edit"
    data = {"name": "Problem", "description": "", "weight": "1", "scale_min": "1", "scale_max": "5"}
    page = _text(post_form(client, url, {**data, "scale_step": "3"}))
    assert "The step must divide the range from the lowest to the highest score." in page
    assert db.scalar(select(Criterion.scale_step)) == Decimal("1.00")


@pytest.mark.parametrize(
    ("weight", "message"),
    [
        ("0", "The weight must be greater than zero."),
        ("-2", "The weight must be greater than zero."),
        ("", "This field is required."),
        ("heavy", "Enter a number, e.g. 2 or 2.5."),
        ("1.005", "Use at most 2 decimals."),
        ("10000", "Use a weight of at most 9999.99."),
        ("1e40", "Use a weight of at most 9999.99."),
        ("NaN", "Enter a number, e.g. 2 or 2.5."),
    ],
)
def test_weight_must_be_a_positive_number(client, db, round_, weight, message):
    _, rubric_id = round_
    page = _text(_add(client, rubric_id, "Problem", weight))
    assert f'<p class="error" id="weight-error">{message}</p>' in page
    assert f'name="weight" step="any" type="number" value="{weight}"' in page
    assert _criteria(db, rubric_id) == []


def test_criterion_form_shows_its_share_and_loads_the_live_preview_script(client, db, round_):
    _, rubric_id = round_
    for name, weight in (("Problem", "3"), ("Team", "2"), ("Market", "1")):
        _add(client, rubric_id, name, weight)
    page = _text(client.get(f"/rubrics/{rubric_id}/criteria/{_criterion_id(db, 'Problem')}/edit"))
    assert '<script src="/static/js/rubric.js" defer></script>' in page
    assert 'data-other-weights="2 1" data-weight-input="weight"' in page
    assert '<output id="weight-share" for="weight">50.00</output>' in page

    page = _text(client.get(f"/rubrics/{rubric_id}/criteria/new"))
    assert 'data-other-weights="3 2 1"' in page
    assert '<output id="weight-share" for="weight">14.29</output>' in page  # the default weight 1 of 7
    assert client.get("/static/js/rubric.js").status_code == 200


def test_preview_shows_every_level_descriptor_as_judges_see_it(client, db, round_):
    _, rubric_id = round_
    _add(client, rubric_id, "Problem", "3", description="Is the problem real?")
    _add(client, rubric_id, "Team", "1", low="0", high="2", step="1")
    problem = _criterion_id(db, "Problem")
    words = {f"level-{v}": w for v, w in enumerate(["Guess", "Anecdotes", "Interviews", "Survey", "Paid pilots"], 1)}
    data = {"name": "Problem", "description": "Is the problem real?", "weight": "3"}
    data.update(scale_min="1", scale_max="5", scale_step="1", **words)
    post_form(client, f"/rubrics/{rubric_id}/criteria/{problem}/edit", data)

    page = _text(client.get(f"/rubrics/{rubric_id}"))
    preview = page[page.index('<div class="scoring-form preview">') :]
    radios = re.findall(r'<input type="radio" id="([\w.-]+)" name="[\w-]+" value="[\w.]+" disabled>', preview)
    labels = re.findall(
        r'<label for="([\w.-]+)"><span class="level-value">([\d.]+)</span>(?: <span class="level-text">(.*?)</span>)?',
        preview,
    )
    team = _criterion_id(db, "Team")
    assert [(f, v, t) for f, v, t in labels] == [
        (f"preview-{problem}-1", "1", "Guess"),
        (f"preview-{problem}-2", "2", "Anecdotes"),
        (f"preview-{problem}-3", "3", "Interviews"),
        (f"preview-{problem}-4", "4", "Survey"),
        (f"preview-{problem}-5", "5", "Paid pilots"),
        (f"preview-{team}-0", "0", ""),
        (f"preview-{team}-1", "1", ""),
        (f"preview-{team}-2", "2", ""),
    ]
    assert radios == [f for f, _v, _t in labels] + [
        "preview-recommendation-advance",
        "preview-recommendation-maybe",
        "preview-recommendation-decline",
    ]
    legend = re.search(r"<legend>\s*(.*?)\s*</legend>", preview, re.S).group(1)
    assert re.split(r"\s*\n\s*", legend) == [
        '<span class="score-name">1. Problem</span>',
        '<span class="score-share">75.00 of 100 points</span>',
    ]
    assert '<p class="prose">Is the problem real?</p>' in preview
    assert f'<label for="preview-comment-{problem}">Comment on Problem</label>' in preview
    assert '<label for="preview-overall">Overall comment</label>' in preview
    assert "<legend>Recommendation</legend>" in preview
    assert re.findall(r'<label for="preview-recommendation-\w+">(\w+)</label>', preview) == [
        "Advance",
        "Maybe",
        "Decline",
    ]
    assert preview.count("disabled></textarea>") == 3


def test_user_text_is_escaped_in_the_builder_and_the_bar(client, db, round_):
    _, rubric_id = round_
    _add(client, rubric_id, '<script>alert("x")</script>', "1")
    page = _text(client.get(f"/rubrics/{rubric_id}"))
    assert "<script>alert" not in page
    assert "1. &lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; 100.00</title>" in page
    assert '<rect x="0.00%" y="0" width="100.00%"' in page


# --- a frozen rubric -------------------------------------------------------------------


def test_frozen_rubric_says_why_and_refuses_every_change(client, db, round_):
    round_id, rubric_id = round_
    _add(client, rubric_id, "Problem", "2")
    problem = _criterion_id(db, "Problem")
    post_form(client, "/rubrics/new", {"name": "Standard", "description": ""})
    template_id = db.scalar(select(Rubric.id).where(Rubric.round_id.is_(None)))
    _open(client, round_id)
    builder = f"/rubrics/{rubric_id}"

    page = _text(client.get(builder))
    assert FROZEN in page
    for control in ("Add a criterion", "Move up", "Move down", "Delete", "/edit", "Copy from a template"):
        assert control not in page
    assert "Save as a template" in page  # reading is still allowed

    criterion_form = {"name": "X", "description": "", "weight": "1", "scale_min": "1", "scale_max": "5"}
    criterion_form["scale_step"] = "1"
    for url, data in (
        (f"{builder}/criteria/new", criterion_form),
        (f"{builder}/criteria/{problem}/edit", criterion_form),
        (f"{builder}/edit", {"name": "Renamed", "description": ""}),
    ):
        assert FROZEN in _text(client.get(url)), url
        response = post_form(client, url, data, page=builder)
        assert response.status_code == 200, url
        assert FROZEN in _text(response), url

    for url, data in (
        (f"{builder}/criteria/{problem}/move", {"direction": "down"}),
        (f"{builder}/criteria/{problem}/delete", {}),
        (f"{builder}/copy-template", {"template_id": str(template_id)}),
    ):
        response = post_form(client, url, data, page=builder)
        assert response.status_code == 302, url
        assert _flashes(_text(client.get(builder))) == [SERVICE_FROZEN], url

    assert _criteria(db, rubric_id) == [("Problem", 0, Decimal("2.00"))]
    assert db.scalar(select(Rubric.name).where(Rubric.id == rubric_id)) == "Pitch selection"


# --- templates ---------------------------------------------------------------------------


def test_templates_are_listed_with_their_number_of_criteria(client, db, round_):
    response = post_form(client, "/rubrics/new", {"name": "Standard pitch", "description": "For pitch days"})
    template_id = db.scalar(select(Rubric.id).where(Rubric.name == "Standard pitch"))
    assert response.headers["Location"] == f"/rubrics/{template_id}"
    _add(client, template_id, "Problem", "1")
    _add(client, template_id, "Team", "1")
    post_form(client, "/rubrics/new", {"name": "Graduation", "description": ""})

    page = _text(client.get("/rubrics"))
    rows = re.findall(r'<a href="/rubrics/(\d+)">(.*?)</a>.*?<td class="num">(\d+)</td>', page, re.S)
    graduation = db.scalar(select(Rubric.id).where(Rubric.name == "Graduation"))
    assert rows == [(str(graduation), "Graduation", "0"), (str(template_id), "Standard pitch", "2")]
    assert "Pitch selection" not in page  # a round's rubric is not a template


def test_template_name_and_description_can_be_edited(client, db, director):
    post_form(client, "/rubrics/new", {"name": "Standard", "description": ""})
    template_id = db.scalar(select(Rubric.id))
    assert 'value="Standard"' in _text(client.get(f"/rubrics/{template_id}/edit"))
    response = post_form(client, f"/rubrics/{template_id}/edit", {"name": "Pitch day", "description": "Five minutes"})
    assert response.headers["Location"] == f"/rubrics/{template_id}"
    saved = db.scalar(select(Rubric))
    assert (saved.name, saved.description) == ("Pitch day", "Five minutes")
    page = _text(post_form(client, f"/rubrics/{template_id}/edit", {"name": "", "description": ""}))
    assert '<p class="error" id="name-error">This field is required.</p>' in page


def test_copy_a_template_into_a_round(client, db, round_):
    _, rubric_id = round_
    _add(client, rubric_id, "Old criterion", "1")
    post_form(client, "/rubrics/new", {"name": "Standard", "description": "The usual"})
    template_id = db.scalar(select(Rubric.id).where(Rubric.name == "Standard"))
    _add(client, template_id, "Problem", "3")
    _add(client, template_id, "Team", "1", low="0", high="2", step="0.5")
    team = _criterion_id(db, "Team")
    data = {"name": "Team", "description": "", "weight": "1", "scale_min": "0", "scale_max": "2", "scale_step": "0.5"}
    post_form(client, f"/rubrics/{template_id}/criteria/{team}/edit", {**data, "level-0.5": "Solo founder"})

    builder = f"/rubrics/{rubric_id}"
    assert f'<option value="{template_id}">Standard</option>' in _text(client.get(builder))
    response = post_form(client, f"{builder}/copy-template", {"template_id": str(template_id)}, page=builder)

    assert response.headers["Location"] == builder
    assert _flashes(_text(client.get(builder))) == ["The criteria of the template “Standard” have been copied."]
    assert _criteria(db, rubric_id) == [("Problem", 0, Decimal("3.00")), ("Team", 1, Decimal("1.00"))]
    copied = db.scalar(select(Criterion.id).where(Criterion.rubric_id == rubric_id, Criterion.name == "Team"))
    assert _levels(db, copied) == [(Decimal("0.50"), "Solo founder")]
    assert _criteria(db, template_id) == [("Problem", 0, Decimal("3.00")), ("Team", 1, Decimal("1.00"))]


def test_copy_template_needs_a_template(client, db, round_):
    _, rubric_id = round_
    post_form(client, "/rubrics/new", {"name": "Standard", "description": ""})
    builder = f"/rubrics/{rubric_id}"
    response = post_form(client, f"{builder}/copy-template", {"template_id": "999999"}, page=builder)
    assert response.status_code == 200
    assert '<p class="error" id="template_id-error">Choose a template.</p>' in _text(response)


def test_save_a_round_rubric_as_a_template(client, db, round_):
    _, rubric_id = round_
    _add(client, rubric_id, "Problem", "3")
    problem = _criterion_id(db, "Problem")
    data = {"name": "Problem", "description": "", "weight": "3", "scale_min": "1", "scale_max": "5", "scale_step": "1"}
    post_form(client, f"/rubrics/{rubric_id}/criteria/{problem}/edit", {**data, "level-5": "Paid pilots"})
    builder = f"/rubrics/{rubric_id}"
    assert 'name="name" required type="text" value="Pitch selection"' in _text(client.get(builder))

    response = post_form(client, f"{builder}/save-as-template", {"name": "  Semarang pitch  "}, page=builder)

    assert response.headers["Location"] == builder
    assert _flashes(_text(client.get(builder))) == [
        "Saved as the template “Semarang pitch”. It is listed under Rubric templates."
    ]
    template = db.scalar(select(Rubric).where(Rubric.round_id.is_(None)))
    assert template.name == "Semarang pitch"
    assert _criteria(db, template.id) == [("Problem", 0, Decimal("3.00"))]
    copied = db.scalar(select(Criterion.id).where(Criterion.rubric_id == template.id))
    assert _levels(db, copied) == [(Decimal("5.00"), "Paid pilots")]

    refused = post_form(client, f"{builder}/save-as-template", {"name": ""}, page=builder)
    assert refused.status_code == 200
    assert '<p class="error" id="name-error">This field is required.</p>' in _text(refused)


@pytest.mark.parametrize("typed", ["0001-01-01T00:00", "9999-12-31T23:59"])
def test_round_window_in_a_year_no_programme_has_is_refused_and_kept(client, db, cohort_id, typed):
    page = _text(
        post_form(client, f"/cohorts/{cohort_id}/rounds/new?lang=en", dict(ROUND_FORM, scoring_opens_at=typed))
    )
    assert '<p class="error" id="scoring_opens_at-error">Enter a date between 2000 and 2100.</p>' in page
    assert f'value="{typed}"' in page
    assert db.scalars(select(Round)) == []
