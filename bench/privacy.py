"""Benchmark: a founder's data download and erasure in a big programme.

    .venv/bin/python bench/privacy.py [--applications 5000] [--judges 10]

Builds the `flask seed-demo --applications N` cohort (N applications × 3 judges × 8 criteria, every
sheet final, in a closed round) on a fresh SQLite database, gives one of its startups a founder
with a team and a deck, decides the round, and times: the director's preview of a deletion request,
the founder's ZIP (built to a temporary file), and the approval that erases them (the erasure, the
sweep of every text column of every table, and the commit). It checks that the round's stored
results did not change and that no text cell names the founder afterwards.
"""

import argparse
import sys
import tempfile
import time
from io import BytesIO
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

NAME, EMAIL, PHONE = "Dimas Prasetyo", "dimas@gamelan.example", "+6281234567890"


def _timed(label: str, action):
    start = time.perf_counter()
    result = action()
    print(f"{label:<44} {1000 * (time.perf_counter() - start):9.1f} ms")
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--applications", type=int, default=5000)
    parser.add_argument("--judges", type=int, default=10)
    args = parser.parse_args()

    from harness import bench_app
    from pypdf import PdfWriter
    from sqlalchemy import select

    from incubator.applications.models import Application
    from incubator.applications.uploads import store_deck
    from incubator.auth.models import User
    from incubator.auth.services import create_user
    from incubator.demo_scale import seed_scale
    from incubator.extensions import db
    from incubator.judging.models import Round, StoredResult
    from incubator.privacy import erasure
    from incubator.privacy.export import write_zip
    from incubator.privacy.services import approve_request, request_deletion
    from incubator.startups.models import TeamMember
    from tests.test_privacy_erasure import personal_cells

    with tempfile.TemporaryDirectory() as folder:
        app = bench_app(f"sqlite:///{folder}/bench.sqlite3", Path(folder))
        with app.test_request_context("/?lang=en"):
            start = time.perf_counter()
            _cohort_id, round_id = seed_scale(args.applications, args.judges)
            person = create_user(EMAIL, NAME, password="Kopi-Tubruk-2026", roles=["applicant"], confirmed=True)  # noqa: S106 - a throw-away account
            application = db.session.scalar(
                select(Application).where(Application.cohort_id == _cohort_id).order_by(Application.id)
            )
            application.startup.owner_id = person.id
            application.startup.members.append(TeamMember(name=NAME, email=EMAIL, phone=PHONE, is_founder=True))
            deck = BytesIO()
            writer = PdfWriter()
            writer.add_blank_page(width=200, height=200)
            writer.write(deck)
            application.deck_path = store_deck(deck)
            application.deck_filename = "deck.pdf"
            db.session.get(Round, round_id).phase = "decided"
            db.session.commit()
            print(f"built {args.applications} applications in {time.perf_counter() - start:.1f} s")
            results = sorted(db.session.execute(select(StoredResult.__table__)).all())
            director = db.session.scalar(select(User).where(User.email == "director@example.org"))
            person = db.session.get(User, person.id)
            request = request_deletion(person, "")
            db.session.commit()

            _timed("preview of what would be removed", lambda: erasure.preview(person))
            archive = _timed("data ZIP (temporary file)", lambda: write_zip(person, application.created_at))
            archive.seek(0, 2)
            print(f"{'  its size':<44} {archive.tell():9d} bytes")
            archive.close()

            def approve():
                counts = approve_request(request, "", director)
                db.session.commit()
                erasure.remove_files_after_commit()
                return counts

            counts = _timed("approve: erase, sweep every table, commit", approve)
            print(f"{'  counts':<44} {counts}")
            same = sorted(db.session.execute(select(StoredResult.__table__)).all()) == results
            print(f"{'stored results of the decided round unchanged':<44} {same}")
        left = personal_cells(app, [NAME, EMAIL, PHONE])
        print(f"{'text cells still naming the founder':<44} {len(left)}")
        sys.exit(0 if same and not left else 1)


if __name__ == "__main__":
    main()
