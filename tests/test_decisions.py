"""Decisions (preview, confirm, bulk helpers, refusals), closing with incomplete applications,
and the feedback released to founders."""

import json
import re
from decimal import Decimal as D

import pytest
from flask_babel import force_locale
from sqlalchemy import func, select

from incubator.audit.models import AuditEvent
from incubator.cohorts.models import CohortStartup, StageChange
from incubator.core.errors import ServiceError
from incubator.core.figures import rounded
from incubator.extensions import db as _db
from incubator.judging.models import ConflictDeclaration, Decision, Round
from incubator.mail.models import OutboxMessage
from tests.conftest import post_form

# Startup, owner (e-mail, language) and each judge's (Problem, Team) scores; weights 2 and 1 on 1-5.
# T = 100 (2 (p - 1) / 4 + (t - 1) / 4) / 3: (5,5) 100, (4,4) 75, (3,3) 50, (2,2) 25, (1,1) 0.
STARTUPS = [
    ("Batik Lurik", ("rina@gmail.com", "id"), [("5", "5"), ("5", "5"), ("5", "5")]),  # 100, rank 1
    ("GamelanVerse", ("budi@gmail.com", "en"), [("4", "4"), ("4", "4"), ("4", "4")]),  # 75, rank 2
    ("Sanggar Digital", ("sari@yahoo.com", "id"), [("4", "4"), ("4", "4"), ("4", "4")]),  # 75, rank 2 (tie)
    ("TaniTech", ("tono@gmail.com", "en"), [("3", "3"), ("3", "3"), ("3", "3")]),  # 50, rank 4
    ("Wayang AR", None, [("5", "5"), ("1", "1"), ("3", "3")]),  # 50, rank 4 (tie), spread 40.82
    ("Anyaman", ("ayu@gmail.com", "id"), [("2", "2"), None, None]),  # 25, rank 6, 1 of 3 sheets
    ("Kopi Merapi", ("kopi@gmail.com", "id"), [None, None, None]),  # no sheet: unranked
]
JUDGES = [
    ("Agus Setiawan", "agus.juri@gmail.com"),
    ("Maya Kusuma", "maya.juri@yahoo.com"),
    ("Hendra Wijaya", "hendra@outlook.com"),
]


@pytest.fixture
def world(app, create_user, create_cohort):
    """An open round (Problem ×2, Team ×1), seven applications at `applied`, three judges who scored as in STARTUPS."""
    from incubator.applications.models import Application
    from incubator.auth.models import User
    from incubator.cohorts.models import Cohort
    from incubator.cohorts.services import change_stage
    from incubator.core.database import utcnow
    from incubator.judging.models import Assignment
    from incubator.judging.rounds import services
    from incubator.judging.rounds.rubric import Scale
    from incubator.judging.sheets.services import Entry, save_sheet
    from incubator.startups.models import Startup

    made = create_cohort()
    judges = [create_user(email=email, name=name, roles=["judge"]) for name, email in JUDGES]
    owners = {
        spec[0]: create_user(email=spec[0], roles=["applicant"], locale=spec[1], name=f"Founder {name}")
        for name, spec, _ in STARTUPS
        if spec
    }
    with app.test_request_context("/?lang=en"):
        actor = _db.session.merge(made.director)
        cohort = _db.session.get(Cohort, made.id)
        round_ = services.save_round(
            None,
            cohort,
            name="Seleksi pitch",
            decides_stage="applied",
            scoring_opens_at=None,
            scoring_closes_at=None,
            judges_per_application=3,
            ranking_basis="raw",
            judges_see_scores_after_close=False,
            disagreement_threshold=D(15),
            actor=actor,
        )
        criteria = [
            services.save_criterion(
                round_.rubric,
                None,
                name=n,
                description="",
                weight=D(w),
                scale=Scale(D(1), D(5), D(1)),
                descriptors={},
                actor=actor,
            )
            for n, w in (("Problem", 2), ("Team", 1))
        ]
        apps = []
        for name, spec, _ in STARTUPS:
            startup = Startup(name=name, city="Solo", owner_id=owners[spec[0]].id if spec else None)
            _db.session.add(startup)
            application = Application(startup=startup, cohort=cohort, status="submitted", submitted_at=utcnow())
            _db.session.add(application)
            _db.session.flush()
            change_stage(startup, cohort, "applied", None, system=True)
            apps.append(application)
        for judge in judges:
            for application in apps:
                _db.session.add(Assignment(round_id=round_.id, application_id=application.id, judge_id=judge.id))
        services.set_phase(round_, "open", actor)
        _db.session.commit()
        for application, (name, _spec, marks) in zip(apps, STARTUPS, strict=True):
            for number, (judge, mark) in enumerate(zip(judges, marks, strict=True), start=1):
                if mark is None:
                    continue
                save_sheet(
                    round_.id,
                    application,
                    _db.session.get(User, judge.id),
                    {
                        criteria[0].id: Entry(mark[0], f"Problem note {number} on {name}"),
                        criteria[1].id: Entry(mark[1], f"Team note {number} on {name}"),
                    },
                    overall_comment=f"Overall {number} on {name}",
                    recommendation="advance",
                    expected_version=0,
                    submit=True,
                )
                _db.session.commit()
        return {
            "round": round_.id,
            "apps": {name: a.id for (name, _s, _m), a in zip(STARTUPS, apps, strict=True)},
            "criteria": [c.id for c in criteria],
            "judges": judges,
            "owners": owners,
            "director": made.director,
        }


