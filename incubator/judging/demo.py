"""Demo data for judging, loaded by `flask seed-demo` (idempotent): the standard rubric template, the
rounds of the demo cohorts, and the Solo cohort's judging: the pitch selection scored by three judges,
a declared conflict, real decisions and released feedback (which proposes action items to the mentors
of the advanced startups); Demo day, sharing the pitch selection's rubric, open with a few sheets in.
Every write goes through the real services, so the demo's figures are the product's."""

from datetime import timedelta
from decimal import Decimal

from flask import current_app
from sqlalchemy import select

from incubator.applications.models import Application
from incubator.auth.models import User
from incubator.cohorts.models import Cohort
from incubator.core.database import utcnow
from incubator.extensions import db
from incubator.judging.assignments import manual as assignments
from incubator.judging.conflicts import detection as conflicts
from incubator.judging.conflicts import services as conflict_services
from incubator.judging.decisions import bulk as in_bulk
from incubator.judging.decisions import services as decisions
from incubator.judging.decisions.feedback import release_feedback
from incubator.judging.models import Round, Rubric
from incubator.judging.ranking.compute import round_ranking
from incubator.judging.ranking.members import round_applications
from incubator.judging.rounds import services as judging
from incubator.judging.rounds.rubric import Scale
from incubator.judging.sheets.services import Entry, save_sheet

SOLO_COHORT = "Hetero for Startup Solo 2026"

# (name, description, weight, {level: descriptor}) on a 1-5 scale.
RUBRIC = [
    (
        "Masalah dan solusi",
        "Seberapa nyata masalahnya dan seberapa tepat solusinya.",
        Decimal(3),
        {1: "Masalah belum jelas", 3: "Masalah nyata, solusi masuk akal", 5: "Masalah tervalidasi, solusi teruji"},
    ),
    (
        "Pasar",
        "Ukuran dan keterjangkauan target pasar.",
        Decimal(2),
        {1: "Pasar belum dikenali", 3: "Pasar jelas tetapi kecil", 5: "Pasar besar dan bisa dijangkau"},
    ),
    (
        "Model bisnis",
        "Bagaimana startup menghasilkan uang secara berkelanjutan.",
        Decimal(2),
        {1: "Belum ada model bisnis", 3: "Model bisnis masuk akal", 5: "Model bisnis terbukti menghasilkan"},
    ),
    (
        "Tim",
        "Kemampuan dan komitmen tim pendiri.",
        Decimal(2),
        {1: "Satu orang, paruh waktu", 3: "Tim lengkap, sebagian penuh waktu", 5: "Tim lengkap dan berpengalaman"},
    ),
    (
        "Traksi",
        "Pengguna, pelanggan atau pendapatan sejauh ini.",
        Decimal(2),
        {1: "Belum ada traksi", 3: "Pengguna awal", 5: "Pelanggan membayar dan tumbuh"},
    ),
    (
        "Dampak sosial dan daerah",
        "Manfaat bagi Jawa Tengah: lapangan kerja, UMKM, budaya.",
        Decimal("1.5"),
        {1: "Dampak belum terlihat", 3: "Dampak lokal", 5: "Dampak luas dan terukur"},
    ),
    (
        "Kualitas pitch",
        "Kejelasan dan daya yakin presentasi.",
        Decimal(1),
        {1: "Sulit diikuti", 3: "Jelas", 5: "Jelas, ringkas dan meyakinkan"},
    ),
]

# (name, city, focus area code, business stage, problem, solution, funding need). All apply to the
# Solo cohort; the first belongs to founder1@example.org; the last withdraws before the judging.

