"""Director pages for focus areas, spaces, cohorts, the dashboard and stage timelines; the public call pages."""

import re
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from incubator.audit.models import AuditEvent
from incubator.cohorts.models import Cohort, CohortStartup, FocusArea, Space, StageChange
from incubator.core.charts import funnel_svg
from incubator.extensions import db as _db
from incubator.judging.models import Round
from tests.conftest import post_form


@pytest.fixture
def director(client, login_as):
    user = login_as(client, "director")
    client.get("/?lang=en")  # remember English for the pages and the POST answers
    return user


@pytest.fixture
def make(app, create_user):
    """Objects made through the services, as the pages would make them; returns ids."""
    staff = create_user(email="staff@example.org", name="Staff Director", roles=["director"])

    class Maker:
        def _run(self, build):
            with app.test_request_context():
                actor = _db.session.merge(staff)
                result = build(actor)
                _db.session.commit()
                return result

        def area(self, code="games", name_id="Gim", name_en="Games"):
            from incubator.cohorts import services

            return self._run(lambda actor: services.save_focus_area(None, code, name_id, name_en, actor).id)

        def space(self, name="Hetero Space Solo", city="Surakarta", area_ids=()):
            from incubator.cohorts import services

            def build(actor):
                areas = [_db.session.get(FocusArea, i) for i in area_ids]
                return services.save_space(
                    None, name=name, city=city, description="", focus_areas=areas, actor=actor
                ).id

            return self._run(build)

        def cohort(self, space_id, name="Hetero for Startup Solo 2026", opens=None, closes=None, published=True, **kw):
            from incubator.cohorts import services
            from incubator.core.database import utcnow

            def build(actor):
                now = utcnow()
                return services.save_cohort(
                    None,
                    name=name,
                    space=_db.session.get(Space, space_id),
                    description=kw.get("description", "Mentoring, trainings and a demo day."),
                    opens_at=opens or now - timedelta(days=1),
                    closes_at=closes or now + timedelta(days=30),
                    required_attendance=kw.get("required_attendance", 4),
                    focus_areas=[_db.session.get(FocusArea, i) for i in kw.get("area_ids", ())],
                    published=published,
                    actor=actor,
                ).id

            return self._run(build)

        def round(self, cohort_id, name="Pitch selection", decides="applied", closes=None):
            from incubator.judging.rounds import services

            def build(actor):
                return services.save_round(
                    None,
                    _db.session.get(Cohort, cohort_id),
                    name=name,
                    decides_stage=decides,
                    scoring_opens_at=closes - timedelta(days=3) if closes else None,
                    scoring_closes_at=closes,
                    judges_per_application=3,
                    ranking_basis="raw",
                    judges_see_scores_after_close=False,
                    disagreement_threshold=Decimal(15),
                    actor=actor,
                ).id

            return self._run(build)

        def startups(self, cohort_id, stages, area_id=None, prefix="Startup"):
            """One startup per entry of `stages`, moved there step by step; returns the cohort_startup ids."""
            from incubator.cohorts import services
            from incubator.startups.models import Startup

            paths = {
                "applied": [],
                "pre_incubation": ["pre_incubation"],
                "incubation": ["pre_incubation", "incubation"],
                "graduated": ["pre_incubation", "incubation", "graduated"],
                "not_selected": ["not_selected"],
                "withdrawn": ["withdrawn"],
            }

            def build(actor):
                cohort = _db.session.get(Cohort, cohort_id)
                ids = []
                for n, stage in enumerate(stages):
                    startup = Startup(name=f"{prefix} {n:02d}", city="Semarang", focus_area_id=area_id)
                    _db.session.add(startup)
                    _db.session.flush()
                    change = services.change_stage(startup, cohort, "applied", None, system=True)
                    for step in paths[stage]:
                        services.change_stage(startup, cohort, step, actor, f"to {step}")
                    ids.append(change.cohort_startup_id)
                return ids

            return self._run(build)

    return Maker()


def _text(response) -> str:
    return response.get_data(as_text=True)


def _errors(page: str) -> list[str]:
    """The messages of the form-errors box and of the fields."""
    box = re.findall(r'<div class="form-errors" role="alert">(.*?)</div>', page, re.S)
    fields = re.findall(r'<p class="error"[^>]*>(.*?)</p>', page, re.S)
    return [m.strip() for b in box for m in re.findall(r"<p>(.*?)</p>", b, re.S)] + [f.strip() for f in fields]