def _set_phase(app, world, phase):
    from incubator.judging.rounds.services import set_phase

    with app.test_request_context("/?lang=en"):
        set_phase(_db.session.get(Round, world["round"]), phase, _db.session.merge(world["director"]))
        _db.session.commit()


def _ranking(world):
    from incubator.judging.ranking.compute import round_ranking

    return round_ranking(_db.session.get(Round, world["round"]))


def _counts(db):
    return tuple(
        db.scalar(select(func.count(model.id))) for model in (Decision, StageChange, OutboxMessage, AuditEvent)
    )


def _stages(db, world):
    from incubator.applications.models import Application

    ids = {v: k for k, v in world["apps"].items()}
    with db.session() as session:
        pairs = session.execute(
            select(Application.id, CohortStartup.stage).join(
                CohortStartup,
                (CohortStartup.startup_id == Application.startup_id)
                & (CohortStartup.cohort_id == Application.cohort_id),
            )
        ).all()
    return {ids[app_id]: stage for app_id, stage in pairs}


# --- preview and decide ---------------------------------------------------------------------


def test_preview_lists_moves_and_mails_and_writes_nothing(app, world, db):
    from incubator.judging.decisions.services import preview

    _set_phase(app, world, "closed")
    before = _counts(db)
    apps = world["apps"]
    with app.test_request_context("/?lang=en"):
        seen = preview(
            _db.session.get(Round, world["round"]),
            {apps["TaniTech"]: "not_selected", apps["Batik Lurik"]: "advance", apps["Wayang AR"]: "advance"},
        )
        moves = [
            (m.startup.name, m.rank, m.from_stage, m.to_stage, m.outcome, m.recipient, m.locale, m.blocked)
            for m in seen.moves
        ]
        subjects = [m.subject for m in seen.moves]
    assert moves == [
        ("Batik Lurik", 1, "applied", "pre_incubation", "advance", "rina@gmail.com", "id", None),
        ("TaniTech", 4, "applied", "not_selected", "not_selected", "tono@gmail.com", "en", None),
        ("Wayang AR", 4, "applied", "pre_incubation", "advance", None, None, None),  # no account: no e-mail
    ]
    assert "Pra-inkubasi" in subjects[0]  # the owner reads Indonesian
    assert subjects[1] == "The result of Seleksi pitch for TaniTech"
    assert subjects[2] is None
    assert seen.problem is None and seen.ready
    assert _counts(db) == before


def _preview_page(client, world, data):
    response = post_form(
        client,
        f"/rounds/{world['round']}/decisions/preview?lang=en",
        data,
        page=f"/rounds/{world['round']}/decisions?lang=en",
    )
    assert response.status_code == 200
    return response.get_data(as_text=True)


def _confirm_fields(html: str) -> dict:
    fields = dict(re.findall(r'<input type="hidden" name="(choice-\d+)" value="(\w+)">', html))
    fields["fingerprint"] = re.search(r'name="fingerprint" type="hidden" value="([0-9a-f]+)"', html).group(1)
    fields["csrf_token"] = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)
    return fields


