"""Hostile text through every text field, shown escaped on every page, in PDFs and in CSV exports.

The security review asks for at least 30 hostile inputs (tests/hostile.py) pushed through every
text field. Each form is a SURFACE: its text fields, the fields a browser sends with them, and
the pages that show the text (with the role that sees them). The inputs are rotated through the
fields as a Latin square: submission k puts input (k + j) mod N in field j, so after N
submissions every input has been through every field, cut to the field's length limit. After
each submission the form itself and every page are read back: the escaped text is there
exactly, and no element, handler or `javascript:` link came out of it. The very long string is
refused by each field with its length message, keeping everything typed.
"""

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from types import SimpleNamespace

import pytest

from incubator.extensions import db as _db
from tests.conftest import CSRF_RE, open_round_with_criterion, post_form
from tests.hostile import HOSTILE, LONG, VALUES, assert_safe, escaped, fit, stored

N = len(HOSTILE)
PASSWORD = "Kopi-Tubruk-2026"


def too_long(limit: int) -> str:
    return f"Gunakan maksimal {limit} karakter."


# --- the world: one cohort with a startup in every role's reach ---------------------------------


def build_world(app, create_user, create_cohort) -> SimpleNamespace:
    """A cohort; a founder's startup in pre-incubation (team member, mentor with a note and an action
    item, a KPI metric and report, a milestone) assigned to a judge in an open round, and a second
    startup of the founder with a draft pitch; a rubric template and an activity."""
    from incubator.activities.services import save_activity
    from incubator.applications.models import Application
    from incubator.cohorts.models import Cohort
    from incubator.cohorts.services import change_stage
    from incubator.core.database import utcnow
    from incubator.judging.models import Assignment
    from incubator.judging.rounds import services as judging
    from incubator.judging.rounds.rubric import Scale
    from incubator.kpis import services as kpis
    from incubator.mentoring import services as mentoring
    from incubator.mentoring.queries import today_wib
    from incubator.milestones.services import save_milestone
    from incubator.startups.models import Startup, TeamMember

    made = create_cohort()
    founder = create_user(email="founder@example.org", name="Founder", roles=["applicant"])
    judge = create_user(email="judge@example.org", name="Judge", roles=["judge"])
    mentor = create_user(email="mentor@example.org", name="Mentor", roles=["mentor"])
    with app.test_request_context():
        director = _db.session.merge(made.director)
        cohort = _db.session.get(Cohort, made.id)
        startup = Startup(name="Batik Lurik", city="Surakarta", owner_id=founder.id, focus_area_id=made.area_ids[0])
        startup.members.append(TeamMember(name="Sari", role="CEO", position=0))
        draft_startup = Startup(name="Kopi Merapi", city="Klaten", owner_id=founder.id)
        _db.session.add_all([startup, draft_startup])
        _db.session.flush()
        submitted = Application(startup=startup, cohort=cohort, status="submitted", submitted_at=utcnow())
        draft = Application(startup=draft_startup, cohort=cohort, status="draft")
        _db.session.add_all([submitted, draft])
        change_stage(startup, cohort, "applied", None, system=True)
        membership = change_stage(startup, cohort, "pre_incubation", director).cohort_startup
        mentoring.assign_mentor(membership, _db.session.merge(mentor), director)
        note = mentoring.save_note(
            None,
            membership,
            _db.session.merge(mentor),
            held_on=today_wib() - timedelta(days=1),
            duration_minutes=60,
            theme="finance",
            body="Notes",
            visibility="shared",
            items=[mentoring.ItemInput(title="Buat NIB")],
        )
        round_, criterion = open_round_with_criterion(cohort, director)
        _db.session.add(Assignment(round_id=round_.id, application_id=submitted.id, judge_id=judge.id))
        template = judging.save_template(None, name="Template", description="", actor=director)
        template_criterion = judging.save_criterion(
            template,
            None,
            name="Market",
            description="",
            weight=Decimal(1),
            scale=Scale(Decimal(1), Decimal(3), Decimal(1)),
            descriptors={},
            actor=director,
        )
        metric = kpis.add_metric(cohort, "Followers", "", director)
        month = today_wib().replace(day=1)
        kpis.save_report(membership, month, kpis.Figures(1, 1, 1, 0, 0), _db.session.merge(founder))
        milestone = save_milestone(
            cohort, None, stage="pre_incubation", title="NIB", description="", position=None, actor=director
        )
        activity = save_activity(
            None,
            cohort,
            kind="class",
            title="Kelas legalitas",
            theme="legality_licensing",
            description="",
            starts_at=utcnow(),
            ends_at=utcnow() + timedelta(hours=2),
            space=cohort.space,
            capacity=None,
            actor=director,
        )
        _db.session.commit()
        return SimpleNamespace(
            users={"director": made.director, "founder": founder, "judge": judge, "mentor": mentor},
            judge_id=judge.id,
            cohort=made.id,
            space=made.space_id,
            area=made.area_ids[0],
            startup=startup.id,
            member=startup.members[0].id,
            application=submitted.id,
            draft=draft.id,
            cs=membership.id,
            note=note.id,
            item=note.action_items[0].id,
            round=round_.id,
            rubric=round_.rubric.id,
            criterion=criterion.id,
            template=template.id,
            template_criterion=template_criterion.id,
            metric=metric.id,
            month=month.isoformat()[:7],
            milestone=milestone.id,
            activity=activity.id,
        )


