"""Benchmark: the demo cohort reports' PDFs, their size and render time, and the fonts embedded.

    .venv/bin/python bench/cohort_report_pdf.py [--renders 6] [--out DIR]

On a fresh SQLite database made by the migrations and `flask seed-demo`, renders each cohort's
report (Indonesian) `--renders` times in one process and prints, per cohort: the PDF's size, the
CPU time of the first render (the bundled fonts loaded) and the median of the others (CPU time,
not wall time, so that other work on the machine does not count), and the bytes of each embedded
font program (WeasyPrint embeds only the glyphs used: a few KB per font).
"""

import argparse
import io
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def embedded_fonts(data: bytes) -> dict[str, int]:
    import pikepdf

    sizes = {}
    with pikepdf.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            for font in (page.Resources.get("/Font") or {}).values():
                descriptor = font.DescendantFonts[0].FontDescriptor
                program = descriptor.get("/FontFile2") or descriptor.get("/FontFile3")
                sizes[str(font.BaseFont).split("+", 1)[-1]] = len(program.read_raw_bytes())
    return sizes


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--renders", type=int, default=6)
    parser.add_argument("--out", help="a folder to keep the PDFs in")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="bench-cohort-report-"))
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{folder / 'bench.sqlite3'}", "UPLOAD_FOLDER": str(folder)}
    env.setdefault("SECRET_KEY", "bench")
    for command in (["db", "upgrade"], ["seed-demo"]):
        subprocess.run(
            [sys.executable, "-m", "flask", "--app", "wsgi", *command],
            env=env,
            cwd=ROOT,
            check=True,
            capture_output=True,
        )
    os.environ.update(env)

    from flask_babel import force_locale

    from incubator.cohorts.models import Cohort
    from incubator.extensions import db
    from incubator.reports.cohort_pdf import cohort_report_pdf
    from incubator.reports.cohort_report import cohort_report
    from wsgi import app

    with app.app_context(), app.test_request_context("/"), force_locale("id"):
        for cohort in db.session.query(Cohort).order_by(Cohort.id):
            report = cohort_report(cohort)
            times = []
            for _ in range(args.renders):
                started = time.process_time()
                data = cohort_report_pdf(report)
                times.append(time.process_time() - started)
            if args.out:
                Path(args.out, f"cohort-{cohort.id}.pdf").write_bytes(data)
            print(
                f"{cohort.name}: {len(data):,} bytes; first render {times[0]:.2f} s CPU, "
                f"then median {statistics.median(times[1:]):.2f} s CPU; fonts {embedded_fonts(data)}"
            )


if __name__ == "__main__":
    main()