def test_bulk_top_two_with_the_rest_not_selected_then_confirm(app, world, db, client, login_as, outbox):
    _set_phase(app, world, "closed")
    login_as(client, world["director"])
    apps = world["apps"]
    before = _counts(db)
    html = _preview_page(client, world, {"mode": "top", "top_n": "2", "top_rest": "y"})
    # The preview: the top 2 with the tie at the cut, the other fully scored ones not selected; the
    # unscored (Kopi Merapi) and incomplete (Anyaman) ones are left out, with a warning.
    assert "3 applications advance · 2 applications are not selected · 4 e-mails will be queued" in html
    assert (
        "2 applications were left out because they are not fully scored: Kopi Merapi, Anyaman. "
        "Choose them one by one if you mean to decide them."
    ) in html
    assert "Confirm 5 decisions" in html
    assert sorted(_confirm_fields(html)) == sorted(
        ["csrf_token", "fingerprint"]
        + [f"choice-{apps[n]}" for n in ("Batik Lurik", "GamelanVerse", "Sanggar Digital", "TaniTech", "Wayang AR")]
    )
    # Ticked one by one, the left-out ones are decided too.
    rows = {f"choice-{apps[n]}": "advance" for n in ("Batik Lurik", "GamelanVerse", "Sanggar Digital")}
    rows |= {f"choice-{apps[n]}": "not_selected" for n in ("TaniTech", "Wayang AR", "Anyaman", "Kopi Merapi")}
    html = _preview_page(client, world, {"mode": "rows", **rows})
    assert "not fully scored" not in html
    assert "3 applications advance · 4 applications are not selected · 6 e-mails will be queued" in html
    assert "E-mail to rina@gmail.com, in Bahasa Indonesia:" in html
    assert "E-mail to budi@gmail.com, in English:" in html
    assert "No e-mail: the startup has no account to write to." in html
    assert "Confirm 7 decisions" in html
    assert _counts(db) == before  # previewing writes nothing
    fields = _confirm_fields(html)
    assert {k: v for k, v in fields.items() if k.startswith("choice-")} == {
        f"choice-{apps['Batik Lurik']}": "advance",
        f"choice-{apps['GamelanVerse']}": "advance",
        f"choice-{apps['Sanggar Digital']}": "advance",
        f"choice-{apps['TaniTech']}": "not_selected",
        f"choice-{apps['Wayang AR']}": "not_selected",
        f"choice-{apps['Anyaman']}": "not_selected",
        f"choice-{apps['Kopi Merapi']}": "not_selected",
    }

    response = client.post(f"/rounds/{world['round']}/decisions/confirm", data=fields)
    assert response.status_code == 302
    assert response.headers["Location"] == f"/rounds/{world['round']}/decisions"
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "7 decisions have been recorded. 6 e-mails are queued." in page
    assert "Every application of this round is decided." in page
    response = post_form(
        client, f"/rounds/{world['round']}/phase", {"phase": "decided"}, page=response.headers["Location"]
    )
    assert response.status_code == 302
    assert db.scalar(select(Round.phase)) == "decided"
    page = client.get(f"/rounds/{world['round']}/decisions?lang=en").get_data(as_text=True)
    assert "This round is decided: no more decisions can be made in it." in page
    assert 'type="radio"' not in page

    decisions = {d.application_id: d.outcome for d in db.scalars(select(Decision))}
    assert decisions == {int(k.removeprefix("choice-")): v for k, v in fields.items() if k.startswith("choice-")}
    assert {d.decided_by_id for d in db.scalars(select(Decision))} == {world["director"].id}
    assert _stages(db, world) == {
        "Batik Lurik": "pre_incubation",
        "GamelanVerse": "pre_incubation",
        "Sanggar Digital": "pre_incubation",
        "TaniTech": "not_selected",
        "Wayang AR": "not_selected",
        "Anyaman": "not_selected",
        "Kopi Merapi": "not_selected",
    }
    changes = db.scalars(select(StageChange).where(StageChange.from_stage == "applied"))
    # The system gave the reason: stored as a message, said in each reader's language.
    assert sorted((c.to_stage, c.reason, c.actor_id) for c in changes)[0] == ("not_selected", "", world["director"].id)
    assert sorted(json.dumps(c.reason_message, sort_keys=True) for c in changes)[0] == json.dumps(
        {"key": "decision", "values": {"outcome": "advance", "round": "Seleksi pitch"}}, sort_keys=True
    )
    with app.test_request_context():
        reasons = {}
        for lang in ("en", "id"):
            with force_locale(lang):
                reasons[lang] = {c.reason_text for c in changes}
    assert reasons == {
        "en": {"Decision of the round Seleksi pitch: Advance.", "Decision of the round Seleksi pitch: Not selected."},
        "id": {"Keputusan putaran Seleksi pitch: Majukan.", "Keputusan putaran Seleksi pitch: Tidak terpilih."},
    }
    events = db.scalars(select(AuditEvent).where(AuditEvent.action == "decision.made"))
    assert sorted((e.data["startup"], e.data["outcome"], e.actor_id) for e in events) == [
        ("Anyaman", "not_selected", world["director"].id),
        ("Batik Lurik", "advance", world["director"].id),
        ("GamelanVerse", "advance", world["director"].id),
        ("Kopi Merapi", "not_selected", world["director"].id),
        ("Sanggar Digital", "advance", world["director"].id),
        ("TaniTech", "not_selected", world["director"].id),
        ("Wayang AR", "not_selected", world["director"].id),
    ]
    mails = {m.recipient: m for m in outbox()}
    assert sorted((m.recipient, m.kind) for m in mails.values()) == [
        ("ayu@gmail.com", "decision_not_selected"),
        ("budi@gmail.com", "decision_advance"),
        ("kopi@gmail.com", "decision_not_selected"),
        ("rina@gmail.com", "decision_advance"),
        ("sari@yahoo.com", "decision_advance"),
        ("tono@gmail.com", "decision_not_selected"),
    ]
    assert mails["budi@gmail.com"].subject == "GamelanVerse advances to Pre-incubation in Hetero for Startup Solo 2026"
    assert "Pra-inkubasi" in mails["rina@gmail.com"].subject  # in the owner's language
    assert f"http://localhost/applications/{apps['GamelanVerse']}" in mails["budi@gmail.com"].body