@pytest.fixture
def world(app, create_user, create_cohort):
    return build_world(app, create_user, create_cohort)


@pytest.fixture
def browsers(app, world, make_client, login_as):
    """browsers[who]: a signed-in client per role of the world, and an anonymous one (no rate limits:
    the sign-up form is sent once per input)."""
    from incubator.extensions import limiter

    limiter.enabled = False  # put back after the test by the app fixture
    made = {"anonymous": make_client()}
    for who, user in world.users.items():
        made[who] = make_client()
        login_as(made[who], user)
    return made


# --- surfaces: every form with text fields ------------------------------------------------------


def one_line(text: str) -> str:
    return " ".join(text.split())


@dataclass(frozen=True)
class Text:
    name: str
    limit: int
    on_pages: bool = True  # False: rendered (Markdown), so checked exactly only in the form
    kept: object = str  # what the app keeps of the text (beyond dropping NULs and stripping)


@dataclass(frozen=True)
class Page:
    who: str
    url: str
    shows: tuple[str, ...] | None = None  # the text fields it shows exactly; None: all of them


@dataclass(frozen=True)
class Surface:
    name: str
    who: str  # who submits the form
    form: str  # the form's URL, formatted with the world's ids
    texts: tuple[Text, ...]
    fixed: dict = field(default_factory=dict)  # the other fields, as a browser sends them
    pages: tuple["Page", ...] = ()  # the pages that show the text
    post: str | None = None  # where the form is sent, when not to its own page
    hidden: tuple[str, ...] = ()  # hidden inputs copied from the form page (e.g. a sheet's version)
    reset: object = None  # reset(app, world, browsers) after each round, so that the form can be sent again
    echo: bool = True  # the form page shows the saved text again
    done: int = 302  # the status of a successful submission

    def url(self, url: str, world, k: int = 0) -> str:
        return url.format(**vars(world), k=k)

    def __str__(self):
        return self.name


def _post(browser, url: str, page: str) -> None:
    """A button's POST (with the CSRF token of the page it is on)."""
    response = post_form(browser, url, page=page)
    assert response.status_code == 302, url


def _forget_conflicts(app, world, browsers) -> None:
    """Conflicts leave the database, so that the same judge and application can be declared again."""
    from sqlalchemy import delete

    from incubator.judging.models import ConflictDeclaration

    with app.app_context():
        _db.session.execute(delete(ConflictDeclaration))
        _db.session.commit()


