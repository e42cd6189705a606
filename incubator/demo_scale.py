"""Synthetic scale data for `flask seed-demo --applications N [--judges J]` and the benchmarks.

One new cohort of N submitted applications and one closed round on a rubric of 8 criteria,
scored by a pool of J judges, 3 per application, every sheet final. Rows go in with bulk
inserts (N = 5,000 means 15,000 sheets and 120,000 scores), through the same services for
everything that has one (cohort, round, rubric, entering the cohort).
"""

import random
from datetime import timedelta
from decimal import Decimal

from sqlalchemy import func, insert, select

from incubator.applications.models import Application
from incubator.auth.models import User, UserRole
from incubator.auth.passwords import hash_password
from incubator.cohorts import services as cohorts
from incubator.cohorts.models import Cohort, FocusArea, Space
from incubator.cohorts.pipeline import APPLIED
from incubator.core.database import utcnow
from incubator.demo import DEMO_PASSWORD, demo_users
from incubator.extensions import db
from incubator.judging import scoring
from incubator.judging.conflicts import found as found_conflicts
from incubator.judging.models import Assignment, Criterion, Round, Score, ScoreSheet
from incubator.judging.ranking import results
from incubator.judging.rounds import services as judging
from incubator.judging.rounds.rubric import Scale
from incubator.startups.models import Startup

JUDGES_PER_APPLICATION = 3
CRITERIA = [
    ("Masalah", 3),
    ("Solusi", 3),
    ("Pasar", 2),
    ("Model bisnis", 2),
    ("Traksi", 2),
    ("Tim", 3),
    ("Dampak di Jawa Tengah", 1),
    ("Pitch", 1),
]
CITIES = ["Semarang", "Surakarta", "Kudus", "Magelang", "Pekalongan", "Tegal", "Salatiga", "Purwokerto"]


def _judges(count: int) -> list[User]:
    """scale-judge1@example.org ... scale-judgeJ@example.org, made once and reused by later runs."""
    emails = [f"scale-judge{number}@example.org" for number in range(1, count + 1)]
    existing = {u.email: u for u in db.session.scalars(select(User).where(User.email.in_(emails)))}
    # Like the demo accounts: the documented demo password is hashed directly (see demo.demo_users).
    password_hash = None
    for number, email in enumerate(emails, start=1):
        if email not in existing:
            password_hash = password_hash or hash_password(DEMO_PASSWORD)
            existing[email] = User(
                email=email,
                name=f"Juri Skala {number}",
                password_hash=password_hash,
                email_confirmed_at=utcnow(),
                role_rows=[UserRole(role="judge")],
            )
            db.session.add(existing[email])
    db.session.flush()
    return [existing[email] for email in emails]


def place(director: User) -> tuple[FocusArea, Space]:
    area = db.session.scalar(select(FocusArea).where(FocusArea.code == "digital_startup"))
    if area is None:
        area = cohorts.save_focus_area(None, "digital_startup", "Startup digital", "Digital startups", director)
    space = db.session.scalar(select(Space).where(Space.name == "Hetero Space Semarang"))
    if space is None:
        space = cohorts.save_space(
            None, name="Hetero Space Semarang", city="Semarang", description="", focus_areas=[area], actor=director
        )
    return area, space


def scale_round(cohort_name: str, description: str) -> tuple[User, Cohort, Round, list[Criterion]]:
    """A new unpublished cohort whose call closed a month ago, with a draft "Seleksi pitch" round on an
    8-criterion rubric (scale 1-5): what the synthetic data and the benchmarks score in.
    Returns (the demo director, the cohort, the round, its criteria)."""
    director = demo_users()["director@example.org"]
    area, space = place(director)
    now = utcnow().replace(microsecond=0)
    cohort = cohorts.save_cohort(
        None,
        name=cohort_name,
        space=space,
        description=description,
        opens_at=now - timedelta(days=60),
        closes_at=now - timedelta(days=30),
        required_attendance=0,
        focus_areas=[area],
        published=False,
        actor=director,
    )
    round_ = judging.save_round(
        None,
        cohort,
        name="Seleksi pitch",
        decides_stage="applied",
        scoring_opens_at=None,
        scoring_closes_at=None,
        judges_per_application=JUDGES_PER_APPLICATION,
        ranking_basis="normalized",
        judges_see_scores_after_close=False,
        disagreement_threshold=Decimal(15),
        actor=director,
    )
    criteria = [
        judging.save_criterion(
            round_.rubric,
            None,
            name=name,
            description="",
            weight=Decimal(weight),
            scale=Scale(Decimal(1), Decimal(5), Decimal(1)),
            descriptors={},
            actor=director,
        )
        for name, weight in CRITERIA
    ]
    return director, cohort, round_, criteria