def test_one_by_one_choices_and_at_or_above(app, world, db, client, login_as):
    _set_phase(app, world, "closed")
    login_as(client, world["director"])
    apps = world["apps"]
    html = _preview_page(
        client,
        world,
        {
            "mode": "rows",
            f"choice-{apps['TaniTech']}": "advance",
            f"choice-{apps['Anyaman']}": "",
            "choice-999": "advance",
        },
    )
    assert "1 application advances · 0 applications are not selected · 1 e-mail will be queued" in html
    html = _preview_page(client, world, {"mode": "score", "min_score": "75", "score_rest": ""})
    fields = _confirm_fields(html)
    assert sorted(k for k in fields if k.startswith("choice-")) == sorted(
        f"choice-{apps[n]}" for n in ("Batik Lurik", "GamelanVerse", "Sanggar Digital")
    )
    html = _preview_page(client, world, {"mode": "score", "min_score": "abc"})
    assert "Enter a number, e.g. 2 or 2.5." in html
    html = _preview_page(client, world, {"mode": "rows"})
    assert "Choose advance or not selected for at least one application." in html
    html = _preview_page(client, world, {"mode": "score", "min_score": "100,01"})
    assert "No application qualifies, so there is nothing to preview." in html


def test_top_n_and_at_or_above_pick_exactly_with_ties_at_the_cut(app, world):
    from incubator.judging.decisions.bulk import at_or_above, top_n

    _set_phase(app, world, "closed")
    apps = world["apps"]
    ids = [apps[name] for name, _s, _m in STARTUPS]
    batik, gamelan, sanggar, tani, wayang, anyaman, _kopi = ids
    with app.test_request_context("/?lang=en"):
        ranking = _ranking(world)
        assert top_n(ranking, 0) == []
        assert top_n(ranking, 1) == [batik]
        assert top_n(ranking, 2) == [batik, gamelan, sanggar]  # the tie at the cut is in
        assert top_n(ranking, 3) == [batik, gamelan, sanggar]
        assert top_n(ranking, 4) == [batik, gamelan, sanggar, tani, wayang]
        assert top_n(ranking, 99) == [batik, gamelan, sanggar, tani, wayang, anyaman]  # never the unranked
        assert at_or_above(ranking, D(75)) == [batik, gamelan, sanggar]
        assert at_or_above(ranking, D("75.01")) == [batik]
        assert at_or_above(ranking, D("50")) == [batik, gamelan, sanggar, tani, wayang]
        assert at_or_above(ranking, D("0")) == [batik, gamelan, sanggar, tani, wayang, anyaman]


def test_at_or_above_compares_unrounded_values(app, world):
    from incubator.judging.decisions.bulk import at_or_above

    _set_phase(app, world, "closed")
    with app.test_request_context("/?lang=en"):
        ranking = _ranking(world)
        anyaman = ranking.result.by_application()[world["apps"]["Anyaman"]]
        anyaman.raw = 69.996  # shown as 70.00
        assert rounded(anyaman.raw) == D("70.00")
        assert world["apps"]["Anyaman"] not in at_or_above(ranking, D(70))
        anyaman.raw = 70.0 - 1e-12  # float noise of an exact 70
        assert world["apps"]["Anyaman"] in at_or_above(ranking, D(70))


def test_decide_refuses_while_open_when_decided_and_twice(app, world, db):
    from incubator.auth.models import User
    from incubator.judging.decisions.services import decide

    apps = world["apps"]

    def attempt(choices):
        with app.test_request_context("/?lang=en"):
            try:
                made = decide(
                    _db.session.get(Round, world["round"]), choices, _db.session.get(User, world["director"].id)
                )
                _db.session.commit()
                return len(made)
            except ServiceError as exc:
                _db.session.rollback()
                return str(exc)

    assert attempt({apps["Batik Lurik"]: "advance"}) == "Decisions can be made only once scoring is closed."
    _set_phase(app, world, "closed")
    assert attempt({}) == "Choose at least one application to decide."
    assert attempt({apps["Batik Lurik"]: "advance"}) == 1
    assert attempt({apps["Batik Lurik"]: "not_selected", apps["TaniTech"]: "advance"}) == (
        "These applications cannot be decided: Batik Lurik: Already decided in this round: Advance."
    )
    assert db.scalar(select(func.count(Decision.id))) == 1
    # A stage moved by hand since: no longer the stage the round decides.
    from incubator.cohorts.services import change_stage

    with app.test_request_context("/?lang=en"):
        from incubator.applications.models import Application

        application = _db.session.get(Application, apps["TaniTech"])
        change_stage(application.startup, application.cohort, "withdrawn", _db.session.merge(world["director"]))
        _db.session.commit()
    assert attempt({apps["TaniTech"]: "advance"}) == (
        "These applications cannot be decided: TaniTech: Its stage is now Withdrawn, no longer Applied, "
        "which this round decides."
    )
    _set_phase(app, world, "decided")
    assert attempt({apps["GamelanVerse"]: "advance"}) == "This round is decided: no more decisions can be made in it."
    assert db.scalar(select(func.count(Decision.id))) == 1


