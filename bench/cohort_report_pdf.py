"""Benchmark: the cohort report PDF of the demo cohorts and of a large synthetic one, as a director
waits for it: the report's data read and the PDF rendered.

    .venv/bin/python bench/cohort_report_pdf.py [--applications 5000] [--judges 10] [--programme 0]
                                                [--renders 3] [--lang id] [--out DIR]

On a fresh temporary SQLite database made by the migrations, loads `flask seed-demo` and, with
`--applications N` (default 5,000; 0 for the demo only), the `seed-demo --applications N` cohort
(N submitted applications scored by 3 of `--judges` judges each, in one closed round); with
`--programme K`, K of them move on to pre-incubation with a mentor, a session and two action items
each (as bench/web.py does), so the report has K startup pages. Then, for each
cohort, makes the report `--renders` times in one process, each in a new request with an empty
session, and prints: its pages, the PDF's size, the first report's wall and CPU time (the bundled
fonts loaded) and the median of the others, how much of that is reading the data, and the bytes of
each embedded font program (WeasyPrint embeds only the glyphs used). Target: the N-application report
under 30 s wall clock; exit status 1 when it is missed. On a machine shared with other work, judge by
the CPU time: the wall clock follows the load.
"""

import argparse
import io
import shutil
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import harness

TARGET_SECONDS = 30.0


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


def fill(applications: int, judges: int, programme: int) -> int | None:
    """The demo programme, and the synthetic cohort when asked (`programme` of its startups mentored in
    pre-incubation); its id."""
    from web import mentor_some

    from incubator.demo import seed_demo
    from incubator.demo_scale import seed_scale

    seed_demo()
    if not applications:
        return None
    cohort_id = seed_scale(applications, judges)[0]
    mentor_some(cohort_id, programme)
    return cohort_id


@dataclass
class Render:
    pages: int
    size: int
    data_wall: float
    data_cpu: float
    wall: float  # data and PDF
    cpu: float
    pdf: bytes


def render(app, cohort_id: int, lang: str) -> Render:
    """One report as a request makes it: the data read, the PDF rendered."""
    from flask_babel import force_locale
    from pypdf import PdfReader

    from incubator.cohorts.models import Cohort
    from incubator.extensions import db
    from incubator.reports.cohort_pdf import cohort_report_pdf
    from incubator.reports.cohort_report import cohort_report

    with app.test_request_context("/"), force_locale(lang):
        try:
            wall, cpu = time.perf_counter(), time.process_time()
            report = cohort_report(db.session.get(Cohort, cohort_id))
            data_wall, data_cpu = time.perf_counter() - wall, time.process_time() - cpu
            pdf = cohort_report_pdf(report)
            wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        finally:
            db.session.remove()
    return Render(len(PdfReader(io.BytesIO(pdf)).pages), len(pdf), data_wall, data_cpu, wall, cpu, pdf)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--applications", type=int, default=5000, help="the synthetic cohort's; 0: the demo only")
    parser.add_argument("--judges", type=int, default=10, help="the pool; each application gets 3 of them")
    parser.add_argument("--programme", type=int, default=0, help="of them mentored in pre-incubation")
    parser.add_argument("--renders", type=int, default=3)
    parser.add_argument("--lang", default="id", choices=["id", "en"])
    parser.add_argument("--out", help="a folder to keep the PDFs in")
    args = parser.parse_args()
    if args.judges < 3:
        parser.error("--judges must be at least 3 (3 judges per application)")
    if args.renders < 1:
        parser.error("--renders must be at least 1")

    folder = Path(tempfile.mkdtemp(prefix="bench-cohort-report-"))
    database_url = f"sqlite:///{folder / 'bench.sqlite3'}"
    try:
        started = time.perf_counter()
        scale_id = harness.prepare(database_url, folder, lambda: fill(args.applications, args.judges, args.programme))
        built = time.perf_counter() - started
        app = harness.bench_app(database_url, folder)
        with app.app_context():
            from incubator.cohorts.models import Cohort
            from incubator.extensions import db

            cohorts = [(c.id, c.name) for c in db.session.query(Cohort).order_by(Cohort.id)]
        print(f"== cohort report PDF ({args.lang}), {args.renders} renders each; data built in {built:.1f} s")
        missed = False
        for cohort_id, name in cohorts:
            runs = [render(app, cohort_id, args.lang) for _ in range(args.renders)]
            first, rest = runs[0], runs[1:] or runs
            if args.out:
                Path(args.out).mkdir(parents=True, exist_ok=True)
                Path(args.out, f"cohort-{cohort_id}.pdf").write_bytes(first.pdf)
            print(
                f"{name}: {first.pages} pages, {first.size:,} bytes; first {first.wall:.2f} s wall / "
                f"{first.cpu:.2f} s CPU (data {first.data_wall:.2f} s), then median "
                f"{statistics.median(r.wall for r in rest):.2f} s wall / {statistics.median(r.cpu for r in rest):.2f} s"
                f" CPU (data {statistics.median(r.data_wall for r in rest):.2f} s); fonts {embedded_fonts(first.pdf)}"
            )
            if cohort_id == scale_id:
                slowest = max(r.wall for r in runs)
                missed = slowest >= TARGET_SECONDS
                print(
                    f"target: the {args.applications:,}-application report under {TARGET_SECONDS:.0f} s: "
                    f"{'NOT met' if missed else 'met'} (slowest {slowest:.2f} s wall)"
                )
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    sys.exit(1 if missed else 0)


if __name__ == "__main__":
    main()
