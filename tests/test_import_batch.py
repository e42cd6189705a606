"""The import writes in batches (one statement per table for many rows): the rows it leaves are
exactly those the single-item services write for the same file, row by row, ids and the times
of writing aside."""

import csv
import io
import json
import re
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from incubator.applications import importer, importing
from incubator.applications.late_entries import keep_out_of_closed_rounds
from incubator.applications.models import Application
from incubator.applications.services import save_member, submit
from incubator.audit.models import AuditEvent
from incubator.audit.services import record
from incubator.auth.models import Role, User, UserRole, UserToken
from incubator.auth.services import find_user, grant_role, invite_user
from incubator.cohorts.models import Cohort, CohortStartup, StageChange
from incubator.cohorts.pipeline import APPLIED
from incubator.extensions import db as _db
from incubator.judging.conflicts import found as found_conflicts
from incubator.judging.conflicts.models import DetectedConflict
from incubator.judging.ranking.results import refresh_cohort
from incubator.mail.models import OutboxMessage
from incubator.startups.models import Startup, TeamMember

FIXTURE = Path(__file__).parent / "fixtures" / "google-form-export.csv"
NOW = datetime(2026, 1, 5, 3, 0, tzinfo=UTC)
TOKEN = re.compile(r"/auth/invitation/[A-Za-z0-9_-]+")


def export_with_a_second_startup() -> bytes:
    """The fixture, plus a second startup of its first founder (same e-mail, other case) with no
    form time (it is imported at `NOW`)."""
    rows = list(csv.reader(io.StringIO(FIXTURE.read_text(encoding="utf-8"), newline="")))
    extra = list(rows[1])
    extra[0], extra[1], extra[2] = "", extra[1].upper(), "Tenun Lurik Klaten"
    out = io.StringIO(newline="")
    csv.writer(out).writerows([*rows, extra])
    return out.getvalue().encode()


@pytest.fixture
def world(app, create_cohort, create_user):
    """A closed cohort of the fixture's focus areas; Rina has an account and her startup (no
    application yet); Dimas is a judge without the applicant role; a judge shares Fajar's domain."""
    cohort = create_cohort(
        "Hetero for Startup Solo 2021",
        areas=[
            ("kriya", "Kriya", "Crafts"),
            ("games", "Gim", "Games"),
            ("performing-arts", "Seni pertunjukan", "Performing arts"),
            ("digital", "Startup digital", "Digital startups"),
            ("umkm", "UMKM", "MSMEs"),
            ("creative", "Industri kreatif", "Creative industry"),
        ],
        opens_at=datetime(2021, 12, 1, tzinfo=UTC),
        closes_at=datetime(2021, 12, 31, tzinfo=UTC),
    )
    rina = create_user(email="rina.kriya@gmail.com", name="Rina W.", roles=["applicant"])
    create_user(email="dimas@gamelanverse.id", name="Dimas", roles=["judge"])
    create_user(email="juri@wayangar.id", name="Juri Wayang", roles=["judge"])
    with app.app_context():
        _db.session.add(Startup(name="BATIK LURIK  nusantara", owner_id=rina.id))
        _db.session.commit()
    return cohort


def one_by_one(cohort: Cohort, rows, actor: User, now: datetime) -> tuple[int, int]:
    """The import as the single-item services write it, row by row (what the import did before it
    wrote in batches): the reference the batches must match."""
    new, invited = [], 0
    for row in rows:
        values = row.values
        user = find_user(values["email"])
        if user is None:
            user = invite_user(
                values["email"],
                values["founder_name"],
                [Role.APPLICANT],
                actor,
                locale="id",
                mail="imported_application",
                cohort=cohort,
                startup_name=values["startup_name"],
            )
            invited += 1
        elif Role.APPLICANT not in user.roles:
            grant_role(user, Role.APPLICANT, actor)
        owned = _db.session.scalars(select(Startup).where(Startup.owner_id == user.id).order_by(Startup.id))
        key = importer.startup_key(values["startup_name"])
        startup = next((s for s in owned if importer.startup_key(s.name) == key), None)
        if startup is not None and _db.session.scalar(
            select(Application.id).where(Application.startup_id == startup.id, Application.cohort_id == cohort.id)
        ):
            continue
        if startup is None:
            startup = Startup(
                owner_id=user.id,
                name=values["startup_name"],
                city=values["city"],
                focus_area_id=values["focus_area"],
                business_stage=values["business_stage"] or "idea",
                legal_status=values["legal_status"] or "unincorporated",
                nib=values["nib"],
                declared_women_in_team=bool(values["women_in_team"]),
            )
            _db.session.add(startup)
            _db.session.flush()
            record("startup.created", startup, actor=actor, name=startup.name, imported=True)
            age = values["founder_age"]
            save_member(
                startup,
                None,
                actor,
                name=values["founder_name"],
                email=values["email"],
                phone=values["founder_phone"],
                is_founder=True,
                under_30=age is not None and age < 30,
                find_conflicts=False,
            )
        application = Application(
            startup=startup,
            cohort=cohort,
            status="draft",
            created_by_id=actor.id,
            funding_need=values["funding_need"],
            video_url=values["video_url"],
            deck_link=values["deck_link"],
            **{name: values[name] for name in importer.PITCH_FIELDS},
        )
        _db.session.add(application)
        _db.session.flush()
        submit(application, actor, now=values["submitted_at"] or now, imported=True)
        new.append(application)
    _db.session.flush()
    found_conflicts.update(startup_ids={a.startup_id for a in new})
    keep_out_of_closed_rounds(cohort.id, APPLIED, [a.id for a in new])
    refresh_cohort(cohort.id)
    return len(new), invited


