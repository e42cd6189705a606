"""The demo programme that `flask seed-demo` loads (it grows as features land).

Every part is added only when missing, so running it again changes nothing.
"""

from datetime import timedelta
from decimal import Decimal

from flask import current_app
from sqlalchemy import func, select

from incubator.activities import demo as activities_demo
from incubator.applications import services as applications
from incubator.applications.models import Application
from incubator.audit.models import AuditEvent
from incubator.audit.services import record
from incubator.auth.models import User, UserRole
from incubator.auth.passwords import hash_password
from incubator.cohorts import services as cohorts
from incubator.cohorts.models import Cohort, FocusArea, Space
from incubator.core.database import utcnow
from incubator.extensions import db
from incubator.judging.assignments import manual as assignments
from incubator.judging.conflicts import detection as conflicts
from incubator.judging.conflicts import services as conflict_services
from incubator.judging.decisions import services as decisions
from incubator.judging.decisions.feedback import release_feedback
from incubator.judging.models import Round, Rubric
from incubator.judging.ranking.compute import round_applications, round_ranking
from incubator.judging.rounds import services as judging
from incubator.judging.rounds.rubric import Scale
from incubator.judging.sheets.services import Entry, save_sheet
from incubator.kpis import demo as kpis_demo
from incubator.mentoring import demo as mentoring_demo
from incubator.milestones import demo as milestones_demo
from incubator.startups.models import Startup, TeamMember

DEMO_PASSWORD = "demo12345"  # noqa: S105 - the documented demo password
DEMO_USERS = [
    ("director@example.org", "Dewi Lestari", ["director"]),
    ("judge1@example.org", "Agus Setiawan", ["judge"]),
    ("judge2@example.org", "Maya Kusuma", ["judge"]),
    ("judge3@example.org", "Hendra Wijaya", ["judge", "mentor"]),
    ("mentor1@example.org", "Ratna Sari", ["mentor"]),
    ("mentor2@example.org", "Bayu Pratama", ["mentor"]),
    ("founder1@example.org", "Rina Widyastuti", ["applicant"]),
]

FOCUS_AREAS = [
    ("digital_startup", "Startup digital", "Digital startups"),
    ("umkm", "UMKM", "MSMEs (UMKM)"),
    ("creative_industry", "Industri kreatif", "Creative industry"),
    ("crafts", "Kriya", "Crafts (kriya)"),
    ("performing_arts", "Seni pertunjukan", "Performing arts"),
    ("games", "Gim", "Games"),
    ("agritech", "Pertanian dan pangan", "Agriculture and food"),
]