WIB_LATER = (date.today() + timedelta(days=30)).isoformat()
SURFACES = [
    Surface(
        "startup_profile",
        "founder",
        "/startups/{startup}/edit",
        (Text("name", 160), Text("city", 80), Text("description", 2000)),
        {"focus_area_id": "{area}", "business_stage": "mvp", "legal_status": "unincorporated"},
        pages=(
            Page("founder", "/startups/{startup}"),
            Page("director", "/startups/{startup}"),
            Page("founder", "/startups", ("name",)),
            Page("director", "/cohorts/{cohort}", ("name",)),
            Page("judge", "/rounds/{round}/queue", ("name",)),
        ),
    ),
    Surface(
        "team_member",
        "founder",
        "/startups/{startup}/team/{member}/edit",
        (Text("name", 120), Text("role", 80)),
        pages=(Page("founder", "/startups/{startup}"), Page("director", "/startups/{startup}")),
    ),
    Surface(
        "pitch",
        "founder",
        "/applications/{draft}/edit",
        (
            Text("problem", 2000),
            Text("solution", 2000),
            Text("target_market", 1500),
            Text("business_model", 1500),
            Text("traction", 1500),
            Text("why_programme", 1500),
        ),
        {"save": "1"},
        pages=(Page("founder", "/applications/{draft}"), Page("director", "/applications/{draft}")),
    ),
    Surface(
        "focus_area",
        "director",
        "/focus-areas/{area}/edit",
        (Text("name_id", 80), Text("name_en", 80)),
        {"code": "crafts"},
        pages=(Page("director", "/focus-areas"), Page("anonymous", "/calls/{cohort}", ("name_id",))),
    ),
    Surface(
        "space",
        "director",
        "/spaces/{space}/edit",
        (Text("name", 120), Text("city", 80), Text("description", 5000)),
        {"focus_areas": "{area}"},
        pages=(Page("director", "/spaces", ("name", "city")), Page("anonymous", "/calls/{cohort}", ("name", "city"))),
    ),
    Surface(
        "cohort",
        "director",
        "/cohorts/{cohort}/edit",
        (Text("name", 160), Text("description", 20000)),
        {
            "space_id": "{space}",
            "focus_areas": "{area}",
            "opens_at": "2026-01-01T08:00",
            "closes_at": f"{WIB_LATER}T17:00",
            "required_attendance": "0",
            "published": "y",
        },
        pages=(
            Page("director", "/cohorts/{cohort}", ("name",)),
            Page("anonymous", "/calls/{cohort}"),
            Page("anonymous", "/calls", ("name",)),
            Page("founder", "/applications/{draft}", ("name",)),
        ),
    ),
    Surface(
        "round",
        "director",
        "/rounds/{round}/edit",
        (Text("name", 120),),
        {
            "decides_stage": "pre_incubation",
            "judges_per_application": "1",
            "ranking_basis": "raw",
            "disagreement_threshold": "15",
        },
        pages=(Page("director", "/rounds/{round}"), Page("judge", "/rounds/{round}/queue")),
    ),
    Surface(
        "rubric_template",
        "director",
        "/rubrics/{template}/edit",
        (Text("name", 120), Text("description", 2000)),
        pages=(Page("director", "/rubrics/{template}"), Page("director", "/rubrics", ("name",))),
    ),
    Surface(
        "criterion",
        "director",
        "/rubrics/{template}/criteria/{template_criterion}/edit",
        (Text("name", 120), Text("description", 2000), *(Text(f"level-{n}", 300) for n in range(1, 4))),
        {"weight": "1", "scale_min": "1", "scale_max": "3", "scale_step": "1"},
        pages=(Page("director", "/rubrics/{template}"),),
    ),
    Surface(
        "score_sheet",
        "judge",
        "/rounds/{round}/applications/{application}/score",
        (Text("overall_comment", 5000), Text("comment_{criterion}", 5000)),
        {"score_{criterion}": "3", "recommendation": "maybe", "save": "1"},
        hidden=("version",),
    ),
    Surface(
        "mentor_note",
        "mentor",
        "/notes/{note}/edit",
        (Text("body", 20000, on_pages=False), Text("items-0-title", 300)),
        {
            "held_on": (date.today() - timedelta(days=2)).isoformat(),
            "duration_minutes": "45",
            "theme": "finance",
            "visibility": "shared",
            "items-0-item_id": "{item}",
            "items-0-owner": "team",
            "items-0-status": "open",
            "items-0-due_on": "",
        },
        pages=(
            Page("mentor", "/cohort-startups/{cs}"),
            Page("founder", "/cohort-startups/{cs}"),
        ),
    ),
    Surface(
        "action_item_comment",
        "founder",
        "/action-items/{item}/status",
        (Text("comment", 500),),
        {"status": "in_progress"},
        pages=(Page("founder", "/cohort-startups/{cs}"), Page("mentor", "/cohort-startups/{cs}")),
    ),
    Surface(
        "activity",
        "director",
        "/activities/{activity}/edit",
        (Text("title", 200), Text("description", 5000)),
        {
            "kind": "class",
            "theme": "finance",
            "starts_at": "2026-07-01T09:00",
            "ends_at": "2026-07-01T12:00",
            "space_id": "{space}",
            "capacity": "",
        },
        pages=(
            Page("director", "/activities/{activity}"),
            Page("director", "/cohorts/{cohort}/activities", ("title",)),
        ),
    ),
    Surface(
        "kpi_metric",
        "director",
        "/cohorts/{cohort}/kpis/metrics/{metric}/edit",
        (Text("name", 120), Text("unit", 30)),
        pages=(
            Page("director", "/cohorts/{cohort}/kpis/metrics"),
            Page("founder", "/cohort-startups/{cs}/kpis/report", ("name", "unit")),
        ),
    ),
    Surface(
        "kpi_report_note",
        "founder",
        "/cohort-startups/{cs}/kpis/report",
        (Text("note", 2000),),
        {
            "month": "{month}",
            "revenue": "1500000",
            "paying_customers": "3",
            "employees_full_time": "1",
            "employees_part_time": "0",
            "funding_raised": "0",
            "replace": "1",
        },
        echo=False,  # the form opens empty for a new month; the report is shown below
        pages=(Page("founder", "/cohort-startups/{cs}/kpis"), Page("mentor", "/cohort-startups/{cs}/kpis")),
    ),
    Surface(
        "milestone",
        "director",
        "/cohorts/{cohort}/milestones/{milestone}/edit",
        (Text("title", 200), Text("description", 2000)),
        {"stage": "pre_incubation", "position": "1"},
        pages=(
            Page("director", "/cohorts/{cohort}/milestones"),
            Page("founder", "/cohort-startups/{cs}/milestones"),
        ),
    ),
    Surface(
        "milestone_evidence",
        "founder",
        "/cohort-startups/{cs}/milestones",
        (Text("m{milestone}-evidence_note", 1000),),
        {"m{milestone}-evidence_url": ""},
        post="/cohort-startups/{cs}/milestones/{milestone}/tick",
        reset=lambda app, world, browsers: _post(
            browsers["founder"],
            f"/cohort-startups/{world.cs}/milestones/{world.milestone}/untick",
            f"/cohort-startups/{world.cs}/milestones",
        ),
        pages=(Page("mentor", "/cohort-startups/{cs}/milestones"),),
    ),
    Surface(
        "conflict_declared_by_judge",
        "judge",
        "/rounds/{round}/applications/{application}/conflict",
        (Text("reason", 500, kept=one_line),),
        echo=False,  # once declared, the application leaves the judge's list
        reset=_forget_conflicts,
        pages=(Page("director", "/rounds/{round}/conflicts"),),
    ),
    Surface(
        "conflict_marked_by_director",
        "director",
        "/rounds/{round}/conflicts",
        (Text("reason", 500, kept=one_line),),
        {"application_id": "{application}", "judge_id": "{judge_id}"},
        reset=_forget_conflicts,
    ),
    Surface(
        "sign_up",
        "anonymous",
        "/auth/register",
        (Text("name", 120),),
        {"email": "signup{k}@example.org", "password": PASSWORD, "confirm": PASSWORD, "consent": "y"},
        echo=False,
        done=200,  # the page that asks to confirm the e-mail address
        pages=(Page("director", "/admin/users?q=signup{k}%40"),),
    ),
    Surface(
        "invitation",
        "director",
        "/admin/users/invite",
        (Text("name", 120),),
        {"email": "invited{k}@example.org", "roles": "judge", "locale": "id"},
        echo=False,
        pages=(Page("director", "/admin/users?q=invited{k}%40"),),
    ),
]