# --- the judging of the Solo cohort ----------------------------------------------------------
# Each startup's level (1-5) on the seven criteria, as the neutral judge sees it; the second
# judge is harsher and the third more lenient on some criteria (see _marks).
QUALITY = {
    "Batik Lurik Nusantara": [5, 4, 4, 5, 4, 5, 4],
    "GamelanVerse": [4, 4, 4, 4, 3, 5, 5],
    "Sanggar Digital": [3, 3, 3, 3, 2, 4, 3],
    "TaniTech Banyumas": [4, 5, 4, 4, 4, 4, 3],
    "Wayang Kulit AR": [4, 4, 3, 4, 3, 4, 4],
    "Anyaman Mendong": [3, 2, 2, 3, 2, 4, 3],
    "Kopi Merapi": [3, 3, 4, 3, 4, 3, 3],
    "Kriya Bambu Sragen": [4, 3, 3, 4, 3, 4, 4],
    "Dalang Cilik Academy": [3, 4, 3, 3, 2, 5, 4],
    "Topeng Interaktif": [4, 4, 3, 3, 3, 3, 4],
    "Tenun Troso Online": [2, 3, 2, 2, 2, 3, 2],
    "Jamu Gendong Digital": [3, 3, 3, 2, 3, 3, 2],
}
# The judges disagree on this one: one loves it, one does not (a spread far above 15 points).
DISAGREEMENT = {
    "Wayang Kulit AR": [[5, 5, 5, 5, 4, 5, 5], [2, 2, 1, 2, 1, 3, 2], [3, 3, 3, 3, 3, 3, 3]],
}
# The third judge declares a conflict with this startup after scoring it: that sheet does not count.
CONFLICT = ("TaniTech Banyumas", "judge3@example.org", "Pernah menjadi mentor TaniTech di program lain.")
# What a judge writes on a criterion: when the level is 4 or 5, otherwise.
NOTES = [
    ("Masalahnya nyata dan solusinya sudah diuji dengan pengguna.", "Perjelas siapa yang paling merasakan masalahnya."),
    ("Pasar jelas dan bisa dijangkau dari Solo Raya.", "Hitung ukuran pasar yang benar-benar bisa dijangkau."),
    ("Model bisnis masuk akal dengan margin yang sehat.", "Jelaskan siapa yang membayar dan berapa."),
    ("Tim lengkap dan saling melengkapi.", "Tim perlu anggota penuh waktu untuk sisi teknis."),
    ("Sudah ada pelanggan yang membayar.", "Kumpulkan pengguna awal sebelum demo day."),
    ("Dampak bagi pengrajin dan UMKM lokal terlihat.", "Ukur dampak sosialnya dengan angka."),
    ("Presentasi ringkas dan meyakinkan.", "Latih pitch agar selesai dalam lima menit."),
]
OVERALL = {
    "advance": "Layak lanjut ke pra-inkubasi.",
    "maybe": "Potensial, tetapi perlu bukti pasar yang lebih kuat.",
    "decline": "Belum siap; semoga ikut lagi di panggilan berikutnya.",
}
JUDGE_EMAILS = ("judge1@example.org", "judge2@example.org", "judge3@example.org")
ADVANCED = 5  # the pitch selection advances its top 5 ...
NOT_SELECTED = 3  # ... and turns down its last 3; the director decides the others in the demo


def rubric_template(director: User) -> Rubric:
    """The standard rubric template (made once)."""
    template = db.session.scalar(select(Rubric).where(Rubric.round_id.is_(None), Rubric.name == "Rubrik standar"))
    if template is None:
        template = judging.save_template(
            None, name="Rubrik standar", description="Tujuh kriteria seleksi Hetero for Startup.", actor=director
        )
        for name, description, weight, descriptors in RUBRIC:
            judging.save_criterion(
                template,
                None,
                name=name,
                description=description,
                weight=weight,
                scale=Scale(Decimal(1), Decimal(5), Decimal(1)),
                descriptors={Decimal(k): v for k, v in descriptors.items()},
                actor=director,
            )
    return template


def add_round(cohort: Cohort, name: str, decides: str, opens, closes, template: Rubric, director: User) -> Round:
    round_ = judging.save_round(
        None,
        cohort,
        name=name,
        decides_stage=decides,
        scoring_opens_at=opens,
        scoring_closes_at=closes,
        judges_per_application=3,
        ranking_basis="raw",
        judges_see_scores_after_close=False,
        disagreement_threshold=Decimal(15),
        actor=director,
    )
    judging.copy_template_into_round(template, round_, director)
    return round_


def _solo_rounds() -> list[Round]:
    cohort = db.session.scalar(select(Cohort).where(Cohort.name == SOLO_COHORT))
    if cohort is None:
        return []
    return list(db.session.scalars(select(Round).where(Round.cohort_id == cohort.id).order_by(Round.position)))


def _marks(startup: str, position: int, judge: int) -> list[int]:
    """A judge's levels on the seven criteria: the second judge is harsher, the third more lenient."""
    if startup in DISAGREEMENT:
        return DISAGREEMENT[startup][judge]
    levels = list(QUALITY[startup])
    for i in range(len(levels)):
        if judge == 1 and (i + position) % 3 == 0:
            levels[i] -= 1
        elif judge == 2 and (i + position) % 4 == 1:
            levels[i] += 1
    return [min(5, max(1, v)) for v in levels]