def test_preview_says_already_decided_once_and_lists_only_real_moves(app, world, db, client, login_as):
    from incubator.auth.models import User
    from incubator.judging.decisions.services import decide

    _set_phase(app, world, "closed")
    apps = world["apps"]
    with app.test_request_context("/?lang=en"):
        decide(
            _db.session.get(Round, world["round"]),
            {apps["Batik Lurik"]: "advance", apps["GamelanVerse"]: "advance"},
            _db.session.get(User, world["director"].id),
        )
        _db.session.commit()
    login_as(client, world["director"])
    chosen = {f"choice-{apps[n]}": "advance" for n in ("Batik Lurik", "GamelanVerse", "TaniTech")}
    html = _preview_page(client, world, {"mode": "rows", **chosen})
    assert html.count("Already decided in this round") == 1
    assert "<li><strong>Batik Lurik</strong>: Advance</li>" in html
    assert "<li><strong>GamelanVerse</strong>: Advance</li>" in html
    assert html.count(" → ") == 1  # TaniTech's move only
    assert "Applied → <strong>Pre-incubation</strong>" in html
    assert "Pre-incubation → " not in html
    assert "Confirm 1 decision" in html
    assert "1 application advances · 0 applications are not selected · 1 e-mail will be queued" in html


def test_confirm_shows_the_new_preview_when_something_changed(app, world, db, client, login_as, outbox):
    from incubator.auth.models import User
    from incubator.judging.decisions.services import PreviewChanged, decide, preview

    _set_phase(app, world, "closed")
    login_as(client, world["director"])
    apps = world["apps"]
    html = _preview_page(
        client,
        world,
        {"mode": "rows", f"choice-{apps['Batik Lurik']}": "advance", f"choice-{apps['TaniTech']}": "advance"},
    )
    fields = _confirm_fields(html)
    # Meanwhile another director decides TaniTech.
    with app.test_request_context("/?lang=en"):
        round_ = _db.session.get(Round, world["round"])
        old = preview(round_, {apps["Batik Lurik"]: "advance", apps["TaniTech"]: "advance"}).fingerprint
        decide(round_, {apps["TaniTech"]: "not_selected"}, _db.session.get(User, world["director"].id))
        _db.session.commit()
    mails = len(outbox())
    response = client.post(f"/rounds/{world['round']}/decisions/confirm?lang=en", data=fields)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Something changed since the preview, so nothing was decided." in page
    assert "<h3>Already decided in this round</h3>" in page
    assert "<li><strong>TaniTech</strong>: Not selected</li>" in page
    assert "Confirm 1 decision" in page  # only Batik Lurik is left to confirm
    assert {d.application_id: d.outcome for d in db.scalars(select(Decision))} == {apps["TaniTech"]: "not_selected"}
    assert len(outbox()) == mails
    # The service refuses a stale fingerprint by itself too.
    with app.test_request_context("/?lang=en"):
        with pytest.raises(PreviewChanged):
            decide(
                _db.session.get(Round, world["round"]),
                {apps["Batik Lurik"]: "advance"},
                _db.session.get(User, world["director"].id),
                expected=old,
            )
        _db.session.rollback()
    # Confirming the new preview applies it.
    fields = _confirm_fields(page)
    response = client.post(f"/rounds/{world['round']}/decisions/confirm", data=fields)
    assert response.status_code == 302
    assert {d.application_id: d.outcome for d in db.scalars(select(Decision))} == {
        apps["TaniTech"]: "not_selected",
        apps["Batik Lurik"]: "advance",
    }


def test_decisions_page_shows_ranking_and_choices(app, world, client, login_as):
    _set_phase(app, world, "closed")
    login_as(client, world["director"])
    apps = world["apps"]
    page = client.get(f"/rounds/{world['round']}/decisions?lang=en").get_data(as_text=True)
    assert page.count("<h1>") == 1
    assert "Decisions: Seleksi pitch" in page
    assert "Disagreement (spread 40.82)" in page
    assert page.count(">Incomplete</span>") == 2  # Anyaman (1 of 3) and Kopi Merapi (0 of 3)
    assert f'name="choice-{apps["Batik Lurik"]}" id="choice-{apps["Batik Lurik"]}-advance" value="advance"' in page
    assert "<legend>Decision for Wayang AR</legend>" in page
    assert re.search(r"#1</span>\s*<a [^>]+>Batik Lurik</a>", page)
    assert "<dt>Raw score</dt><dd>100.00</dd>" in page
    assert "Unranked" in page