def _form_values(surface, world, k: int) -> tuple[dict, dict]:
    """The submission k of the Latin square: (what is posted, {field: text the pages must show})."""
    typed = {surface.url(t.name, world): fit(VALUES[(k + j) % N], t.limit) for j, t in enumerate(surface.texts)}
    data = {surface.url(name, world): surface.url(value, world, k) for name, value in surface.fixed.items()}
    kept = {surface.url(t.name, world): t.kept(stored(typed[surface.url(t.name, world)])) for t in surface.texts}
    return data | typed, kept


def _csrf(html: str) -> str:
    match = CSRF_RE.search(html)
    assert match, "no CSRF token"
    return match.group(1)


def _errors(html: str) -> list[str]:
    return re.findall(r'class="[^"]*error[^"]*"[^>]*>([^<]*)<', html)


def _read(browser, url: str) -> str:
    response = browser.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.get_data(as_text=True)


def _check_page(html: str, typed: dict, where: str, shows=None) -> None:
    """No injection anywhere on the page, and each shown field's text exactly, escaped."""
    assert_safe(html, where)
    for name, value in typed.items():
        if shows is None or name in shows:
            assert escaped(value).strip() in html, f"{where}: {name}={value!r} not shown escaped"


def _hidden(html: str, name: str) -> str:
    match = re.search(rf'name="{name}"[^>]*value="([^"]*)"', html) or re.search(
        rf'value="([^"]*)"[^>]*name="{name}"', html
    )
    return match.group(1) if match else ""


