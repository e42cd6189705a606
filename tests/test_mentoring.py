"""Mentoring rules: safe Markdown, assignments, session notes with action items, ticking items."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from incubator.extensions import db as _db
from incubator.mentoring.markdown import render_markdown
from tests.mentoring_helpers import add_note, build_incubation

# --- Markdown -------------------------------------------------------------------------------


def test_markdown_renders_formatting_and_safe_links():
    html = render_markdown("**Bold** and *soft*\n\n- one\n- two\n\n[site](https://hetero.example/x)")
    assert html == (
        "<p><strong>Bold</strong> and <em>soft</em></p>\n<ul>\n<li>one</li>\n<li>two</li>\n</ul>\n"
        '<p><a href="https://hetero.example/x" rel="noopener noreferrer nofollow">site</a></p>\n'
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("<script>alert(1)</script>", "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>\n"),
        ("[click](javascript:alert(1))", "<p>[click](javascript:alert(1))</p>\n"),
        ("[click](JaVaScRiPt:alert(1))", "<p>[click](JaVaScRiPt:alert(1))</p>\n"),
        ('<img src=x onerror="alert(1)">', '<p>&lt;img src=x onerror="alert(1)"&gt;</p>\n'),
        ('<a href="http://x" onclick="y">z</a>', '<p>&lt;a href="http://x" onclick="y"&gt;z&lt;/a&gt;</p>\n'),
        # Images would load from another host: dropped.
        ("![pic](https://elsewhere.example/p.png)", "<p></p>\n"),
        (
            "[mail](mailto:ani@example.org)",
            '<p><a href="mailto:ani@example.org" rel="noopener noreferrer nofollow">mail</a></p>\n',
        ),
        ("[data](data:text/html;base64,PHNjcmlwdD4=)", "<p>[data](data:text/html;base64,PHNjcmlwdD4=)</p>\n"),
    ],
)
def test_markdown_renders_dangerous_input_harmless(text, expected):
    html = render_markdown(text)
    assert html == expected
    assert "<script" not in html and "<img" not in html and 'javascript:alert(1)"' not in html


def test_markdown_headings_sit_below_the_pages_own_headings():
    assert render_markdown("# Plan\n\n## Next\n\n#### Detail") == "<h4>Plan</h4>\n<h5>Next</h5>\n<h6>Detail</h6>\n"


def test_markdown_of_nothing_is_empty():
    assert render_markdown(None) == ""


# --- assignments -----------------------------------------------------------------------------


def test_assign_mentor_refuses_duplicates_and_non_mentors(app, create_user, create_cohort):
    from incubator.cohorts.models import CohortStartup
    from incubator.core.errors import ServiceError
    from incubator.mentoring import services
    from incubator.mentoring.models import MentorAssignment

    mentor = create_user(email="ment@example.org", roles=["mentor"])
    judge = create_user(email="judge@example.org", roles=["judge"])
    world = build_incubation(app, create_user, create_cohort, mentor=mentor)
    with app.test_request_context("/?lang=en"):
        cs = _db.session.get(CohortStartup, world.cs_ids[0])
        director = _db.session.merge(world.director)
        with pytest.raises(ServiceError) as duplicate:
            services.assign_mentor(cs, _db.session.merge(mentor), director)
        assert str(duplicate.value.message) == f"{mentor.name} already mentors Batik Lab."
        with pytest.raises(ServiceError) as not_mentor:
            services.assign_mentor(cs, _db.session.merge(judge), director)
        assert str(not_mentor.value.message) == "Only an active user with the mentor role can be assigned."
        assert _db.session.scalars(select(MentorAssignment.mentor_id)).all() == [mentor.id]


def test_assign_mentor_refuses_startups_still_applied(app, create_user, create_cohort):
    from incubator.cohorts.models import CohortStartup
    from incubator.core.errors import ServiceError
    from incubator.mentoring import services

    mentor = create_user(email="ment@example.org", roles=["mentor"])
    world = build_incubation(app, create_user, create_cohort)
    with app.test_request_context("/?lang=en"):
        cs = _db.session.get(CohortStartup, world.cs_ids[0])
        cs.stage = "applied"  # as if never advanced
        with pytest.raises(ServiceError) as refused:
            services.assign_mentor(cs, _db.session.merge(mentor), _db.session.merge(world.director))
        assert str(refused.value.message) == "Mentors are assigned to startups in pre-incubation or incubation only."
        _db.session.rollback()


# --- notes and items -------------------------------------------------------------------------


def test_save_note_keeps_titled_items_and_ignores_blank_rows(app, create_user, create_cohort):
    from incubator.audit.models import AuditEvent
    from incubator.mentoring.models import ActionItem, SessionNote
    from incubator.mentoring.queries import today_wib
    from incubator.mentoring.services import ItemInput

    mentor = create_user(email="ment@example.org", roles=["mentor"])
    world = build_incubation(app, create_user, create_cohort, mentor=mentor)
    due = today_wib() + timedelta(days=5)
    founder_id = world.founders[0].id
    note_id, item_ids = add_note(
        app,
        world.cs_ids[0],
        mentor,
        visibility="internal",
        items=[
            ItemInput(title="Register the NIB", owner_id=founder_id, due_on=due),
            ItemInput(title="  "),
            ItemInput(title="Intro to an investor", owner_id=mentor.id, status="in_progress"),
        ],
    )
    with app.app_context():
        items = _db.session.scalars(select(ActionItem).order_by(ActionItem.id)).all()
        assert [(i.title, i.owner_id, i.due_on, i.status, i.note_id) for i in items] == [
            ("Register the NIB", founder_id, due, "open", note_id),
            ("Intro to an investor", mentor.id, None, "in_progress", note_id),
        ]
        note = _db.session.get(SessionNote, note_id)
        assert (note.mentor_id, note.visibility, note.duration_minutes) == (mentor.id, "internal", 60)
        actions = _db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)).all()
        assert actions[-3:] == ["note.created", "action_item.created", "action_item.created"]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"held_on": 1}, "The session date cannot be in the future."),
        ({"duration_minutes": 0}, "The duration must be between 1 and 1440 minutes."),
        ({"duration_minutes": 1441}, "The duration must be between 1 and 1440 minutes."),
        ({"theme": ""}, "Choose a theme."),
        ({"visibility": "public"}, "Choose who may read the note."),
    ],
)
def test_save_note_refuses_bad_input(app, create_user, create_cohort, change, message):
    from incubator.cohorts.models import CohortStartup
    from incubator.core.errors import ServiceError
    from incubator.mentoring import services
    from incubator.mentoring.queries import today_wib

    mentor = create_user(email="ment@example.org", roles=["mentor"])
    world = build_incubation(app, create_user, create_cohort, mentor=mentor)
    with app.test_request_context("/?lang=en"):
        fields = {"held_on": today_wib(), "duration_minutes": 30, "theme": "product", "visibility": "shared"}
        fields.update(change)
        if change.get("held_on") == 1:
            fields["held_on"] = today_wib() + timedelta(days=1)
        with pytest.raises(ServiceError) as refused:
            services.save_note(
                None,
                _db.session.get(CohortStartup, world.cs_ids[0]),
                _db.session.merge(mentor),
                body="",
                items=[],
                **fields,
            )
        assert str(refused.value.message) == message
        _db.session.rollback()


def test_save_note_refuses_an_owner_outside_the_startup(app, create_user, create_cohort):
    from incubator.cohorts.models import CohortStartup
    from incubator.core.errors import ServiceError
    from incubator.mentoring import services
    from incubator.mentoring.queries import today_wib

    mentor = create_user(email="ment@example.org", roles=["mentor"])
    stranger = create_user(email="stranger@example.org")
    world = build_incubation(app, create_user, create_cohort, mentor=mentor)
    with app.test_request_context("/?lang=en"):
        with pytest.raises(ServiceError) as refused:
            services.save_note(
                None,
                _db.session.get(CohortStartup, world.cs_ids[0]),
                _db.session.merge(mentor),
                held_on=today_wib(),
                duration_minutes=30,
                theme="product",
                body="",
                visibility="shared",
                items=[services.ItemInput(title="Do it", owner_id=stranger.id)],
            )
        assert str(refused.value.message) == "Choose the founder, a mentor of the startup or the team as the owner."
        _db.session.rollback()


def test_set_item_status_done_records_who_and_when_and_reopening_clears_it(app, create_user, create_cohort):
    from incubator.mentoring import services
    from incubator.mentoring.models import ActionItem

    mentor = create_user(email="ment@example.org", roles=["mentor"])
    world = build_incubation(app, create_user, create_cohort, mentor=mentor)
    _note, (item_id,) = add_note(app, world.cs_ids[0], mentor, items=[services.ItemInput(title="Open a bank account")])
    founder = world.founders[0]
    with app.test_request_context():
        item = _db.session.get(ActionItem, item_id)
        services.set_item_status(item, _db.session.merge(founder), "done", "  Opened at BRI  ")
        _db.session.commit()
        assert (item.status, item.done_comment, item.done_by_id, item.done_at is not None) == (
            "done",
            "Opened at BRI",
            founder.id,
            True,
        )
        services.set_item_status(item, _db.session.merge(founder), "open", "")
        _db.session.commit()
        assert (item.status, item.done_by_id, item.done_at) == ("open", None, None)


def test_set_item_status_refuses_a_long_comment(app, create_user, create_cohort):
    from incubator.core.errors import ServiceError
    from incubator.mentoring import services
    from incubator.mentoring.models import ActionItem

    mentor = create_user(email="ment@example.org", roles=["mentor"])
    world = build_incubation(app, create_user, create_cohort, mentor=mentor)
    _note, (item_id,) = add_note(app, world.cs_ids[0], mentor, items=[services.ItemInput(title="X")])
    with app.test_request_context("/?lang=en"):
        with pytest.raises(ServiceError) as refused:
            services.set_item_status(_db.session.get(ActionItem, item_id), _db.session.merge(mentor), "done", "x" * 501)
        assert str(refused.value.message) == "Keep the comment to 500 characters."
        _db.session.rollback()


def test_overdue_means_not_done_and_due_before_today(app, create_user, create_cohort):
    from incubator.mentoring.models import ActionItem
    from incubator.mentoring.queries import item_counts, overdue_by_cohort, today_wib
    from incubator.mentoring.services import ItemInput

    mentor = create_user(email="ment@example.org", roles=["mentor"])
    world = build_incubation(app, create_user, create_cohort, mentor=mentor)
    today = today_wib()
    add_note(
        app,
        world.cs_ids[0],
        mentor,
        items=[
            ItemInput(title="late", due_on=today - timedelta(days=1)),
            ItemInput(title="late but done", due_on=today - timedelta(days=3), status="done"),
            ItemInput(title="due today", due_on=today),
            ItemInput(title="no date"),
        ],
    )
    with app.test_request_context():
        items = {i.title: i.is_overdue(today) for i in _db.session.scalars(select(ActionItem))}
        assert items == {"late": True, "late but done": False, "due today": False, "no date": False}
        counts = item_counts(world.cs_ids, today)[world.cs_ids[0]]
        assert (counts.open, counts.overdue) == (3, 1)
        assert overdue_by_cohort(today) == [(world.cohort_id, "Hetero for Startup Solo 2026", 1)]