def _more_scored_applications(app, world, n):
    """`n` more applications at `applied`, each with a final sheet from every judge (rows written directly)."""
    from incubator.applications.models import Application
    from incubator.cohorts.models import Cohort
    from incubator.cohorts.services import change_stage
    from incubator.core.database import utcnow
    from incubator.judging.models import Score, ScoreSheet
    from incubator.startups.models import Startup

    with app.app_context():
        round_ = _db.session.get(Round, world["round"])
        cohort = _db.session.get(Cohort, round_.cohort_id)
        for i in range(n):
            startup = Startup(name=f"Extra {i}", city="Solo")
            _db.session.add(startup)
            application = Application(startup=startup, cohort=cohort, status="submitted", submitted_at=utcnow())
            _db.session.add(application)
            _db.session.flush()
            change_stage(startup, cohort, "applied", None, system=True)
            for j, judge in enumerate(world["judges"]):
                _db.session.add(
                    ScoreSheet(
                        round_id=round_.id,
                        application_id=application.id,
                        judge_id=judge.id,
                        status="final",
                        submitted_at=utcnow(),
                        scores=[Score(criterion_id=c, value=D(1 + (i + j) % 5)) for c in world["criteria"]],
                    )
                )
        _db.session.commit()


def test_decisions_page_queries_do_not_grow_with_rows(app, world, client, login_as):
    from sqlalchemy import event

    _set_phase(app, world, "closed")
    app.config["PER_PAGE"] = 100
    login_as(client, world["director"])
    url = f"/rounds/{world['round']}/decisions?lang=en"
    client.get(url)
    statements = []

    def count(*_args):
        statements.append(1)

    with app.app_context():
        engine = _db.engine

    def queries() -> tuple[int, int, int]:
        """Statements of two views in a row (nothing is kept between them); decision rows shown."""
        counts = []
        for _view in (1, 2):
            statements.clear()
            event.listen(engine, "before_cursor_execute", count)
            try:
                page = client.get(url).get_data(as_text=True)
            finally:
                event.remove(engine, "before_cursor_execute", count)
            counts.append(len(statements))
        return *counts, page.count('class="decision-row"')

    first, second, rows = queries()
    assert rows == 7 and first == second
    _more_scored_applications(app, world, 20)
    assert queries() == (first, second, 27)


# --- closing -------------------------------------------------------------------------------


def test_closing_lists_incomplete_applications_and_closes_only_when_confirmed(app, world, db, client, login_as):
    login_as(client, world["director"])
    round_page = client.get(f"/rounds/{world['round']}?lang=en").get_data(as_text=True)
    assert f'action="/rounds/{world["round"]}/close"' in round_page
    assert f'action="/rounds/{world["round"]}/phase"' not in round_page  # closing goes through the check
    response = post_form(client, f"/rounds/{world['round']}/close?lang=en", {}, page=f"/rounds/{world['round']}")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "2 applications have fewer counted score sheets than the round expects:" in page
    assert '<tr><td>Anyaman</td><td class="num">1 / 3</td></tr>' in page
    assert '<tr><td>Kopi Merapi</td><td class="num">0 / 3</td></tr>' in page
    assert "Batik Lurik" not in page
    assert 'name="confirm" type="hidden" value="1"' in page
    assert db.scalar(select(Round.phase)) == "open"
    response = post_form(client, f"/rounds/{world['round']}/close", {"confirm": "1"}, page=f"/rounds/{world['round']}")
    assert response.status_code == 302
    assert response.headers["Location"] == f"/rounds/{world['round']}/decisions"
    assert db.scalar(select(Round.phase)) == "closed"
    # Closing again is refused by the phase rules, with their message.
    response = post_form(client, f"/rounds/{world['round']}/close?lang=en", {}, page=f"/rounds/{world['round']}")
    assert response.status_code == 302
    assert "A round in phase closed cannot move to closed." in client.get(response.headers["Location"]).get_data(
        as_text=True
    )


def test_closing_a_complete_round_needs_no_confirmation(app, world, db, client, login_as):
    from incubator.judging.models import Assignment

    with app.app_context():
        round_ = _db.session.get(Round, world["round"])
        round_.judges_per_application = 1
        for name in ("Kopi Merapi",):
            _db.session.execute(Assignment.__table__.delete().where(Assignment.application_id == world["apps"][name]))
        _db.session.commit()
    login_as(client, world["director"])
    response = post_form(client, f"/rounds/{world['round']}/close", {}, page=f"/rounds/{world['round']}")
    # Kopi Merapi has no sheet but is still at the stage the round decides: it is incomplete.
    assert response.status_code == 200
    with app.test_request_context("/?lang=en"):
        from incubator.applications.models import Application

        application = _db.session.get(Application, world["apps"]["Kopi Merapi"])
        from incubator.cohorts.services import change_stage

        change_stage(application.startup, application.cohort, "withdrawn", _db.session.merge(world["director"]))
        _db.session.commit()
    response = post_form(client, f"/rounds/{world['round']}/close", {}, page=f"/rounds/{world['round']}")
    assert response.status_code == 302
    assert db.scalar(select(Round.phase)) == "closed"


# --- feedback ------------------------------------------------------------------------------


def _release(app, world, items, overall=True):
    from incubator.judging.decisions.feedback import release_feedback

    with app.test_request_context("/?lang=en"):
        release_feedback(_db.session.get(Round, world["round"]), items, overall, _db.session.merge(world["director"]))
        _db.session.commit()