@pytest.mark.parametrize("surface", SURFACES, ids=str)
def test_every_field_shows_every_hostile_input_escaped_and_refuses_too_long_text(surface, app, world, browsers):
    browser = browsers[surface.who]
    form_url = surface.url(surface.form, world)
    post_url = surface.url(surface.post or surface.form, world)
    form_page = _read(browser, form_url)
    shown = {surface.url(t.name, world) for t in surface.texts if t.on_pages}
    for k in range(N):
        data, typed = _form_values(surface, world, k)
        data |= {name: _hidden(form_page, name) for name in surface.hidden}
        response = browser.post(post_url, data=data | {"csrf_token": _csrf(form_page)})
        html = response.get_data(as_text=True)
        assert response.status_code == surface.done, (HOSTILE[k][0], response.status_code, _errors(html))
        form_page = _read(browser, form_url)
        _check_page(form_page, typed, f"{surface.name} form, {HOSTILE[k][0]}", None if surface.echo else ())
        for page in surface.pages:
            html = _read(browsers[page.who], surface.url(page.url, world, k))
            _check_page(html, typed, f"{page.url} as {page.who}, {HOSTILE[k][0]}", page.shows or shown)
        if surface.reset:
            surface.reset(app, world, browsers)
    for text in surface.texts:
        _refuses_too_long_text(surface, world, browser, text)