def _cohort_form(space, /, **overrides):
    data = {
        "name": "Hetero for Startup Semarang 2027",
        "space_id": str(space),
        "description": "Six months of mentoring.",
        "opens_at": "2026-12-01T08:00",
        "closes_at": "2026-12-31T23:59",
        "required_attendance": "6",
        "published": "y",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


# --- focus areas and spaces -------------------------------------------------


def test_focus_area_is_created_listed_and_edited(client, director, db):
    response = post_form(
        client,
        "/focus-areas/new",
        {"code": " Kriya ", "name_id": "Kriya", "name_en": "Crafts"},
        page="/focus-areas/new",
    )
    area = db.scalar(select(FocusArea))
    assert response.status_code == 302
    assert response.headers["Location"] == "/focus-areas"
    assert (area.code, area.name_id, area.name_en) == ("kriya", "Kriya", "Crafts")
    listing = _text(client.get("/focus-areas?lang=en"))
    assert "The focus area has been saved." in listing
    assert '<th scope="row">kriya</th>' in listing

    edit = f"/focus-areas/{area.id}/edit"
    assert 'value="Crafts"' in _text(client.get(edit))
    post_form(client, edit, {"code": "kriya", "name_id": "Kriya dan seni", "name_en": "Crafts and arts"})
    assert db.scalar(select(FocusArea.name_en)) == "Crafts and arts"
    assert [e.action for e in db.scalars(select(AuditEvent).order_by(AuditEvent.id))][-2:] == [
        "focus_area.created",
        "focus_area.updated",
    ]


def test_focus_area_duplicate_code_is_refused_and_the_form_kept(client, director, make):
    make.area(code="games")
    response = post_form(client, "/focus-areas/new", {"code": "games", "name_id": "Gim 2", "name_en": "Games 2"})
    page = _text(response)
    assert response.status_code == 200
    assert _errors(page) == ["A focus area with this code already exists."]
    assert 'value="Gim 2"' in page


def test_focus_area_fields_are_required(client, director):
    page = _text(post_form(client, "/focus-areas/new", {"code": "", "name_id": "", "name_en": ""}))
    assert _errors(page) == ["Please correct the fields marked below."] + ["This field is required."] * 3


def test_space_is_created_with_focus_areas_and_edited(client, director, make, db):
    games = make.area("games", "Gim", "Games")
    crafts = make.area("crafts", "Kriya", "Crafts")
    page = _text(client.get("/spaces/new?lang=en"))
    assert f'<input id="focus_areas-0" name="focus_areas" type="checkbox" value="{crafts}">' in page
    response = post_form(
        client,
        "/spaces/new",
        {
            "name": "Hetero Space Solo",
            "city": "Surakarta",
            "description": "Maker space",
            "focus_areas": [games, crafts],
        },
    )
    space = db.scalar(select(Space))
    assert response.headers["Location"] == "/spaces"
    assert (space.name, space.city, space.description) == ("Hetero Space Solo", "Surakarta", "Maker space")
    with db.session() as session:
        assert [a.code for a in session.get(Space, space.id).focus_areas] == ["games", "crafts"]

    edit = f"/spaces/{space.id}/edit"
    form = _text(client.get(edit))
    assert f'checked id="focus_areas-1" name="focus_areas" type="checkbox" value="{games}"' in form
    post_form(client, edit, {"name": "Hetero Space Solo", "city": "Solo", "focus_areas": [crafts]})
    with db.session() as session:
        edited = session.get(Space, space.id)
        assert (edited.city, [a.code for a in edited.focus_areas]) == ("Solo", ["crafts"])
    listing = _text(client.get("/spaces?lang=en"))
    assert "<td>Solo</td>" in listing
    assert '<span class="tag wrap">Crafts</span>' in listing


def test_space_refuses_unknown_focus_area_and_duplicate_name(client, director, make):
    make.space(name="Hetero Space Semarang")
    area = make.area()
    data = {"name": "X", "city": "Y", "focus_areas": [str(area), "999"]}
    page = _text(post_form(client, "/spaces/new", data))
    assert _errors(page) == ["Please correct the fields marked below.", "Choose focus areas from the list."]
    data["focus_areas"] = ["abc"]
    page = _text(post_form(client, "/spaces/new", data))
    assert _errors(page) == ["Please correct the fields marked below.", "Choose focus areas from the list."]
    page = _text(post_form(client, "/spaces/new", {"name": "Hetero Space Semarang", "city": "Semarang"}))
    assert _errors(page) == ["A space with this name already exists."]
    assert 'value="Hetero Space Semarang"' in page


def test_missing_objects_answer_404(client, director):
    for url in ("/focus-areas/42/edit", "/spaces/42/edit", "/cohorts/42", "/cohorts/42/edit", "/cohorts/42/copy"):
        assert client.get(url).status_code == 404


# --- cohorts ----------------------------------------------------------------


def test_cohort_is_created_with_the_window_converted_from_wib(client, director, make, db):
    area = make.area()
    space = make.space(area_ids=[area])
    response = post_form(client, "/cohorts/new", _cohort_form(space, focus_areas=[str(area)]))
    cohort = db.scalar(select(Cohort))
    assert response.status_code == 302
    assert response.headers["Location"] == f"/cohorts/{cohort.id}"
    assert cohort.opens_at == datetime(2026, 12, 1, 1, 0, tzinfo=UTC)
    assert cohort.closes_at == datetime(2026, 12, 31, 16, 59, tzinfo=UTC)
    assert (cohort.name, cohort.space_id, cohort.description) == (
        "Hetero for Startup Semarang 2027",
        space,
        "Six months of mentoring.",
    )
    assert (cohort.required_attendance, cohort.published) == (6, True)
    with db.session() as session:
        assert [a.id for a in session.get(Cohort, cohort.id).focus_areas] == [area]
    dashboard = _text(client.get(f"/cohorts/{cohort.id}?lang=en"))
    assert "The cohort has been saved." in dashboard
    assert "1 Dec 2026 08.00 WIB to 31 Dec 2026 23.59 WIB" in dashboard


def test_cohort_edit_form_is_prefilled_in_wib_and_saves(client, director, make, db):
    space = make.space()
    other = make.space(name="Hetero Space Semarang", city="Semarang")
    cohort_id = make.cohort(
        space,
        opens=datetime(2026, 6, 30, 17, 0, tzinfo=UTC),
        closes=datetime(2026, 12, 31, 16, 59, tzinfo=UTC),
    )
    url = f"/cohorts/{cohort_id}/edit"
    form = _text(client.get(url + "?lang=en"))
    assert 'name="opens_at" required type="datetime-local" value="2026-07-01T00:00"' in form
    assert 'name="closes_at" required type="datetime-local" value="2026-12-31T23:59"' in form
    assert 'name="required_attendance" required type="number" value="4"' in form
    assert 'checked id="published"' in form

    response = post_form(
        client,
        url,
        _cohort_form(other, name="Renamed", opens_at="2027-01-01T00:00", closes_at="2027-02-01T07:00", published=None),
    )
    assert response.headers["Location"] == f"/cohorts/{cohort_id}"
    cohort = db.scalar(select(Cohort))
    assert (cohort.name, cohort.space_id, cohort.published) == ("Renamed", other, False)
    assert (cohort.opens_at, cohort.closes_at) == (
        datetime(2026, 12, 31, 17, 0, tzinfo=UTC),
        datetime(2027, 2, 1, 0, 0, tzinfo=UTC),
    )


def test_cohort_window_closing_before_it_opens_is_refused_with_values_kept(client, director, make, db):
    space = make.space()
    response = post_form(
        client, "/cohorts/new", _cohort_form(space, opens_at="2026-12-31T23:59", closes_at="2026-12-01T08:00")
    )
    page = _text(response)
    assert response.status_code == 200
    assert _errors(page) == [
        "Please correct the fields marked below.",
        "The application window must close after it opens.",
    ]
    assert 'value="2026-12-31T23:59"' in page
    assert 'value="2026-12-01T08:00"' in page
    assert 'value="Hetero for Startup Semarang 2027"' in page
    assert db.scalars(select(Cohort)) == []


def test_cohort_duplicate_name_is_refused_with_values_kept(client, director, make, db):
    space = make.space()
    make.cohort(space, name="Hetero for Startup Solo 2026")
    page = _text(post_form(client, "/cohorts/new", _cohort_form(space, name="Hetero for Startup Solo 2026")))
    assert _errors(page) == ["A cohort with this name already exists."]
    assert 'value="Hetero for Startup Solo 2026"' in page
    assert 'value="2026-12-31T23:59"' in page
    assert ">\r\nSix months of mentoring.</textarea>" in page
    assert len(db.scalars(select(Cohort))) == 1


def test_cohort_negative_or_bad_values_are_refused(client, director, make, db):
    space = make.space()
    page = _text(post_form(client, "/cohorts/new", _cohort_form(space, required_attendance="-1")))
    assert _errors(page) == ["Please correct the fields marked below.", "Required attendance cannot be negative."]
    assert 'name="required_attendance" required type="number" value="-1"' in page
    page = _text(
        post_form(
            client,
            "/cohorts/new",
            _cohort_form(space, required_attendance="lots", opens_at="tomorrow", space_id="999"),
        )
    )
    assert _errors(page) == [
        "Please correct the fields marked below.",
        "Choose a space from the list.",
        "Enter a date and time, e.g. 2026-12-31T23:59.",
        "Enter a whole number.",
    ]
    assert 'value="tomorrow"' in page
    assert db.scalars(select(Cohort)) == []


def test_cohort_list_shows_space_window_publication_and_startup_count(client, director, make):
    space = make.space()
    first = make.cohort(
        space,
        name="Solo 2026",
        opens=datetime(2026, 1, 1, 1, 0, tzinfo=UTC),
        closes=datetime(2026, 2, 1, 1, 0, tzinfo=UTC),
    )
    make.cohort(
        space,
        name="Solo 2027",
        opens=datetime(2027, 1, 1, 1, 0, tzinfo=UTC),
        closes=datetime(2027, 2, 1, 1, 0, tzinfo=UTC),
        published=False,
    )
    make.startups(first, ["applied", "withdrawn", "incubation"])
    page = _text(client.get("/cohorts?lang=en"))
    rows = re.findall(r"<tr>\s*<th scope=\"row\">(.*?)</tr>", page, re.S)
    cells = [re.sub(r"<[^>]+>", "", row).split() for row in rows]
    assert [" ".join(c) for c in cells] == [
        "Solo 2027 Hetero Space Solo 1 Jan 2027 08.00 WIB to 1 Feb 2027 08.00 WIB Not published 0",
        "Solo 2026 Hetero Space Solo 1 Jan 2026 08.00 WIB to 1 Feb 2026 08.00 WIB Published 3",
    ]


def test_cohort_setup_is_copied_to_a_new_unpublished_cohort(client, director, make, db):
    area = make.area()
    space = make.space(area_ids=[area])
    source = make.cohort(space, area_ids=[area], required_attendance=7)
    make.round(source, "Pitch selection", "applied", closes=datetime.now(UTC) + timedelta(days=5))
    make.round(source, "Demo day", "pre_incubation")
    make.startups(source, ["applied"])
    url = f"/cohorts/{source}/copy"
    assert "Copy the set-up of Hetero for Startup Solo 2026" in _text(client.get(url + "?lang=en"))
    response = post_form(
        client,
        url,
        {"name": "Hetero for Startup Solo 2027", "opens_at": "2027-01-01T00:00", "closes_at": "2027-01-31T23:59"},
    )
    copy = db.scalar(select(Cohort).where(Cohort.name == "Hetero for Startup Solo 2027"))
    assert response.headers["Location"] == f"/cohorts/{copy.id}"
    assert (copy.opens_at, copy.closes_at) == (
        datetime(2026, 12, 31, 17, 0, tzinfo=UTC),
        datetime(2027, 1, 31, 16, 59, tzinfo=UTC),
    )
    assert (copy.space_id, copy.required_attendance, copy.published) == (space, 7, False)
    rounds = db.scalars(select(Round).where(Round.cohort_id == copy.id).order_by(Round.position))
    assert [(r.name, r.decides_stage, r.phase, r.scoring_closes_at) for r in rounds] == [
        ("Pitch selection", "applied", "draft", None),
        ("Demo day", "pre_incubation", "draft", None),
    ]
    assert db.scalars(select(CohortStartup).where(CohortStartup.cohort_id == copy.id)) == []
    assert "The set-up has been copied. The new cohort is not published yet." in _text(
        client.get(f"/cohorts/{copy.id}")
    )


def test_cohort_copy_refuses_a_taken_name_and_a_bad_window(client, director, make, db):
    source = make.cohort(make.space())
    url = f"/cohorts/{source}/copy"
    data = {"name": "Hetero for Startup Solo 2026", "opens_at": "2027-01-01T00:00", "closes_at": "2027-01-31T23:59"}
    page = _text(post_form(client, url, data))
    assert _errors(page) == ["A cohort with this name already exists."]
    assert 'value="2027-01-31T23:59"' in page
    page = _text(post_form(client, url, {**data, "name": "New", "closes_at": "2026-12-31T00:00"}))
    assert _errors(page) == [
        "Please correct the fields marked below.",
        "The application window must close after it opens.",
    ]
    assert len(db.scalars(select(Cohort))) == 1


# --- the dashboard ----------------------------------------------------------


def test_dashboard_funnel_counts_every_stage(client, director, make):
    cohort = make.cohort(make.space())
    make.startups(
        cohort, ["applied"] * 3 + ["pre_incubation"] * 2 + ["incubation", "not_selected", "withdrawn", "withdrawn"]
    )
    page = _text(client.get(f"/cohorts/{cohort}?lang=en"))
    table = re.search(r'<table class="visually-hidden">(.*?)</table>', page, re.S).group(1)
    rows = re.findall(r'<th scope="row">(.*?)</th><td>(\d+)</td>', table)
    assert rows == [
        ("Applied", "3"),
        ("Pre-incubation", "2"),
        ("Incubation", "1"),
        ("Graduated", "0"),
        ("Not selected", "1"),
        ("Withdrawn", "2"),
    ]
    assert (
        'role="img" aria-label="Startups by stage: Applied: 3; Pre-incubation: 2; Incubation: 1; '
        'Graduated: 0; Not selected: 1; Withdrawn: 2"' in page
    )
    assert "<title>Startups by stage</title>" in page
    assert "9 startups in this cohort" in page


def test_dashboard_shows_rounds_and_coming_deadlines_soonest_first(client, director, make):
    now = datetime.now(UTC).replace(microsecond=0)
    cohort = make.cohort(make.space(), opens=now - timedelta(days=10), closes=now + timedelta(days=20))
    make.round(cohort, "Pitch selection", "applied", closes=now + timedelta(days=5))
    make.round(cohort, "Demo day", "pre_incubation", closes=now + timedelta(days=40))
    make.round(cohort, "Old review", "incubation", closes=now - timedelta(days=1))
    make.round(cohort, "Graduation review", "incubation")
    page = _text(client.get(f"/cohorts/{cohort}?lang=en"))
    deadlines = re.search(r'<ul class="deadlines">(.*?)</ul>', page, re.S).group(1)
    items = [" ".join(re.sub(r"<[^>]+>", " ", li).split()) for li in re.findall(r"<li>(.*?)</li>", deadlines, re.S)]
    assert [re.sub(r"^.*? WIB ", "", item) for item in items] == [
        "Scoring closes: Pitch selection",
        "Applications close",
        "Scoring closes: Demo day",
    ]
    rounds = re.search(r'aria-label="Rounds">(.*?)</table>', page, re.S).group(1)
    cells = [" ".join(re.sub(r"<[^>]+>", " ", row).split()) for row in re.findall(r"<tr>(.*?)</tr>", rounds, re.S)[1:]]
    assert [c.split(" Draft ")[0] for c in cells] == [
        "Pitch selection Applied → Pre-incubation",
        "Demo day Pre-incubation → Incubation",
        "Old review Incubation → Graduated",
        "Graduation review Incubation → Graduated",
    ]
    assert cells[3].endswith("Draft Not set")
    assert f'href="/cohorts/{cohort}/rounds/new"' in page


@pytest.mark.parametrize("walk", [True, False], ids=["walking the names", "sorting the cohort"])
def test_dashboard_lists_startups_with_pagination(client, director, make, app, monkeypatch, walk):
    """The same pages whether the page's startups are picked by walking the startups' name index
    or by sorting the cohort's (cohorts.queries.startup_page); another cohort's are skipped, even
    those with the same names."""
    from incubator.cohorts import queries

    monkeypatch.setattr(queries, "by_name_walk_pays", lambda members: walk)
    app.config["PER_PAGE"] = 4
    area = make.area("digital", "Startup digital", "Digital startups")
    space = make.space()
    other = make.cohort(space, name="Hetero for Startup Solo 2025")
    make.startups(other, ["applied"] * 3)  # Startup 00 to 02, made first
    cohort = make.cohort(space)
    ids = make.startups(cohort, ["applied"] * 5 + ["pre_incubation"], area_id=area)
    first = _text(client.get(f"/cohorts/{cohort}?lang=en"))
    names = re.findall(r'<th scope="row"><a href="/cohorts/\d+/startups/\d+">(.*?)</a>', first)
    assert names == ["Startup 00", "Startup 01", "Startup 02", "Startup 03"]
    assert "Page 1 of 2" in first
    assert f'href="/cohorts/{cohort}?lang=en&amp;page=2" rel="next"' in first
    second = _text(client.get(f"/cohorts/{cohort}?page=2&lang=en"))
    row = re.search(
        r"<tr>\s*<th scope=\"row\"><a href=\"/cohorts/\d+/startups/(\d+)\">Startup 05</a>(.*?)</tr>", second, re.S
    )
    assert int(row.group(1)) == ids[5]
    cells = re.findall(r"<td>(.*?)</td>", row.group(2), re.S)
    assert [re.sub(r"<[^>]+>", "", c) for c in cells[:3]] == ["Semarang", "Digital startups", "Pre-incubation"]
    assert cells[3].endswith(" WIB")
    assert "Page 2 of 2" in second


# --- the stage timeline -----------------------------------------------------


def test_timeline_shows_summary_history_and_only_allowed_targets(client, director, make):
    area = make.area("games", "Gim", "Games")
    cohort = make.cohort(make.space())
    (membership,) = make.startups(cohort, ["pre_incubation"], area_id=area)
    page = _text(client.get(f"/cohorts/{cohort}/startups/{membership}?lang=en"))
    assert "<h1>Startup 00</h1>" in page
    assert '<dt>Current stage</dt><dd><span class="tag stage-pre_incubation">Pre-incubation</span></dd>' in page
    assert "<dt>Focus area</dt><dd>Games</dd>" in page
    options = re.findall(r'<option value="([^"]*)">([^<]*)</option>', page)
    assert options == [
        ("", "Choose a stage"),
        ("incubation", "Incubation"),
        ("not_selected", "Not selected"),
        ("withdrawn", "Withdrawn"),
    ]
    history = re.search(r'aria-label="Stage history">(.*?)</table>', page, re.S).group(1)
    rows = [
        [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
        for row in re.findall(r"<tr>(.*?)</tr>", history, re.S)[1:]
    ]
    assert [r[1:] for r in rows] == [
        ["Entered the cohort", "Applied", "System", ""],
        ["Applied", "Pre-incubation", "Staff Director", "to pre_incubation"],
    ]
    assert all(r[0].endswith(" WIB") for r in rows)


def test_director_moves_a_startup_and_it_is_recorded(client, director, make, db):
    cohort = make.cohort(make.space())
    (membership,) = make.startups(cohort, ["applied"])
    url = f"/cohorts/{cohort}/startups/{membership}"
    response = post_form(client, url + "/stage", {"to_stage": "pre_incubation", "reason": "Strong pitch"}, page=url)
    assert response.status_code == 302
    assert response.headers["Location"] == url
    assert db.scalar(select(CohortStartup.stage)) == "pre_incubation"
    change = db.scalar(select(StageChange).order_by(StageChange.id.desc()))
    assert (change.from_stage, change.to_stage, change.actor_id, change.reason) == (
        "applied",
        "pre_incubation",
        director.id,
        "Strong pitch",
    )
    page = _text(client.get(url + "?lang=en"))
    assert "The stage is now: Pre-incubation." in page
    assert '<td class="reason">Strong pitch</td>' in page


@pytest.mark.parametrize(
    ("stage", "to_stage", "message"),
    [
        ("applied", "incubation", "A startup moves one step forward at a time, or to not selected or withdrawn."),
        ("applied", "graduated", "A startup moves one step forward at a time, or to not selected or withdrawn."),
        ("applied", "applied", "A startup moves one step forward at a time, or to not selected or withdrawn."),
        (
            "incubation",
            "pre_incubation",
            "A startup moves one step forward at a time, or to not selected or withdrawn.",
        ),
        ("withdrawn", "applied", "This startup's stage is final; it cannot move any more."),
        ("graduated", "withdrawn", "This startup's stage is final; it cannot move any more."),
        ("not_selected", "pre_incubation", "This startup's stage is final; it cannot move any more."),
        ("applied", "bogus", "Unknown stage: bogus."),
    ],
)
def test_refused_stage_change_is_shown_and_nothing_typed_is_lost(client, director, make, db, stage, to_stage, message):
    cohort = make.cohort(make.space())
    (membership,) = make.startups(cohort, [stage])
    url = f"/cohorts/{cohort}/startups/{membership}"
    before = len(db.scalars(select(StageChange)))
    response = post_form(client, url + "/stage", {"to_stage": to_stage, "reason": "Typed <reason> & notes"}, page=url)
    page = _text(response)
    assert response.status_code == 200
    assert _errors(page) == [message.replace("'", "&#39;")]
    if stage in ("applied", "incubation"):
        assert ">\r\nTyped &lt;reason&gt; &amp; notes</textarea>" in page
    assert db.scalar(select(CohortStartup.stage)) == stage
    assert len(db.scalars(select(StageChange))) == before


def test_stage_change_needs_a_stage_and_a_reason(client, director, make, db):
    cohort = make.cohort(make.space())
    (membership,) = make.startups(cohort, ["applied"])
    url = f"/cohorts/{cohort}/startups/{membership}"
    page = _text(post_form(client, url + "/stage", {"to_stage": "", "reason": "Kept"}, page=url))
    assert _errors(page) == ["Please correct the fields marked below.", "This field is required."]
    assert ">\r\nKept</textarea>" in page
    page = _text(post_form(client, url + "/stage", {"to_stage": "withdrawn", "reason": ""}, page=url))
    assert _errors(page) == ["Please correct the fields marked below.", "This field is required."]
    assert '<option selected value="withdrawn">Withdrawn</option>' in page
    assert db.scalar(select(CohortStartup.stage)) == "applied"


def test_final_stage_offers_no_form(client, director, make):
    cohort = make.cohort(make.space())
    (membership,) = make.startups(cohort, ["graduated"])
    page = _text(client.get(f"/cohorts/{cohort}/startups/{membership}?lang=en"))
    assert "<p>This startup's stage is final; it cannot move any more.</p>" in page
    assert 'name="to_stage"' not in page


def test_timeline_of_a_startup_in_another_cohort_is_404(client, director, make):
    space = make.space()
    first = make.cohort(space, name="First")
    second = make.cohort(space, name="Second")
    (membership,) = make.startups(first, ["applied"])
    assert client.get(f"/cohorts/{second}/startups/{membership}").status_code == 404
    url = f"/cohorts/{first}/startups/{membership}"
    response = post_form(client, f"/cohorts/{second}/startups/{membership}/stage", {"to_stage": "withdrawn"}, page=url)
    assert response.status_code == 404


# --- public call pages ------------------------------------------------------


def test_open_call_is_public_with_its_details(client, make):
    area = make.area("games", "Gim", "Games")
    space = make.space(area_ids=[area])
    now = datetime.now(UTC)
    closes = datetime(2099, 12, 31, 16, 59, tzinfo=UTC)
    cohort = make.cohort(
        space, opens=now - timedelta(days=1), closes=closes, area_ids=[area], description="Mentors\nand <b>money</b>"
    )
    page = _text(client.get(f"/calls/{cohort}?lang=en"))
    assert "<h1>Hetero for Startup Solo 2026</h1>" in page
    assert "Closes 31 Dec 2099 23.59 WIB" in page
    assert "<dt>Host space</dt><dd>Hetero Space Solo, Surakarta</dd>" in page
    assert '<span class="tag wrap">Games</span>' in page
    assert '<div class="call-text">Mentors\nand &lt;b&gt;money&lt;/b&gt;</div>' in page
    assert '<a class="button" href="/auth/register">Apply</a>' in page
    listing = _text(client.get("/calls?lang=en"))
    assert f'<a href="/calls/{cohort}">Hetero for Startup Solo 2026</a>' in listing
    welcome = _text(client.get("/?lang=en"))
    assert f'<a href="/calls/{cohort}">Hetero for Startup Solo 2026</a>' in welcome
    assert "Closes 31 Dec 2099 23.59 WIB" in welcome


def test_call_apply_button_for_signed_in_applicants_starts_an_application(client, login_as, make):
    cohort = make.cohort(make.space())
    login_as(client, "applicant")
    page = _text(client.get(f"/calls/{cohort}?lang=en"))
    assert f'<a class="button" href="/calls/{cohort}/apply">Apply</a>' in page


def test_call_page_tells_other_roles_how_founders_apply(client, login_as, make):
    cohort = make.cohort(make.space())
    login_as(client, "judge")
    page = _text(client.get(f"/calls/{cohort}?lang=en"))
    assert "Founders apply with an applicant account." in page
    assert f"/calls/{cohort}/apply" not in page


def test_call_not_yet_open_shows_when_it_opens(client, make):
    opens = datetime(2099, 1, 1, 1, 0, tzinfo=UTC)
    cohort = make.cohort(make.space(), opens=opens, closes=opens + timedelta(days=30))
    page = _text(client.get(f"/calls/{cohort}?lang=en"))
    assert "Applications open 1 Jan 2099 08.00 WIB" in page
    assert "Closes 31 Jan 2099 08.00 WIB" in page


def test_unpublished_or_closed_calls_are_404_and_unlisted(client, make):
    space = make.space()
    now = datetime.now(UTC)
    hidden = make.cohort(space, name="Unpublished", published=False)
    closed = make.cohort(space, name="Closed", opens=now - timedelta(days=30), closes=now - timedelta(minutes=1))
    shown = make.cohort(space, name="Soon closing", closes=now + timedelta(days=1))
    later = make.cohort(space, name="Later closing", closes=now + timedelta(days=9))
    assert client.get(f"/calls/{hidden}").status_code == 404
    assert client.get(f"/calls/{closed}").status_code == 404
    assert client.get("/calls/999").status_code == 404
    listing = _text(client.get("/calls?lang=en"))
    assert re.findall(r'<a href="/calls/(\d+)">', listing) == [str(shown), str(later)]
    welcome = _text(client.get("/?lang=en"))
    assert re.findall(r'<a href="/calls/(\d+)">', welcome) == [str(shown), str(later)]


def test_no_open_call_says_so(client):
    assert "No call is open right now. Come back soon." in _text(client.get("/calls?lang=en"))
    assert "No call is open right now. Come back soon." in _text(client.get("/?lang=en"))


# --- the funnel chart -------------------------------------------------------


def test_funnel_svg_draws_proportional_bars_and_escapes_text():
    svg = str(funnel_svg([("A <b>&", 4), ('Say "hi"', 2), ("None", 0)], "Title <x>", width=300))
    assert svg.startswith(
        '<svg xmlns="http://www.w3.org/2000/svg" role="img" '
        'aria-label="Title &lt;x&gt;: A &lt;b&gt;&amp;: 4; Say &#34;hi&#34;: 2; None: 0" '
        'width="300" height="112" viewBox="0 0 300 112"'
    )
    assert "<title>Title &lt;x&gt;</title>" in svg
    assert ">A &lt;b&gt;&amp;</text>" in svg
    assert ">Say &#34;hi&#34;</text>" in svg
    # label column 8*8+16 = 80, count column 40: bars share 180 px, the largest takes all of it.
    bars = re.findall(r'<rect x="80" y="(\d+)" width="([\d.]+)" height="22" fill="#0b5c4a"/>', svg)
    assert bars == [("13", "180"), ("45", "90")]
    assert re.findall(r'font-weight="bold">(\d+)</text>', svg) == ["4", "2", "0"]
    assert "style=" not in svg
    assert "<script" not in svg


def test_funnel_svg_with_no_rows_or_only_zeros():
    assert str(funnel_svg([], "Empty")).count("<rect") == 0
    zeros = str(funnel_svg([("Applied", 0)], "Zero"))
    assert zeros.count('fill="#0b5c4a"') == 0
    assert 'aria-label="Zero: Applied: 0"' in zeros


# --- page structure ---------------------------------------------------------


def test_every_page_has_one_h1_labelled_controls_and_no_inline_style(client, director, make):
    area = make.area()
    space = make.space(area_ids=[area])
    cohort = make.cohort(space, area_ids=[area])
    make.round(cohort, closes=datetime.now(UTC) + timedelta(days=2))
    (membership,) = make.startups(cohort, ["applied"], area_id=area)
    urls = [
        "/focus-areas",
        "/focus-areas/new",
        f"/focus-areas/{area}/edit",
        "/spaces",
        "/spaces/new",
        f"/spaces/{space}/edit",
        "/cohorts",
        "/cohorts/new",
        f"/cohorts/{cohort}/edit",
        f"/cohorts/{cohort}/copy",
        f"/cohorts/{cohort}",
        f"/cohorts/{cohort}/startups/{membership}",
        "/calls",
        f"/calls/{cohort}",
    ]
    for url in urls:
        response = client.get(url)
        page = _text(response)
        assert response.status_code == 200, url
        assert page.count("<h1") == 1, url
        assert "style=" not in page, url
        assert "<script" not in page, url
        controls = re.findall(r"<(?:input|select|textarea)\b[^>]*>", page)
        for control in controls:
            if 'type="hidden"' in control or 'type="submit"' in control:
                continue
            control_id = re.search(r'\bid="([^"]+)"', control).group(1)
            assert f'<label for="{control_id}">' in page, (url, control)
        for wide in re.findall(r"(<div[^>]*>)\s*<table>", page):
            assert 'class="table-wrap" tabindex="0" role="region" aria-label="' in wide, url


@pytest.mark.parametrize("typed", ["0001-01-01T00:00", "1899-12-31T23:59", "9999-12-31T23:59"])
def test_cohort_window_in_a_year_no_programme_has_is_refused_with_values_kept(client, director, make, db, typed):
    space = make.space()
    response = post_form(client, "/cohorts/new?lang=en", _cohort_form(space, opens_at=typed))
    page = _text(response)
    assert response.status_code == 200
    assert _errors(page) == ["Please correct the fields marked below.", "Enter a date between 2000 and 2100."]
    assert f'value="{typed}"' in page
    assert db.scalars(select(Cohort)) == []


def test_funnel_svg_names_both_axes_when_asked_and_writes_counts_as_told():
    plain = str(funnel_svg([("Applied", 5000)], "Stages"))
    named = str(funnel_svg([("Applied", 5000)], "Stages", axes=("Stage", "Startups"), count_label="{:,}".format))
    assert "axis-title" not in plain
    # The labels' name above them, the counts' under a base line: two lines of 24 more.
    assert re.findall(r'<text class="axis-title"[^>]*>([^<]*)</text>', named) == ["Stage", "Startups"]
    assert 'height="96"' in named and 'height="48"' in plain
    assert 'font-weight="bold">5,000</text>' in named and 'aria-label="Stages: Applied: 5,000"' in named


def test_compare_bars_svg_names_its_axes_with_the_shared_scale():
    from incubator.core.charts import compare_bars_svg

    rows = [("Problem", 80.0, 60.0, 0.0, 100.0, "+20"), ("Team", 40.0, None, 0.0, 100.0, "-")]
    svg = str(compare_bars_svg(rows, "Means", ("Gate 2", "Gate 1"), axes=("Criterion", "Mean (0–100)")))
    assert re.findall(r'<text class="axis-title"[^>]*>([^<]*)</text>', svg) == ["Criterion", "Mean (0–100)"]
    assert re.findall(r'text-anchor="middle" fill="#1d2327">(\d+)</text>', svg) == ["0", "25", "50", "75", "100"]
    mixed = [rows[0], ("Market", 3.0, 2.0, 1.0, 5.0, "+1")]  # two scales: no shared ticks
    assert ">25</text>" not in str(compare_bars_svg(mixed, "Means", ("A", "B"), axes=("Criterion", "Mean")))
