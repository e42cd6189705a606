"""The demo programme that `flask seed-demo` loads (it grows as features land).

Every part is added only when missing, so running it again changes nothing.
"""

from datetime import timedelta
from decimal import Decimal

from sqlalchemy import func, select

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
from incubator.judging import services as judging
from incubator.judging.models import Rubric
from incubator.judging.rubric import Scale
from incubator.startups.models import Startup, TeamMember

DEMO_PASSWORD = "demo12345"  # noqa: S105 - the documented demo password
DEMO_USERS = [
    ("director@example.org", "Dewi Lestari", ["director"]),
    ("judge1@example.org", "Agus Setiawan", ["judge"]),
    ("judge2@example.org", "Maya Kusuma", ["judge"]),
    ("judge3@example.org", "Hendra Wijaya", ["judge", "mentor"]),
    ("mentor1@example.org", "Ratna Sari", ["mentor"]),
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

# (name, city, focus area code, business stage, stage in the demo cohort, problem, solution, funding need)
STARTUPS = [
    (
        "Batik Lurik Nusantara",
        "Surakarta",
        "crafts",
        "early_revenue",
        "pre_incubation",
        "Pengrajin lurik Klaten sulit menjual ke pasar online",
        "Marketplace kurasi kain lurik dengan cerita pengrajin",
        150_000_000,
    ),
    (
        "GamelanVerse",
        "Sukoharjo",
        "games",
        "mvp",
        "pre_incubation",
        "Anak muda jarang mengenal gamelan",
        "Game ritme mobile dengan musik gamelan asli",
        75_000_000,
    ),
    (
        "Sanggar Digital",
        "Klaten",
        "performing_arts",
        "idea",
        "applied",
        "Sanggar tari kehilangan penonton sejak pandemi",
        "Tiket streaming pertunjukan tari berbayar",
        40_000_000,
    ),
    (
        "TaniTech Banyumas",
        "Banyumas",
        "agritech",
        "early_revenue",
        "applied",
        "Petani sulit mendapat harga pupuk yang adil",
        "Aplikasi pemesanan pupuk bersama per kelompok tani",
        500_000_000,
    ),
    (
        "Wayang Kulit AR",
        "Surakarta",
        "games",
        "mvp",
        "applied",
        "Pertunjukan wayang sulit dinikmati generasi muda",
        "Aplikasi augmented reality tokoh wayang",
        120_000_000,
    ),
    (
        "Anyaman Mendong",
        "Boyolali",
        "crafts",
        "idea",
        "applied",
        "Anyaman mendong dijual murah ke tengkulak",
        "Merek bersama dan toko daring untuk penganyam",
        35_000_000,
    ),
    (
        "Kopi Merapi",
        "Boyolali",
        "umkm",
        "growth",
        "not_selected",
        "Petani kopi lereng Merapi menjual biji mentah",
        "Sangrai dan kemasan sendiri dengan langganan bulanan",
        250_000_000,
    ),
    (
        "Keroncong Live",
        "Surakarta",
        "performing_arts",
        "idea",
        "withdrawn",
        "Musisi keroncong kehilangan panggung",
        "Pemesanan pertunjukan keroncong untuk acara",
        30_000_000,
    ),
]


def _users() -> dict[str, User]:
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


def _programme(director: User) -> None:
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
        opens_at=now - timedelta(days=10),
        closes_at=now + timedelta(days=20),
        required_attendance=10,
        focus_areas=solo.focus_areas,
        published=True,
        actor=director,
    )
    rounds = [
        ("Seleksi pitch", "applied"),
        ("Demo day", "pre_incubation"),
        ("Tinjauan kelulusan", "incubation"),
    ]
    for round_name, decides in rounds:
        round_ = judging.save_round(
            None,
            cohort,
            name=round_name,
            decides_stage=decides,
            scoring_opens_at=now + timedelta(days=21),
            scoring_closes_at=now + timedelta(days=28),
            judges_per_application=3,
            ranking_basis="raw",
            judges_see_scores_after_close=False,
            disagreement_threshold=Decimal(15),
            actor=director,
        )
        judging.copy_template_into_round(template, round_, director)

    founder = db.session.scalar(select(User).where(User.email == "founder1@example.org"))
    for i, (startup_name, city, area, business_stage, stage, problem, solution, funding) in enumerate(STARTUPS):
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
        applications.submit(application, director, now=now - timedelta(days=9 - i), imported=True)
        if stage != "applied":
            cohorts.change_stage(startup, cohort, stage, director, "Keputusan demo")


def seed_demo() -> bool:
    """Add whatever part of the demo data is missing; True when anything was added.

    Every piece added records an audit event, so counting them tells what changed.
    """
    before = _audit_events()
    users = _users()
    _programme(users["director@example.org"])
    db.session.flush()
    return _audit_events() != before


def _audit_events() -> int:
    return db.session.scalar(select(func.count(AuditEvent.id)))