def _refuses_too_long_text(surface, world, browser, text: Text) -> None:
    """LONG in one field: the field's length message, and every field shows back what was typed."""
    name = surface.url(text.name, world)
    form_page = _read(browser, surface.url(surface.form, world))
    data, typed = _form_values(surface, world, 0)
    data |= {n: _hidden(form_page, n) for n in surface.hidden} | {name: LONG}
    response = browser.post(
        surface.url(surface.post or surface.form, world), data=data | {"csrf_token": _csrf(form_page)}
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200, (name, response.status_code)
    assert too_long(text.limit) in html, (name, _errors(html))
    assert LONG in html  # shown back in its box, for the user to shorten
    _check_page(html, {n: v for n, v in typed.items() if n != name}, f"{surface.name} refused {name}")


# --- CSV and XLSX exports: formulas neutralised, everything else exactly as typed ---------------

# Beyond what a form lets through (values are stripped there): cells led by a tab or a CR.
CSV_ONLY = [("tab_formula", "\t=1+1"), ("cr_formula", "\r=1+1")]
EXPORTED = [(name, fit(stored(value), 160)) for name, value in HOSTILE + CSV_ONLY]


def in_spreadsheet(text: str) -> str:
    """What a cell must hold: bidi controls dropped (the right-to-left override in the hostile
    "invoice...gnp.exe" shows it as "invoiceexe.png"), and text led by = + - @ (or a tab or CR)
    quoted with an apostrophe."""
    text = text.replace("\u202e", "")
    return "'" + text if text[0] in "=+-@\t\r" else text


def test_formula_neutralising_covers_the_cases_of_the_review():
    assert [in_spreadsheet(v) for _n, v in EXPORTED if in_spreadsheet(v) != v] == [
        "'--><script>alert(1)</script><!--",
        '\'=HYPERLINK("http://evil.example","klik")',
        "'+cmd|' /C calc'!A0",
        "'-2+3",
        "'@SUM(1+1)*cmd|' /C calc'!A0",
        "invoicegnp.exe",  # the right-to-left override dropped
        "'\t=1+1",
        "'\r=1+1",
    ]


def _csv(response, column: str) -> list[str]:
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True), newline="")))
    return [row[column] for row in rows]


def _xlsx(response, column: str) -> list:
    from openpyxl import load_workbook

    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.data)).active
    header = [c.value for c in sheet[1]]
    cells = [row[header.index(column)] for row in sheet.iter_rows(min_row=2)]
    assert {c.data_type for c in cells if c.value is not None} <= {"s", "inlineStr"}  # text, never a formula
    return [c.value for c in cells]


def xml_lines(text: str) -> str:
    """An XML reader (Excel's too) reads a CR, alone or before a LF, as a LF."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


@pytest.fixture
def hostile_round(app, create_user, create_cohort):
    """A closed round whose applications' startups are named with every hostile input, one sheet each."""
    from tests.test_ranking_pages import _build_round

    names = [value for _name, value in EXPORTED]
    return _build_round(
        app,
        create_user,
        create_cohort,
        names=names,
        judges=["Ani"],
        sheets={("Ani", n): (50, 50) for n in names},
        conflict=False,
    )


@pytest.mark.parametrize(("export", "rows_per_startup"), [("ranking", 1), ("scores", 2)])
def test_round_exports_neutralise_formulas_and_keep_other_text(
    hostile_round, client, login_as, export, rows_per_startup
):
    login_as(client, hostile_round["director"])
    expected = [in_spreadsheet(v) for _n, v in EXPORTED] * rows_per_startup
    for kind, read, cell in (("csv", _csv, str), ("xlsx", _xlsx, xml_lines)):
        cells = read(client.get(f"/rounds/{hostile_round['round']}/{export}.{kind}"), "startup")
        assert sorted(cells) == sorted(map(cell, expected)), kind