def test_feedback_shows_released_criteria_with_anonymised_judges_and_the_ranking_means(
    app, world, db, client, login_as
):
    apps = world["apps"]
    problem, team = world["criteria"]
    _set_phase(app, world, "closed")
    with app.app_context():  # Maya declares a conflict with Wayang AR: her sheet stops counting
        _db.session.add(
            ConflictDeclaration(
                round_id=world["round"],
                application_id=apps["Wayang AR"],
                judge_id=world["judges"][1].id,
                source="director",
                reason="Former colleague",
            )
        )
        _db.session.commit()
    _release(app, world, {problem: (True, True), team: (False, False)}, overall=True)
    # Wayang AR has no owner: the director looks at it as founders would.
    login_as(client, world["director"])
    url = f"/applications/{apps['Wayang AR']}/feedback/{world['round']}?lang=en"
    response = client.get(url)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert page.count("<h1>") == 1
    assert "Problem" in page and ">Team<" not in page and "Team note" not in page
    # Agus and Hendra count (sheets in that order): Judge A and Judge B, the same letters in every section.
    entries = re.findall(
        r"<strong>(Judge \w+)</strong>(?:: <span class=\"score\">(\d)</span>)?\s*<p class=\"prewrap\">([^<]+)</p>", page
    )
    assert entries == [
        ("Judge A", "5", "Problem note 1 on Wayang AR"),
        ("Judge B", "3", "Problem note 3 on Wayang AR"),
        ("Judge A", "", "Overall 1 on Wayang AR"),
        ("Judge B", "", "Overall 3 on Wayang AR"),
    ]
    assert "Judge C" not in page and "note 2" not in page
    with app.test_request_context("/?lang=en"):
        ranking = _ranking(world)
        mine = ranking.result.by_application()[apps["Wayang AR"]].criterion_means[problem]
        everyone = ranking.result.criterion_means[problem]
    assert (rounded(mine), rounded(everyone)) == (D("4.00"), D("3.87"))  # (5 + 3) / 2; 58 / 15 over every counted sheet
    assert f"<dt>Your average</dt><dd>{rounded(mine)}</dd>" in page
    assert f"<dt>Round average</dt><dd>{rounded(everyone)}</dd>" in page
    for name, email in JUDGES:
        assert name not in page
        assert email not in page


def select_user(email):
    from incubator.auth.models import User

    return select(User).where(User.email == email)


def test_founder_reads_own_feedback_others_get_404(app, world, db, client, login_as, create_user):
    apps = world["apps"]
    problem, team = world["criteria"]
    _set_phase(app, world, "closed")
    url = f"/applications/{apps['Batik Lurik']}/feedback/{world['round']}?lang=en"
    rina = db.scalar(select_user("rina@gmail.com"))
    login_as(client, rina)
    assert client.get(url).status_code == 404  # not released yet
    view = client.get(f"/applications/{apps['Batik Lurik']}?lang=en").get_data(as_text=True)
    assert "Judges&#39; feedback" not in view and "Feedback from the round" not in view

    _release(app, world, {problem: (True, False), team: (False, True)}, overall=False)
    view = client.get(f"/applications/{apps['Batik Lurik']}?lang=en").get_data(as_text=True)
    link = f'<a href="/applications/{apps["Batik Lurik"]}/feedback/{world["round"]}">'
    assert f"{link}Feedback from the round Seleksi pitch</a>" in view
    page = client.get(url).get_data(as_text=True)
    assert '<strong>Judge A</strong>: <span class="score">5</span>' in page
    assert "Problem note" not in page  # scores only on Problem
    entries = re.findall(
        r"<strong>(Judge \w+)</strong>(?:: <span class=\"score\">(\d)</span>)?\s*(?:<p class=\"prewrap\">([^<]+)</p>)?",
        page,
    )
    assert entries == [
        ("Judge A", "5", ""),
        ("Judge B", "5", ""),
        ("Judge C", "5", ""),
        ("Judge A", "", "Team note 1 on Batik Lurik"),
        ("Judge B", "", "Team note 2 on Batik Lurik"),
        ("Judge C", "", "Team note 3 on Batik Lurik"),
    ]
    assert "<dt>Your average</dt><dd>5.00</dd>" in page
    assert page.count("<dt>Your average</dt>") == 1  # no means where scores are not released
    assert "Overall" not in page
    for name, email in JUDGES:
        assert name not in page
        assert email not in page

    other = create_user(email="other.founder@gmail.com", roles=["applicant"])
    login_as(client, other)
    assert client.get(url).status_code == 404
    judge = world["judges"][0]
    login_as(client, judge)
    assert client.get(url).status_code == 404
    # Another founder's application through this founder's URL shape is 404 too.
    login_as(client, rina)
    assert client.get(f"/applications/{apps['GamelanVerse']}/feedback/{world['round']}").status_code == 404

    from incubator.judging.decisions.feedback import withdraw_feedback

    with app.test_request_context("/?lang=en"):
        withdraw_feedback(_db.session.get(Round, world["round"]), _db.session.merge(world["director"]))
        _db.session.commit()
    assert client.get(url).status_code == 404


