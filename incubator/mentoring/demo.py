"""Demo data for the mentoring area, loaded by `flask seed-demo` (idempotent)."""

from datetime import timedelta

from sqlalchemy import select

from incubator.cohorts.models import Cohort, CohortStartup
from incubator.extensions import db
from incubator.mentoring.models import MentorAssignment
from incubator.mentoring.queries import today_wib
from incubator.mentoring.services import ItemInput, assign_mentor, save_note, set_item_status
from incubator.startups.models import Startup

COHORT = "Hetero for Startup Solo 2026"
FOUNDER = "founder1@example.org"
# Per startup (in the order below): (days ago, minutes, theme, visibility, notes, [(title, owner, due in days, status)])
# owner: "founder", "mentor" or None (the team); a negative due date is in the past.
SESSIONS = [
    [
        (20, 60, "finance", "internal", "Arus kas masih bergantung pada satu pembeli besar. Perlu dipantau.", []),
        (
            6,
            90,
            "legality_licensing",
            "shared",
            "Kita membahas **NIB** dan sertifikat PIRT.\n\n- Daftar lewat OSS\n- Siapkan foto produk\n\n"
            "Panduan: [oss.go.id](https://oss.go.id)",
            [
                ("Daftarkan NIB di OSS", "founder", -2, "open"),
                ("Foto produk untuk katalog", None, -1, "done"),
                ("Susun daftar harga grosir", None, 10, "open"),
            ],
        ),
    ],
    [
        (
            12,
            45,
            "going_online",
            "shared",
            "Toko di marketplace sudah dibuka; deskripsi produk perlu diperbaiki.",
            [("Tulis ulang deskripsi 10 produk terlaris", None, -3, "in_progress")],
        )
    ],
    [
        (
            3,
            60,
            "pitching",
            "internal",
            "Pitch masih terlalu panjang; tim belum yakin soal angka pasar.",
            [("Kenalkan ke juri Demo day tahun lalu", "mentor", 7, "in_progress")],
        )
    ],
    [
        (
            40,
            30,
            "design_branding",
            "shared",
            "Logo baru sudah bagus. Lanjutkan ke kemasan.",
            [("Kirim tiga contoh kemasan", "founder", -30, "done")],
        )
    ],
    [],  # mentored by mentor2, not met yet
]


def _startups(cohort: Cohort) -> list[CohortStartup]:
    """The cohort's startups in pre-incubation, the demo founder's first."""
    rows = list(
        db.session.scalars(
            select(CohortStartup)
            .join(Startup)
            .where(CohortStartup.cohort_id == cohort.id, CohortStartup.stage.in_(("pre_incubation", "incubation")))
            .order_by(CohortStartup.id)
        ).unique()
    )
    return sorted(rows, key=lambda cs: not (cs.startup.owner and cs.startup.owner.email == FOUNDER))


def seed(users: dict, director) -> None:
    """Add this area's demo data when it is missing: mentor1 and mentor2 assigned to the advanced startups
    (not judge3, who judged them: mentoring a startup is a conflict of interest for its judge),
    notes of both visibilities over the last weeks, action items (some overdue, some done), and
    startups not met in four weeks."""
    cohort = db.session.scalar(select(Cohort).where(Cohort.name == COHORT))
    mentor, second = users.get("mentor1@example.org"), users.get("mentor2@example.org")
    if cohort is None or mentor is None:
        return
    startups = _startups(cohort)
    if not startups:
        return
    ids = [cs.id for cs in startups]
    if db.session.scalar(select(MentorAssignment.id).where(MentorAssignment.cohort_startup_id.in_(ids)).limit(1)):
        return
    today = today_wib()
    for n, cs in enumerate(startups[: len(SESSIONS)]):
        author = second if n == len(SESSIONS) - 1 and second is not None else mentor
        assign_mentor(cs, author, director)
        for days_ago, minutes, theme, visibility, body, items in SESSIONS[n]:
            rows = [
                ItemInput(
                    title=title,
                    owner_id={"founder": cs.startup.owner_id, "mentor": author.id}.get(owner),
                    due_on=today + timedelta(days=due),
                    status="open" if status == "done" else status,
                )
                for title, owner, due, status in items
            ]
            note = save_note(
                None,
                cs,
                author,
                held_on=today - timedelta(days=days_ago),
                duration_minutes=minutes,
                theme=theme,
                body=body,
                visibility=visibility,
                items=rows,
                today=today,
            )
            db.session.refresh(note)
            for item, (_title, _owner, _due, status) in zip(note.action_items, items, strict=True):
                if status == "done":
                    done_by = cs.startup.owner or author
                    set_item_status(item, done_by, "done", "Sudah selesai, terima kasih.")
