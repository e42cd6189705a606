"""The demo programme that `flask seed-demo` loads (it grows as features land).

Every part is added only when missing, so running it again changes nothing.
"""

from datetime import timedelta

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
from incubator.growth import demo as growth_demo
from incubator.judging import demo as judging_demo
from incubator.judging.conflicts import found as found_conflicts
from incubator.judging.models import Rubric
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

    return spaces, judging_demo.rubric_template(director)


def _solo_cohort(director: User, spaces: dict[str, Space], template: Rubric) -> None:
    """The Solo cohort: its call closed weeks ago, the pitch selection scored, Demo day running now."""
    name = judging_demo.SOLO_COHORT
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
    judging_demo.add_round(cohort, "Seleksi pitch", "applied", now - 44 * day, now - 30 * day, template, director)
    judging_demo.add_round(cohort, "Demo day", "pre_incubation", now - 2 * day, now + 12 * day, template, director)
    judging_demo.add_round(
        cohort, "Tinjauan kelulusan", "incubation", now + 90 * day, now + 97 * day, template, director
    )

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
    judging_demo.add_round(
        cohort, "Seleksi pitch", "applied", now + timedelta(days=26), now + timedelta(days=33), template, director
    )


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
    found_conflicts.rebuild_all()  # the demo's accounts, startups and teams are added directly
    judging_demo.seed(users, director)
    db.session.flush()
    # Incubation tracking, on the startups the pitch selection advanced.
    for seed_area in (
        mentoring_demo.seed,
        growth_demo.seed,
        activities_demo.seed,
        kpis_demo.seed,
        milestones_demo.seed,
    ):
        seed_area(users, director)
        db.session.flush()
    return _audit_events() != before


def _audit_events() -> int:
    return db.session.scalar(select(func.count(AuditEvent.id)))
