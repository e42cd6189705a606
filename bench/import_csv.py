"""Benchmark: import a 1,000-row Google Form export into a fresh SQLite database through the service.

    .venv/bin/python bench/import_csv.py [--rows 1000] [--keep]

Builds a CSV like tests/fixtures/google-form-export.csv (its rows repeated, each with its own
e-mail and startup name), makes a fresh database with the migrations, checks the file the way
the mapping page does, imports it in one transaction the way the confirm page does, then
imports it again (which must change nothing). Prints the times and the resulting counts.
"""

import argparse
import csv
import io
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

FIXTURE = ROOT / "tests" / "fixtures" / "google-form-export.csv"
FOCUS_AREAS = [
    ("kriya", "Kriya", "Crafts"),
    ("games", "Gim", "Games"),
    ("performing-arts", "Seni pertunjukan", "Performing arts"),
    ("digital", "Startup digital", "Digital startups"),
    ("umkm", "UMKM", "MSMEs"),
    ("creative", "Industri kreatif", "Creative industry"),
]


def build_csv(rows: int) -> bytes:
    """`rows` answers shaped like the fixture's, with distinct e-mails and startup names."""
    reader = csv.reader(io.StringIO(FIXTURE.read_text(encoding="utf-8"), newline=""))
    header, *samples = list(reader)
    email, startup = header.index("Alamat email"), header.index("Nama startup")
    out = io.StringIO(newline="")
    writer = csv.writer(out)
    writer.writerow(header)
    for n in range(rows):
        row = list(samples[n % len(samples)])
        local, domain = row[email].split("@")
        row[email] = f"{local}+{n}@{domain}"
        row[startup] = f"{row[startup]} {n}"
        writer.writerow(row)
    return out.getvalue().encode("utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1000)
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder and print its path")
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="incubator-bench-"))
    from config import Config

    class BenchConfig(Config):
        SECRET_KEY = "bench-only"  # noqa: S105 - a throw-away database
        SQLALCHEMY_DATABASE_URI = f"sqlite:///{folder / 'bench.sqlite3'}"
        UPLOAD_FOLDER = str(folder / "uploads")
        MAIL_SERVER = None
        RATELIMIT_STORAGE_URI = "memory://"

    from flask_migrate import upgrade
    from sqlalchemy import func, select

    from incubator import create_app
    from incubator.applications import importer, importing
    from incubator.applications.models import Application
    from incubator.auth import services as auth
    from incubator.auth.models import User
    from incubator.cohorts import services as cohorts
    from incubator.cohorts.models import CohortStartup
    from incubator.extensions import db
    from incubator.mail.models import OutboxMessage
    from incubator.startups.models import Startup, TeamMember

    app = create_app(BenchConfig)
    with app.app_context():
        upgrade()
    data = build_csv(args.rows)

    with app.test_request_context(base_url="http://127.0.0.1:5000"):
        director = auth.create_user("director@bench.example", "Bench Director", roles=["director"], confirmed=True)
        areas = [cohorts.save_focus_area(None, *area, actor=director) for area in FOCUS_AREAS]
        space = cohorts.save_space(
            None, name="Hetero Space Solo", city="Surakarta", description="", focus_areas=areas, actor=director
        )
        cohort = cohorts.save_cohort(
            None,
            name="Hetero for Startup Solo 2021",
            space=space,
            description="",
            opens_at=datetime(2021, 12, 1, tzinfo=UTC),
            closes_at=datetime(2021, 12, 31, tzinfo=UTC),
            required_attendance=0,
            focus_areas=areas,
            published=True,
            actor=director,
        )
        db.session.commit()

        started = time.perf_counter()
        table = importer.read_csv(data)
        mapping = importer.guess_mapping(table.headers)
        checked = importing.check(cohort, table, mapping)
        check_seconds = time.perf_counter() - started

        started = time.perf_counter()
        result = importing.import_applications(cohort, table, mapping, director)
        db.session.commit()
        import_seconds = time.perf_counter() - started

        started = time.perf_counter()
        again = importing.import_applications(cohort, importer.read_csv(data), mapping, director)
        db.session.commit()
        again_seconds = time.perf_counter() - started

        def count(model) -> int:
            return db.session.scalar(select(func.count(model.id)))

        totals = {
            "users": count(User),
            "startups": count(Startup),
            "team_members": count(TeamMember),
            "applications": count(Application),
            "startups_in_cohort": count(CohortStartup),
            "outbox_messages": count(OutboxMessage),
        }

    print(f"file: {args.rows} rows, {len(data):,} bytes, {len(table.headers)} columns")
    print(
        f"check:      {check_seconds:7.3f} s  rows={checked.counts.rows} valid={checked.counts.valid} "
        f"invalid={checked.counts.invalid} warnings={checked.counts.warnings} "
        f"already_imported={checked.already_imported}"
    )
    print(
        f"import:     {import_seconds:7.3f} s  imported={result.imported} already_imported={result.already_imported} "
        f"invalid={result.invalid} invited={result.invited}"
    )
    print(
        f"again:      {again_seconds:7.3f} s  imported={again.imported} already_imported={again.already_imported} "
        f"invalid={again.invalid} invited={again.invited}"
    )
    print("database:   " + " ".join(f"{k}={v}" for k, v in totals.items()))
    if args.keep:
        print(f"kept:       {folder}")
    else:
        import shutil

        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