SPACES = [
    (
        "Hetero Space Semarang",
        "Semarang",
        "Ruang kerja bersama pertama: startup digital, UMKM dan industri kreatif.",
        ["digital_startup", "umkm", "creative_industry"],
    ),
    (
        "Hetero Space Solo",
        "Surakarta",
        "Kriya, seni pertunjukan dan gim, dengan maker space dan studio foto.",
        ["crafts", "performing_arts", "games"],
    ),
    ("Hetero Space Banyumas", "Purwokerto", "Hetero Space berikutnya untuk wilayah Banyumas.", ["agritech", "umkm"]),
]

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
STARTUPS = [
    (
        "Batik Lurik Nusantara",
        "Surakarta",
        "crafts",
        "early_revenue",
        "Pengrajin lurik Klaten sulit menjual ke pasar online",
        "Marketplace kurasi kain lurik dengan cerita pengrajin",
        150_000_000,
    ),
    (
        "GamelanVerse",
        "Sukoharjo",
        "games",
        "mvp",
        "Anak muda jarang mengenal gamelan",
        "Game ritme mobile dengan musik gamelan asli",
        75_000_000,
    ),
    (
        "Sanggar Digital",
        "Klaten",
        "performing_arts",
        "idea",
        "Sanggar tari kehilangan penonton sejak pandemi",
        "Tiket streaming pertunjukan tari berbayar",
        40_000_000,
    ),
    (
        "TaniTech Banyumas",
        "Banyumas",
        "agritech",
        "early_revenue",
        "Petani sulit mendapat harga pupuk yang adil",
        "Aplikasi pemesanan pupuk bersama per kelompok tani",
        500_000_000,
    ),
    (
        "Wayang Kulit AR",
        "Surakarta",
        "games",
        "mvp",
        "Pertunjukan wayang sulit dinikmati generasi muda",
        "Aplikasi augmented reality tokoh wayang",
        120_000_000,
    ),
    (
        "Anyaman Mendong",
        "Boyolali",
        "crafts",
        "idea",
        "Anyaman mendong dijual murah ke tengkulak",
        "Merek bersama dan toko daring untuk penganyam",
        35_000_000,
    ),
    (
        "Kopi Merapi",
        "Boyolali",
        "umkm",
        "growth",
        "Petani kopi lereng Merapi menjual biji mentah",
        "Sangrai dan kemasan sendiri dengan langganan bulanan",
        250_000_000,
    ),
    (
        "Kriya Bambu Sragen",
        "Sragen",
        "crafts",
        "early_revenue",
        "Perajin bambu kalah bersaing dengan barang plastik murah",
        "Perabot bambu modular yang dikirim rata dalam kardus",
        90_000_000,
    ),
    (
        "Dalang Cilik Academy",
        "Surakarta",
        "performing_arts",
        "mvp",
        "Sekolah pedalangan sepi peminat dari kalangan anak",
        "Kelas mendalang daring dengan wayang kardus yang dikirim ke rumah",
        60_000_000,
    ),
    (
        "Topeng Interaktif",
        "Klaten",
        "games",
        "mvp",
        "Cerita Panji dan tari topeng nyaris tak dikenal remaja",
        "Gim petualangan berbasis cerita Panji untuk ponsel murah",
        110_000_000,
    ),
    (
        "Tenun Troso Online",
        "Jepara",
        "crafts",
        "idea",
        "Penenun Troso bergantung pada satu pengepul",
        "Toko daring dan pesanan khusus langsung ke penenun",
        45_000_000,
    ),
    (
        "Jamu Gendong Digital",
        "Sukoharjo",
        "umkm",
        "early_revenue",
        "Penjual jamu gendong kehilangan pelanggan muda",
        "Langganan jamu segar lewat WhatsApp dengan kurir sepeda",
        55_000_000,
    ),
    (
        "Keroncong Live",
        "Surakarta",
        "performing_arts",
        "idea",
        "Musisi keroncong kehilangan panggung",
        "Pemesanan pertunjukan keroncong untuk acara",
        30_000_000,
    ),
]
WITHDRAWN = "Keroncong Live"

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

OPEN_CALL = "Hetero for Startup Semarang 2026"


def demo_users() -> dict[str, User]:
    existing = {u.email: u for u in db.session.scalars(select(User).where(User.email.in_([u[0] for u in DEMO_USERS])))}
    # The demo password is on the common-password list on purpose (nobody may pick
    # it), so demo accounts get its hash directly instead of going through create_user.
    password_hash = None
    for email, name, roles in DEMO_USERS:
        if email in existing:
            continue
        password_hash = password_hash or hash_password(DEMO_PASSWORD)
        user = User(
            email=email,
            name=name,
            password_hash=password_hash,
            email_confirmed_at=utcnow(),
            role_rows=[UserRole(role=r) for r in roles],
        )
        db.session.add(user)
        db.session.flush()
        record("user.created", user, roles=roles, source="seed-demo")
        existing[email] = user
    return existing


def _programme(director: User) -> tuple[dict[str, Space], Rubric]:
    """Focus areas, the Hetero Space sites, and the standard rubric template."""
    areas = {a.code: a for a in db.session.scalars(select(FocusArea))}
    for code, name_id, name_en in FOCUS_AREAS:
        if code not in areas:
            areas[code] = cohorts.save_focus_area(None, code, name_id, name_en, director)
    spaces = {s.name: s for s in db.session.scalars(select(Space))}
    for name, city, description, codes in SPACES:
        if name not in spaces:
            spaces[name] = cohorts.save_space(
                None,
                name=name,
                city=city,
                description=description,
                focus_areas=[areas[c] for c in codes],
                actor=director,
            )

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
    return spaces, template


def _round(cohort: Cohort, name: str, decides: str, opens, closes, template: Rubric, director: User) -> Round:
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