def written() -> dict[str, Counter]:
    """Every row the import writes, each table's rows with their ids replaced by what they name
    (an account by its e-mail, a startup by its name) and the times of writing left out."""
    run = _db.session.execute
    email = {i: e for i, e in run(select(User.id, User.email))}
    startup = {i: name for i, name in run(select(Startup.id, Startup.name))}
    member_of = {i: startup[s] for i, s in run(select(CohortStartup.id, CohortStartup.startup_id))}
    application_of = {i: startup[s] for i, s in run(select(Application.id, Application.startup_id))}
    named = {"users": email, "startups": startup, "cohort_startups": member_of, "applications": application_of}

    def rows(model, *skip, **replace) -> Counter:
        table = model.__table__
        found = Counter()
        for row in run(select(table)).mappings():
            values = {k: v for k, v in row.items() if k not in ("id", "created_at", *skip)}
            for column, how in replace.items():
                values[column] = how(values[column], row)
            plain = {k: json.dumps(v, sort_keys=True) if isinstance(v, dict) else v for k, v in values.items()}
            found[tuple(sorted(plain.items()))] += 1
        return found

    by = {table: (lambda value, _row, names=names: names.get(value)) for table, names in named.items()}
    return {
        "users": rows(User, "email_confirmed_at", "last_login_at", password_hash=lambda v, _r: v is not None),
        "user_roles": rows(UserRole, "granted_at", user_id=by["users"]),
        "user_tokens": rows(
            UserToken,
            "expires_at",
            token_hash=lambda _v, r: r["expires_at"] - r["created_at"],  # the hash is random: its lifetime
            user_id=by["users"],
        ),
        "outbox_messages": rows(OutboxMessage, body=lambda v, _r: TOKEN.sub("/auth/invitation/TOKEN", v)),
        "startups": rows(Startup, "updated_at", owner_id=by["users"]),
        "team_members": rows(TeamMember, startup_id=by["startups"]),
        "applications": rows(Application, startup_id=by["startups"], created_by_id=by["users"]),
        "cohort_startups": rows(CohortStartup, "entered_at", "stage_changed_at", startup_id=by["startups"]),
        "stage_changes": rows(StageChange, cohort_startup_id=by["cohort_startups"], actor_id=by["users"]),
        "audit_events": rows(
            AuditEvent,
            actor_id=by["users"],
            object_id=lambda v, r: named.get(r["object_type"], {}).get(v, v),
        ),
        "detected_conflicts": rows(DetectedConflict, judge_id=by["users"], startup_id=by["startups"]),
    }


def test_import_in_batches_writes_the_rows_the_single_item_services_write(app, world):
    with app.test_request_context():  # as a job runs: the links in e-mails need a base
        cohort = _db.session.get(Cohort, world.id)
        actor = _db.session.merge(world.director)
        table = importer.read_csv(export_with_a_second_startup())
        valid, invalid = importing.valid_rows(cohort, table, importer.guess_mapping(table.headers))
        assert (len(valid), invalid) == (13, 0)
        before = written()

        batch = importing.import_rows(cohort, valid, actor, now=NOW)
        by_batch = written()
        _db.session.rollback()
        assert written() == before

        single = one_by_one(cohort, valid, actor, NOW)
        by_single = written()
        _db.session.rollback()

    # Rina's startup was there; Dimas and Rina had accounts; Rina's second startup is new.
    assert batch == single == (13, 10)
    for table_name in by_single:
        assert by_batch[table_name] == by_single[table_name], table_name
    added = {name: sum(by_batch[name].values()) - sum(before[name].values()) for name in by_batch}
    assert added == {
        "users": 10,
        "user_roles": 11,  # each new account an applicant, and Dimas too now
        "user_tokens": 10,
        "outbox_messages": 10,
        "startups": 12,
        "team_members": 12,
        "applications": 13,
        "cohort_startups": 13,
        "stage_changes": 13,
        # user.created, user.invited (10 each), role granted (1), startup.created and
        # team_member.saved (12 each), stage.changed and application.submitted (13 each)
        "audit_events": 10 + 10 + 1 + 12 + 12 + 13 + 13,
        "detected_conflicts": 2,  # Dimas owns GamelanVerse; the judge shares wayangar.id
    }


def test_import_in_batches_of_a_file_imported_already_writes_nothing(app, world):
    with app.test_request_context():  # as a job runs: the links in e-mails need a base
        cohort = _db.session.get(Cohort, world.id)
        actor = _db.session.merge(world.director)
        table = importer.read_csv(FIXTURE.read_bytes())
        valid, _invalid = importing.valid_rows(cohort, table, importer.guess_mapping(table.headers))
        assert importing.import_rows(cohort, valid, actor, now=NOW) == (12, 10)
        before = written()
        assert importing.import_rows(cohort, valid, actor, now=NOW) == (0, 0)
        assert written() == before
        _db.session.rollback()
