"""Demo data for the milestones area, loaded by `flask seed-demo` (idempotent).

A checklist per stage for the Solo cohort; the startups in pre-incubation have ticked some
milestones with evidence, and mentor1 has verified some of them.
"""

from sqlalchemy import select

from incubator.cohorts.models import Cohort, CohortStartup
from incubator.extensions import db
from incubator.milestones import services
from incubator.milestones.models import Milestone
from incubator.startups.models import Startup

COHORT = "Hetero for Startup Solo 2026"
CHECKLIST = {
    "pre_incubation": [
        ("NIB terdaftar", "Nomor Induk Berusaha terbit lewat OSS."),
        ("MVP diluncurkan", "Produk pertama dipakai pelanggan nyata."),
        ("Pelanggan berbayar pertama", "Transaksi pertama dari pelanggan di luar keluarga dan teman."),
        ("Identitas merek selesai", "Logo, palet warna dan panduan merek."),
    ],
    "incubation": [
        ("Rencana keuangan 12 bulan", "Proyeksi arus kas disetujui mentor."),
        ("Toko daring aktif", "Produk tersedia di marketplace atau situs sendiri."),
        ("Siap pitching ke investor", "Deck dan pitch latihan di depan juri."),
    ],
}
# (startup index, milestone index in pre-incubation, evidence url, evidence note, verified by mentor1)
TICKS = [
    (0, 0, "https://oss.go.id/", "NIB terbit Maret.", True),
    (0, 1, "https://batik.example/toko", "", True),
    (0, 2, "", "Pesanan pertama dari hotel di Solo.", False),
    (1, 0, "", "NIB sudah terbit, salinan ada di kantor.", True),
    (2, 3, "https://drive.example/merek.pdf", "Panduan merek versi 1.", False),
]


def seed(users: dict, director) -> None:
    """Add this area's demo data when it is missing."""
    cohort = db.session.scalar(select(Cohort).where(Cohort.name == COHORT))
    if cohort is None or db.session.scalar(select(Milestone.id).where(Milestone.cohort_id == cohort.id)):
        return
    made = {}
    for stage, items in CHECKLIST.items():
        made[stage] = [
            services.save_milestone(
                cohort, None, stage=stage, title=title, description=text, position=n + 1, actor=director
            )
            for n, (title, text) in enumerate(items)
        ]
    startups = db.session.scalars(
        select(CohortStartup)
        .join(Startup, Startup.id == CohortStartup.startup_id)
        .where(CohortStartup.cohort_id == cohort.id, CohortStartup.stage.in_(("pre_incubation", "incubation")))
        .order_by(CohortStartup.id)
    ).all()
    mentor = users.get("mentor1@example.org")
    for index, position, url, note, verified in TICKS:
        if index >= len(startups):
            continue
        cs = startups[index]
        progress = services.tick(cs, made["pre_incubation"][position], url, note, cs.startup.owner)
        if verified:
            services.verify(progress, mentor or director)