def _sheet(round_: Round, application: Application, judge: User, levels: list[int], now, *, submit: bool) -> None:
    """Save a judge's sheet through the real service; a draft leaves the last two criteria empty."""
    criteria = round_.rubric.criteria
    entries = {}
    for i, (criterion, level) in enumerate(zip(criteria, levels, strict=True)):
        empty = not submit and i >= len(criteria) - 2
        commented = i in ((judge.id + application.id) % 7, (judge.id + application.id + 3) % 7)
        note = NOTES[i][0 if level >= 4 else 1] if commented else ""
        entries[criterion.id] = Entry("" if empty else str(level), note)
    average = sum(levels) / len(levels)
    recommendation = "advance" if average >= 3.9 else "maybe" if average >= 3 else "decline"
    save_sheet(
        round_.id,
        application,
        judge,
        entries,
        overall_comment=OVERALL[recommendation],
        recommendation=recommendation,
        expected_version=0,
        submit=submit,
        now=now,
    )


def _assign(round_: Round, pairs: list[tuple[User, Application]], director: User) -> None:
    for judge, application in pairs:
        assignments.assign(round_, application, judge, director)


def _free_pairs(judges: list[User], applications: list[Application]) -> list[tuple[User, Application]]:
    """Every (judge, application) pair without a conflict found in the data."""
    found = conflicts.detect(judges, applications)
    return [(j, a) for a in applications for j in judges if (j.id, a.id) not in found]


def _pitch_selection(users: dict[str, User]) -> None:
    """Three judges score every application of the pitch selection (final sheets), one declares a
    conflict afterwards, the round closes, the top 5 advance and the last 3 are not selected through
    real decisions, and the feedback is released to founders."""
    rounds = _solo_rounds()
    if not rounds:
        return
    round_ = rounds[0]
    # Only a round made by this version of the demo (its window is over) and never scored.
    if round_.phase != "draft" or round_.scoring_closes_at is None or round_.scoring_closes_at > utcnow():
        return
    director = users["director@example.org"]
    judges = [users[e] for e in JUDGE_EMAILS]
    applications = [a for a in round_applications(round_) if a.startup.name in QUALITY]
    pairs = _free_pairs(judges, applications)
    _assign(round_, pairs, director)
    judging.set_phase(round_, "open", director)
    scoring_day = round_.scoring_opens_at + timedelta(days=3)
    positions = {name: i for i, name in enumerate(QUALITY)}
    for judge, application in pairs:
        name = application.startup.name
        _sheet(round_, application, judge, _marks(name, positions[name], judges.index(judge)), scoring_day, submit=True)

    startup, email, reason = CONFLICT
    conflicted = next(a for a in applications if a.startup.name == startup)
    conflict_services.declare_conflict(round_, conflicted, users[email], reason)
    judging.set_phase(round_, "closed", director)

    ranking = round_ranking(round_)
    ranked = [r.application_id for r in ranking.result.applications if r.rank is not None]
    choices = dict.fromkeys(in_bulk.top_n(ranking, ADVANCED), "advance")
    for app_id in ranked[-NOT_SELECTED:]:
        choices.setdefault(app_id, "not_selected")
    # Mail templates need a request (the page context); BASE_URL gives the links in them their host.
    with current_app.test_request_context("/", base_url=current_app.config["BASE_URL"]):
        decisions.decide(round_, choices, director)
    round_ = db.session.get(Round, round_.id)
    release_feedback(
        round_, {c.id: (True, True) for c in round_.rubric.criteria}, overall_comments=True, actor=director
    )


def _demo_day(users: dict[str, User]) -> None:
    """Demo day is open now: the advanced startups are assigned to the judges, a few sheets are in."""
    rounds = _solo_rounds()
    if len(rounds) < 2:
        return
    first, round_ = rounds[0], rounds[1]
    now = utcnow()
    if (
        round_.phase != "draft"
        or first.phase not in ("closed", "decided")
        or round_.scoring_opens_at is None
        or not round_.scoring_opens_at <= now < round_.scoring_closes_at
    ):
        return
    director = users["director@example.org"]
    # The second gate shares the first one's rubric, so the startups' growth shows from gate to gate.
    judging.share_rubric(first, round_, director)
    judges = [users[e] for e in JUDGE_EMAILS]
    applications = round_applications(round_)
    pairs = _free_pairs(judges, applications)
    _assign(round_, pairs, director)
    judging.set_phase(round_, "open", director)
    # Judge 1 has submitted two sheets and started a third; judge 2 submitted one; judge 3 started one.
    plan = {0: [True, True, False], 1: [True], 2: [None, False]}
    positions = {name: i for i, name in enumerate(QUALITY)}
    for judge_index, steps in plan.items():
        judge = judges[judge_index]
        mine = [a for j, a in pairs if j is judge]
        for application, submit in zip(mine, steps, strict=False):
            if submit is None:
                continue
            name = application.startup.name
            _sheet(round_, application, judge, _marks(name, positions[name], judge_index), now, submit=submit)


def seed(users: dict[str, User], director: User) -> None:
    """The Solo cohort's judging, each part only when it is missing (its rounds are made with the cohort)."""
    _pitch_selection(users)
    _demo_day(users)