def test_a_mentor_of_the_startup_reads_its_released_feedback_other_mentors_get_404(
    app, world, db, client, login_as, create_user
):
    from incubator.mentoring.models import MentorAssignment

    apps = world["apps"]
    problem, team = world["criteria"]
    _set_phase(app, world, "closed")
    _release(app, world, {problem: (True, False), team: (False, True)}, overall=False)
    url = f"/applications/{apps['Batik Lurik']}/feedback/{world['round']}?lang=en"
    mentor = create_user(email="ratna.mentor@gmail.com", roles=["mentor"])
    stranger = create_user(email="other.mentor@gmail.com", roles=["mentor"])
    place = db.scalar(select(CohortStartup).where(CohortStartup.startup.has(name="Batik Lurik")))
    with app.app_context():
        _db.session.add(MentorAssignment(cohort_startup_id=place.id, mentor_id=mentor.id))
        _db.session.commit()
    login_as(client, stranger)
    assert client.get(url).status_code == 404
    login_as(client, mentor)
    page = client.get(url).get_data(as_text=True)
    assert '<strong>Judge A</strong>: <span class="score">5</span>' in page
    assert "Team note 1 on Batik Lurik" in page
    assert client.get(f"/applications/{apps['GamelanVerse']}/feedback/{world['round']}").status_code == 404


def test_feedback_page_releases_and_withdraws(app, world, db, client, login_as):
    problem, team = world["criteria"]
    login_as(client, world["director"])
    url = f"/rounds/{world['round']}/feedback?lang=en"
    response = post_form(client, url, {f"scores_{problem}": "y", "release": "Release the feedback"})
    assert response.status_code == 200
    assert "Feedback can be released only once scoring is closed." in response.get_data(as_text=True)
    _set_phase(app, world, "closed")
    response = post_form(client, url, {"release": "Release the feedback"})
    assert "Choose at least one criterion&#39;s scores or comments, or the overall comments." in response.get_data(
        as_text=True
    )
    response = post_form(
        client, url, {f"scores_{problem}": "y", f"comments_{team}": "y", "release": "Release the feedback"}
    )
    assert response.status_code == 302
    with app.app_context():
        from incubator.judging.models import FeedbackItem

        round_ = _db.session.get(Round, world["round"])
        assert round_.feedback_released_at is not None
        assert round_.feedback_overall_comments is False
        items = {i.criterion_id: (i.show_scores, i.show_comments) for i in _db.session.scalars(select(FeedbackItem))}
        assert items == {problem: (True, False), team: (False, True)}
    page = client.get(url).get_data(as_text=True)
    assert f'id="scores_{problem}" name="scores_{problem}" type="checkbox" value="y"' in page
    assert "Withdraw the feedback" in page
    response = post_form(client, url, {"withdraw": "Withdraw the feedback"})
    assert response.status_code == 302
    assert db.scalar(select(Round.feedback_released_at)) is None
    actions = [e.action for e in db.scalars(select(AuditEvent).order_by(AuditEvent.id))][-2:]
    assert actions == ["feedback.released", "feedback.withdrawn"]


def test_bulk_rest_not_selected_leaves_out_unscored_and_incomplete(app, world, db, client, login_as, outbox):
    from incubator.judging.decisions.bulk import at_or_above, bulk_choices

    _set_phase(app, world, "closed")
    apps = world["apps"]
    with app.test_request_context("/?lang=en"):
        ranking = _ranking(world)
        bulk = bulk_choices(ranking, at_or_above(ranking, D(0)), True)
        assert bulk.choices == {
            apps["Batik Lurik"]: "advance",
            apps["GamelanVerse"]: "advance",
            apps["Sanggar Digital"]: "advance",
            apps["TaniTech"]: "advance",
            apps["Wayang AR"]: "advance",
        }
        assert [a.id for a in bulk.unscored] == [apps["Kopi Merapi"]]
        assert [a.id for a in bulk.incomplete] == [apps["Anyaman"]]
    login_as(client, world["director"])
    before = _counts(db)
    html = _preview_page(client, world, {"mode": "score", "min_score": "60", "score_rest": "y"})
    assert "3 applications advance · 2 applications are not selected · 4 e-mails will be queued" in html
    assert "2 applications were left out because they are not fully scored: Kopi Merapi, Anyaman." in html
    response = client.post(f"/rounds/{world['round']}/decisions/confirm", data=_confirm_fields(html))
    assert response.status_code == 302
    assert _counts(db)[0] == before[0] + 5
    assert sorted(m.recipient for m in outbox() if m.kind == "decision_not_selected") == ["tono@gmail.com"]
    assert "ayu@gmail.com" not in {m.recipient for m in outbox()}
    assert "kopi@gmail.com" not in {m.recipient for m in outbox()}
    # Nothing else qualifies: the page says so, and which ones only a tick can decide.
    html = _preview_page(client, world, {"mode": "score", "min_score": "100,01", "score_rest": "y"})
    assert "No application qualifies, so there is nothing to preview." in html
    assert "2 applications were left out because they are not fully scored: Kopi Merapi, Anyaman." in html