def test_attendance_and_kpi_exports_neutralise_formulas_and_keep_other_text(app, world, browsers):
    """Startups named with every input, all checked in to an activity, each with a KPI note; a metric per input."""
    from incubator.cohorts.models import Cohort, CohortStartup
    from incubator.kpis import services as kpis
    from incubator.mentoring.queries import today_wib
    from tests.activities_world import add_activity, add_startups, check_in

    values = [value for _name, value in EXPORTED]
    ids = add_startups(app, world.cohort, [(v, "pre_incubation") for v in values])
    activity = add_activity(app, world.cohort, world.users["director"], title=values[0])
    with app.test_request_context():
        cohort = _db.session.get(Cohort, world.cohort)
        for value in values:
            check_in(app, activity, ids[value], world.users["director"])
            figures = kpis.Figures(1, 1, 1, 0, 0, note=value)
            kpis.save_report(_db.session.get(CohortStartup, ids[value]), today_wib().replace(day=1), figures, None)
        for value in values[:8]:
            kpis.add_metric(cohort, value.strip(), "", None)
        _db.session.commit()
    director = browsers["director"]
    names = [in_spreadsheet(v) for v in values]
    notes = [in_spreadsheet(v.strip()) for v in values]  # a note is kept stripped
    for kind, read, cell in (("csv", _csv, str), ("xlsx", _xlsx, xml_lines)):
        startups = read(director.get(f"/cohorts/{world.cohort}/attendance.{kind}"), "startup")
        assert sorted(set(startups) - {"Batik Lurik"}) == sorted(map(cell, names)), kind
        kept = read(director.get(f"/cohorts/{world.cohort}/kpis.{kind}"), "note")
        assert sorted(n for n in kept if n) == sorted(map(cell, notes)), kind
    header = next(csv.reader(io.StringIO(director.get(f"/cohorts/{world.cohort}/kpis.csv").get_data(as_text=True))))
    assert header[9:] == [in_spreadsheet(v.strip()) for v in values[:8]]


# --- PDFs: the scorecard and the cohort report show the text as typed ------------------------------

IN_PDF = [stored(v) for _n, v in HOSTILE if len(v) < 300]
# What a PDF's text layer gives back as typed: printable ASCII without "fi" or "fl" (set as one glyph).
ASCII = [v for v in IN_PDF if v.isascii() and v.isprintable() and "fi" not in v and "fl" not in v]


def _squeezed(text: str) -> str:
    # Lines wrap anywhere in a PDF, and pypdf reads some runs of text as UTF-16 (a NUL after each letter).
    return "".join(text.replace("\x00", "").split())