def _solo_cohort(director: User, spaces: dict[str, Space], template: Rubric) -> None:
    """The Solo cohort: its call closed weeks ago, the pitch selection scored, Demo day running now."""
    name = "Hetero for Startup Solo 2026"
    if db.session.scalar(select(Cohort).where(Cohort.name == name)) is not None:
        return
    now = utcnow()
    solo = spaces["Hetero Space Solo"]
    cohort = cohorts.save_cohort(
        None,
        name=name,
        space=solo,
        description=(
            "Kompetisi dan inkubasi startup Hetero Space Solo untuk kriya, seni pertunjukan dan gim: "
            "pelatihan, klinik, mentor, dan akses ke maker space serta studio foto."
        ),
        opens_at=now - timedelta(days=75),
        closes_at=now - timedelta(days=45),
        required_attendance=10,
        focus_areas=solo.focus_areas,
        published=True,
        actor=director,
    )
    day = timedelta(days=1)
    _round(cohort, "Seleksi pitch", "applied", now - 44 * day, now - 30 * day, template, director)
    _round(cohort, "Demo day", "pre_incubation", now - 2 * day, now + 12 * day, template, director)
    _round(cohort, "Tinjauan kelulusan", "incubation", now + 90 * day, now + 97 * day, template, director)

    areas = {a.code: a for a in db.session.scalars(select(FocusArea))}
    founder = db.session.scalar(select(User).where(User.email == "founder1@example.org"))
    for i, (startup_name, city, area, business_stage, problem, solution, funding) in enumerate(STARTUPS):
        startup = Startup(
            name=startup_name,
            city=city,
            focus_area_id=areas[area].id,
            business_stage=business_stage,
            owner_id=founder.id if i == 0 else None,
            members=[
                TeamMember(
                    name=f"Pendiri {startup_name}",
                    role="CEO",
                    is_founder=True,
                    under_30=i % 2 == 0,
                    is_woman=i % 3 == 0,
                )
            ],
        )
        db.session.add(startup)
        application = Application(
            startup=startup,
            cohort=cohort,
            status="draft",
            problem=problem,
            solution=solution,
            target_market="Jawa Tengah dan pasar daring nasional",
            business_model="Penjualan langsung dan komisi",
            traction="Pelanggan awal di Solo Raya",
            why_programme="Mentor, pelatihan dan jaringan Hetero Space",
            funding_need=funding,
            created_by_id=director.id,
        )
        db.session.add(application)
        db.session.flush()
        applications.submit(application, director, now=now - timedelta(days=70 - i), imported=True)
        if startup_name == WITHDRAWN:
            cohorts.change_stage(startup, cohort, "withdrawn", director, "Mengundurkan diri sebelum penjurian")


def _open_call(director: User, spaces: dict[str, Space], template: Rubric) -> None:
    """A cohort whose call is open now, so the public call page and applying can be tried."""
    if db.session.scalar(select(Cohort).where(Cohort.name == OPEN_CALL)) is not None:
        return
    now = utcnow()
    semarang = spaces["Hetero Space Semarang"]
    cohort = cohorts.save_cohort(
        None,
        name=OPEN_CALL,
        space=semarang,
        description=(
            "Panggilan terbuka Hetero Space Semarang untuk startup digital, UMKM dan industri kreatif: "
            "seleksi pitch, pra-inkubasi dan inkubasi."
        ),
        opens_at=now - timedelta(days=5),
        closes_at=now + timedelta(days=25),
        required_attendance=8,
        focus_areas=semarang.focus_areas,
        published=True,
        actor=director,
    )
    _round(cohort, "Seleksi pitch", "applied", now + timedelta(days=26), now + timedelta(days=33), template, director)


# --- the judging -------------------------------------------------------------------------------


def _solo_rounds() -> list[Round]:
    cohort = db.session.scalar(select(Cohort).where(Cohort.name == "Hetero for Startup Solo 2026"))
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
    choices = dict.fromkeys(decisions.top_n(ranking, ADVANCED), "advance")
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


def seed_demo() -> bool:
    """Add whatever part of the demo data is missing; True when anything was added.

    Every piece added records an audit event, so counting them tells what changed.
    """
    before = _audit_events()
    users = demo_users()
    director = users["director@example.org"]
    spaces, template = _programme(director)
    _solo_cohort(director, spaces, template)
    _open_call(director, spaces, template)
    db.session.flush()
    _pitch_selection(users)
    _demo_day(users)
    db.session.flush()
    # Incubation tracking, on the startups the pitch selection advanced.
    for seed_area in (mentoring_demo.seed, activities_demo.seed, kpis_demo.seed, milestones_demo.seed):
        seed_area(users, director)
        db.session.flush()
    return _audit_events() != before


def _audit_events() -> int:
    return db.session.scalar(select(func.count(AuditEvent.id)))
