"""The data of bench/deadline.py: an open call with its founders, the decks they upload, the
deadline set once everyone is signed in, and the applications as stored, read back at the end."""

import io
import random
from datetime import datetime, timedelta

PASSWORD = "deadline-bench"  # noqa: S105 - throw-away accounts


def small_pdf() -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def deck_pdf(megabytes: int) -> bytes:
    """A one-page PDF whose page shows one image of `megabytes` MB (random bytes, as a photo's)."""
    from pypdf import PdfWriter
    from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject, NumberObject

    writer = PdfWriter()
    page = writer.add_blank_page(width=842, height=595)
    image = DecodedStreamObject()
    image.set_data(random.Random(7).randbytes(megabytes * 1024 * 1024))
    image.update(
        {
            NameObject("/Type"): NameObject("/XObject"),
            NameObject("/Subtype"): NameObject("/Image"),
            NameObject("/Width"): NumberObject(1),
            NameObject("/Height"): NumberObject(1),
            NameObject("/ColorSpace"): NameObject("/DeviceGray"),
            NameObject("/BitsPerComponent"): NumberObject(8),
            NameObject("/Filter"): NameObject("/DCTDecode"),
        }
    )
    reference = writer._add_object(image)
    xobjects = DictionaryObject({NameObject("/Im0"): reference})
    page[NameObject("/Resources")] = DictionaryObject({NameObject("/XObject"): xobjects})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def seed(founders: int, deck_share: float) -> list[tuple[str, int, bool]]:
    """The open call and its founders; (e-mail, application id, uploads a deck in the run) each."""
    from sqlalchemy import insert

    from incubator.applications.models import Application
    from incubator.applications.uploads import store_deck
    from incubator.auth.models import User, UserRole
    from incubator.auth.passwords import hash_password
    from incubator.cohorts import services as cohorts
    from incubator.core.database import utcnow
    from incubator.extensions import db
    from incubator.startups.models import Startup

    director = User(email="director@example.org", name="Direktur", password_hash=hash_password(PASSWORD))
    director.role_rows = [UserRole(role="director")]
    db.session.add(director)
    db.session.flush()
    area = cohorts.save_focus_area(None, "digital_startup", "Startup digital", "Digital startups", director)
    space = cohorts.save_space(
        None, name="Hetero Space Semarang", city="Semarang", description="", focus_areas=[area], actor=director
    )
    now = utcnow()
    cohort = cohorts.save_cohort(
        None,
        name="Hetero for Startup Semarang 2027",
        space=space,
        description="",
        opens_at=now - timedelta(days=30),
        closes_at=now + timedelta(days=1),  # set to the run's deadline once everyone is signed in
        required_attendance=0,
        focus_areas=[area],
        published=True,
        actor=director,
    )
    password_hash = hash_password(PASSWORD)
    emails = [f"founder{n:04d}@example.org" for n in range(1, founders + 1)]
    user_ids = db.session.scalars(
        insert(User).returning(User.id, sort_by_parameter_order=True),
        [
            {"email": e, "name": f"Pendiri {n}", "password_hash": password_hash, "email_confirmed_at": now}
            for n, e in enumerate(emails, 1)
        ],
    ).all()
    db.session.execute(insert(UserRole), [{"user_id": u, "role": "applicant"} for u in user_ids])
    startup_ids = db.session.scalars(
        insert(Startup).returning(Startup.id, sort_by_parameter_order=True),
        [
            {
                "owner_id": u,
                "name": f"Startup Tenggat {n:04d}",
                "city": "Semarang",
                "focus_area_id": area.id,
                "business_stage": "mvp",
            }
            for n, u in enumerate(user_ids, 1)
        ],
    ).all()
    rng = random.Random(23)
    uploads = set(rng.sample(range(founders), round(founders * deck_share)))
    small = small_pdf()
    rows = []
    for n, startup_id in enumerate(startup_ids):
        row = {
            "startup_id": startup_id,
            "cohort_id": cohort.id,
            "status": "draft",
            "created_by_id": user_ids[n],
            "problem": "",
            "solution": "Marketplace kurasi kain lurik",
            "target_market": "Pembeli fesyen etnik 20-35",
            "business_model": "Komisi 15%",
            "traction": "320 pelanggan",
            "why_programme": "Mentor kriya dan akses maker space",
            "funding_need": 150_000_000,
        }
        if n not in uploads:  # uploaded earlier
            row |= {"deck_path": store_deck(io.BytesIO(small)), "deck_filename": "deck.pdf", "deck_size": len(small)}
        rows.append(row)
    application_ids = db.session.scalars(
        insert(Application).returning(Application.id, sort_by_parameter_order=True), rows
    ).all()
    return [(emails[n], application_ids[n], n in uploads) for n in range(founders)]


def set_deadline(database_url: str, deadline: datetime) -> None:
    from sqlalchemy import create_engine, text

    engine = create_engine(database_url)
    stored = deadline.replace(tzinfo=None) if engine.dialect.name == "sqlite" else deadline
    with engine.begin() as connection:
        connection.execute(text("UPDATE cohorts SET closes_at = :d"), {"d": stored})
    engine.dispose()


def stored_applications(database_url: str) -> dict[int, tuple[str, str, bool]]:
    from sqlalchemy import create_engine, text

    engine = create_engine(database_url)
    with engine.connect() as connection:
        rows = connection.execute(text("SELECT id, problem, status, deck_path IS NOT NULL FROM applications"))
        found = {row[0]: (row[1], row[2], bool(row[3])) for row in rows}
    engine.dispose()
    return found