def test_scorecard_and_cohort_report_show_hostile_text_as_text(app, world, browsers, tmp_path):
    """The startup's profile and the judge's final sheet carry every input; the round is closed."""
    from pypdf import PdfReader
    from sqlalchemy import select

    from incubator.applications.models import Application
    from incubator.auth.models import User
    from incubator.judging.models import Round
    from incubator.judging.sheets.services import Entry, save_sheet
    from incubator.startups.models import Startup
    from tests.activities_world import add_startups

    everything = "\n".join(IN_PDF)
    # The cohort report shows a description's first 600 characters: the inputs go in chunks, a startup each.
    chunks = [[]]
    for value in IN_PDF:
        if len("\n".join([*chunks[-1], value])) > 590:
            chunks.append([])
        chunks[-1].append(value)
    add_startups(app, world.cohort, [(f"Startup {n}", "pre_incubation") for n in range(len(chunks))])
    with app.test_request_context():
        for n, chunk in enumerate(chunks):
            _db.session.scalar(select(Startup).where(Startup.name == f"Startup {n}")).description = "\n".join(chunk)
        startup = _db.session.get(Startup, world.startup)
        startup.name, startup.city, startup.description = IN_PDF[0], IN_PDF[1], everything
        save_sheet(
            world.round,
            _db.session.get(Application, world.application),
            _db.session.get(User, world.users["judge"].id),
            {world.criterion: Entry("4", everything)},
            overall_comment=everything,
            recommendation="advance",
            expected_version=0,
            submit=True,
        )
        _db.session.get(Round, world.round).phase = "closed"
        _db.session.commit()
    director = browsers["director"]
    documents = {
        "scorecard": (
            f"/rounds/{world.round}/applications/{world.application}/scorecard.pdf",
            ["export-scorecards", str(world.round)],
        ),
        "cohort report": (f"/cohorts/{world.cohort}/report.pdf", ["export-cohort-report", str(world.cohort)]),
    }
    for name, (url, command) in documents.items():
        response = director.get(url)
        assert response.status_code == 200, name
        text = _squeezed("\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.data)).pages))
        assert [v for v in ASCII if _squeezed(v) not in text] == [], name
        out = tmp_path / f"{name}.html"
        result = app.test_cli_runner().invoke(args=[*command, "--out", str(out), "--html"])
        assert result.exit_code == 0, result.output
        html = out.read_text(encoding="utf-8")
        assert_safe(html, name)
        assert [v for v in IN_PDF if xml_lines(escaped(v)) not in xml_lines(html)] == [], name  # CR LF kept as LF


# --- a CSV import with hostile cells ----------------------------------------------------------------


def as_imported(text: str) -> str:
    """A cell as the importer keeps it: zero-width spaces and BOMs dropped, line ends as LF, stripped."""
    return text.replace("\u200b", "").replace("\ufeff", "").replace("\r\n", "\n").strip()


def _db_rows(app, statement) -> list:
    with app.app_context():
        return list(_db.session.execute(statement))


IMPORT_HEADER = ["Stempel waktu", "Alamat email", "Nama startup", "Nama pendiri", "Kota/Kabupaten", "Bidang fokus"]
IMPORT_HEADER += ["Tahap usaha", "Status legalitas", "Masalah yang diselesaikan", "Solusi"]


def test_csv_import_with_hostile_cells_is_previewed_and_listed_escaped(app, world, browsers):
    """Row k carries input k as the startup's name, k+1 as the founder's, and so on (a NUL byte
    would make the file unreadable as text, so it is left out; see test_import_pages)."""
    values = [as_imported(fit(v, 80)) for v in VALUES if "\x00" not in v]  # 80: the city's limit
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(IMPORT_HEADER)
    rows = []
    for k in range(len(values)):
        texts = [values[(k + j) % len(values)] for j in range(5)]
        rows.append(texts)
        name, founder, city, problem, solution = texts
        writer.writerow(
            ["18/12/2021 09:14:05", f"row{k}@example.org", name, founder, city, "Kriya", "MVP", "CV", problem, solution]
        )
    director = browsers["director"]
    upload = post_form(
        director,
        f"/cohorts/{world.cohort}/import",
        {"file": (io.BytesIO(out.getvalue().encode()), "hostile.csv")},
        content_type="multipart/form-data",
    )
    assert upload.status_code == 302, _errors(upload.get_data(as_text=True))
    url = upload.headers["Location"]
    mapping_page = _read(director, url)
    assert_safe(mapping_page, "mapping")
    from incubator.applications import importer

    mapping = {k: "" if c is None else str(c) for k, c in importer.guess_mapping(IMPORT_HEADER).items()}
    app.config["EXPORT_JOBS_SYNC"] = True  # the check and the import are background jobs: here they run at once
    checked = post_form(director, url, mapping)
    assert checked.status_code == 303, _errors(checked.get_data(as_text=True))
    assert_safe(_read(director, checked.headers["Location"]), "preview")
    response = post_form(director, url + "/confirm", mapping, page=url)
    assert response.status_code == 303, _errors(response.get_data(as_text=True))
    app.config["PER_PAGE"] = 100  # every row on one page (the app fixture puts it back)
    listed = _read(director, f"/cohorts/{world.cohort}/applications")
    assert_safe(listed, "applications")
    # A name is kept on one line.
    assert [r[0] for r in rows if escaped(one_line(r[0])) not in listed] == []
    from sqlalchemy import select

    from incubator.applications.models import Application
    from incubator.auth.models import User
    from incubator.startups.models import Startup

    imported = dict(
        _db_rows(
            app,
            select(User.email, Application.id)
            .join(Startup, Startup.owner_id == User.id)
            .join(Application, Application.startup_id == Startup.id),
        )
    )
    for k, (name, _founder, _city, problem, solution) in enumerate(rows):
        page = _read(director, f"/applications/{imported[f'row{k}@example.org']}")
        _check_page(page, {"problem": problem, "solution": solution}, f"imported {name!r}")