def submitted_applications(cohort: Cohort, director: User, startups: list[dict], **pitch) -> list[int]:
    """New startups (`startups`: each one's columns, its name among them) entered in `cohort` with a
    submitted application (`pitch`: the application's text columns), at the applied stage, in
    bulk: the applications' ids, in the order given. For synthetic cohorts (this module, bench/)."""
    now = utcnow()
    startup_ids = db.session.scalars(
        insert(Startup).returning(Startup.id, sort_by_parameter_order=True), startups
    ).all()
    application_ids = db.session.scalars(
        insert(Application).returning(Application.id, sort_by_parameter_order=True),
        [
            {"startup_id": s, "cohort_id": cohort.id, "status": "submitted", "submitted_at": now, **pitch}
            for s in startup_ids
        ],
    ).all()
    entries = [
        cohorts.Move(cohorts.StartupRef(i, row["name"]), cohort, APPLIED)
        for i, row in zip(startup_ids, startups, strict=True)
    ]
    cohorts.change_stages(entries, director, system=True, refresh_results=False)
    return application_ids


def seed_scale(applications: int, judges: int = 10, *, seed: int = 2021) -> tuple[int, int]:
    """Add the synthetic cohort and its scored round; (cohort id, round id)."""
    if applications < 1:
        raise ValueError("applications must be at least 1")
    if judges < JUDGES_PER_APPLICATION:
        raise ValueError(f"judges must be at least {JUDGES_PER_APPLICATION}")
    number = db.session.scalar(select(func.count(Cohort.id)).where(Cohort.name.like("Hetero for Startup Skala%"))) + 1
    director, cohort, round_, criteria = scale_round(
        f"Hetero for Startup Skala {number} ({applications} aplikasi)", "Data sintetis untuk uji skala."
    )
    now = utcnow()
    pool = [j.id for j in _judges(judges)]
    found_conflicts.update(judge_ids=pool)  # the pool is added directly, not through accounts
    rng = random.Random(seed)
    names = [f"Startup Skala {number}-{i:05d}" for i in range(1, applications + 1)]
    startups = [
        {
            "name": name,
            "city": CITIES[i % len(CITIES)],
            "focus_area_id": cohort.focus_areas[0].id,
            "business_stage": ("idea", "mvp", "early_revenue", "growth")[i % 4],
        }
        for i, name in enumerate(names, start=1)
    ]
    application_ids = submitted_applications(
        cohort,
        director,
        startups,
        problem="Masalah yang nyata bagi UMKM di Jawa Tengah.",
        solution="Solusi digital yang sederhana.",
    )
    judging.set_phase(round_, "open", director)
    # Each application gets 3 judges in turn, so loads stay within one of each other.
    pairs = [
        (a, pool[(index * JUDGES_PER_APPLICATION + k) % len(pool)])
        for index, a in enumerate(application_ids)
        for k in range(JUDGES_PER_APPLICATION)
    ]
    db.session.execute(
        insert(Assignment), [{"round_id": round_.id, "application_id": a, "judge_id": j} for a, j in pairs]
    )
    # A judge's own leniency plus each startup's quality, so normalisation has something to correct.
    leniency = {j: rng.uniform(-0.8, 0.8) for j in pool}
    quality = {a: rng.uniform(1.5, 4.5) for a in application_ids}
    values = [
        {c.id: Decimal(min(5, max(1, round(quality[a] + leniency[j] + rng.uniform(-1, 1))))) for c in criteria}
        for a, j in pairs
    ]
    plain_criteria = results.scoring_criteria(criteria)
    sheet_ids = db.session.scalars(
        insert(ScoreSheet).returning(ScoreSheet.id, sort_by_parameter_order=True),
        [
            {
                "round_id": round_.id,
                "application_id": a,
                "judge_id": j,
                "status": "final",
                "version": 1,
                "recommendation": "maybe",
                "submitted_at": now,
                # As submitting writes it (judging.sheets.services.save_sheet).
                "total": scoring.sheet_total(plain_criteria, {c: float(v) for c, v in entered.items()}),
            }
            for (a, j), entered in zip(pairs, values, strict=True)
        ],
    ).all()
    db.session.execute(
        insert(Score),
        [
            {"sheet_id": sheet_id, "criterion_id": criterion_id, "value": value}
            for sheet_id, entered in zip(sheet_ids, values, strict=True)
            for criterion_id, value in entered.items()
        ],
    )
    judging.set_phase(round_, "closed", director)
    db.session.flush()
    return cohort.id, round_.id
