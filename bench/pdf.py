"""Benchmark: scorecard PDFs at scale, on a fresh SQLite database made by the migrations.

    .venv/bin/python bench/pdf.py [--applications 300] [--judges 10] [--single 500] [--keep]

1. `flask seed-demo --applications N`: a closed round of N applications × 3 judges × 8 criteria.
2. `flask export-scorecards ROUND --html`: the HTML of every scorecard (not timed).
3. Times, in the same run, with the peak memory of each (the process and its children, sampled):
   - bare: one process renders that HTML with WeasyPrint (the app's own fetcher, so fonts load);
   - export: `flask export-scorecards ROUND --out file.pdf`, everything included (loading the
     ranking, building the HTML, rendering chunks in parallel processes, merging);
   and prints both and their ratio (target: export ≤ 0.8 × bare, peak memory under 1 GB).
4. One scorecard over HTTP (the test client), warm: the median of 5 (target: under 1 s).
5. `--single` scorecards rendered one after another in one process: how much its memory grows
   (target: under 100 MB for 500).
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PYTHON = sys.executable
FLASK = [PYTHON, "-m", "flask", "--app", "wsgi"]


def rss_kib(pid: int) -> int:
    """Resident memory of a process and all its descendants, in KiB (0 once it is gone)."""
    total = 0
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as children:
                for child in children.read().split():
                    total += rss_kib(int(child))
    except (FileNotFoundError, ProcessLookupError, PermissionError):
        pass
    return total


def timed(command: list[str], env: dict) -> tuple[float, int, str]:
    """Run a command; (seconds, peak KiB of its process tree, stdout)."""
    peak = 0
    started = time.perf_counter()
    process = subprocess.Popen(command, env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    stop = threading.Event()

    def sample():
        nonlocal peak
        while not stop.is_set():
            peak = max(peak, rss_kib(process.pid))
            stop.wait(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, err = process.communicate()
    seconds = time.perf_counter() - started
    stop.set()
    sampler.join()
    if process.returncode != 0:
        sys.exit(f"{' '.join(command)} failed:\n{err[-3000:]}")
    return seconds, peak, out


BARE = """
import sys
from incubator.reports.pdf import render_pdf
html = open(sys.argv[1], encoding="utf-8").read()
with open(sys.argv[2], "wb") as out:
    out.write(render_pdf(html))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--applications", type=int, default=300)
    parser.add_argument("--judges", type=int, default=10)
    parser.add_argument("--single", type=int, default=500, help="scorecards rendered one by one for the memory test")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder and print its path")
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="incubator-bench-pdf-"))
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{folder / 'bench.sqlite3'}",
        "UPLOAD_FOLDER": str(folder / "uploads"),
        "SECRET_KEY": "bench-only",
    }
    env.pop("REDIS_URL", None)
    subprocess.run([*FLASK, "db", "upgrade"], env=env, cwd=ROOT, check=True, capture_output=True)
    started = time.perf_counter()
    seeded = subprocess.run(
        [*FLASK, "seed-demo", "--applications", str(args.applications), "--judges", str(args.judges)],
        env=env,
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    seed_seconds = time.perf_counter() - started
    round_id = seeded.split("round_id=")[1].split()[0]
    html, pdf, bare_pdf = folder / "scorecards.html", folder / "scorecards.pdf", folder / "bare.pdf"
    subprocess.run(
        [*FLASK, "export-scorecards", round_id, "--out", str(html), "--html"],
        env=env,
        cwd=ROOT,
        check=True,
        capture_output=True,
    )

    bare_seconds, bare_peak, _ = timed([PYTHON, "-c", BARE, str(html), str(bare_pdf)], env)
    export_seconds, export_peak, _ = timed([*FLASK, "export-scorecards", round_id, "--out", str(pdf)], env)
    pages = int(
        subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout.split("Pages:")[1].split()[0]
    )
    bare_pages = int(
        subprocess.run(["pdfinfo", str(bare_pdf)], capture_output=True, text=True).stdout.split("Pages:")[1].split()[0]
    )

    single_seconds, growth, rendered = in_process(env, int(round_id), args.single)

    cores = len(os.sched_getaffinity(0))
    print(
        f"round: {args.applications} applications × 3 judges × 8 criteria (seeded in {seed_seconds:.1f} s); "
        f"{cores} cores"
    )
    print(
        f"bare WeasyPrint, one process:   {bare_seconds:7.1f} s  peak {bare_peak / 1024:6.0f} MiB  {bare_pages} pages"
    )
    print(f"export-scorecards (everything): {export_seconds:7.1f} s  peak {export_peak / 1024:6.0f} MiB  {pages} pages")
    print(f"ratio export / bare:            {export_seconds / bare_seconds:7.2f}  (target ≤ 0.80)")
    print(f"one scorecard over HTTP, warm:  {single_seconds:7.3f} s  (median of 5; target < 1 s)")
    print(f"{rendered} scorecards one by one:   memory grew {growth / 1024:5.1f} MiB  (target < 100 MiB)")
    if args.keep:
        print(f"kept: {folder}")
    else:
        import shutil

        shutil.rmtree(folder, ignore_errors=True)


def in_process(env: dict, round_id: int, count: int) -> tuple[float, int, int]:
    """(warm single-scorecard HTTP time, memory growth in KiB over `count` renders, count)."""
    os.environ.update({k: env[k] for k in ("DATABASE_URL", "UPLOAD_FOLDER", "SECRET_KEY")})
    import gc

    from incubator import create_app
    from incubator.auth import services as auth
    from incubator.auth.access import SESSION_KEY
    from incubator.auth.models import User
    from incubator.extensions import db
    from incubator.judging.models import Round
    from incubator.judging.ranking.compute import round_ranking
    from incubator.reports import scorecards
    from incubator.reports.render import scorecards_pdf

    app = create_app()
    client = app.test_client()
    with app.app_context():
        director = db.session.query(User).filter_by(email="director@example.org").one()
        key = auth.start_session(director)
        db.session.commit()
        director_id = director.id
        first = round_ranking(db.session.get(Round, round_id)).result.applications[0].application_id
    with client.session_transaction() as session:
        session[SESSION_KEY], session["_user_id"], session["_fresh"] = key, str(director_id), True
    url = f"/rounds/{round_id}/applications/{first}/scorecard.pdf"
    assert client.get(url).status_code == 200  # warm-up
    times = []
    for _ in range(5):
        started = time.perf_counter()
        assert client.get(url).status_code == 200
        times.append(time.perf_counter() - started)

    with app.test_request_context("/"):
        cards = scorecards.internal_scorecards(round_ranking(db.session.get(Round, round_id)))
        for card in cards[:20]:  # warm every cache (fonts, templates) before measuring
            scorecards_pdf([card])
        gc.collect()
        before = rss_kib(os.getpid())
        for index in range(count):
            scorecards_pdf([cards[index % len(cards)]])
        gc.collect()
        after = rss_kib(os.getpid())
    return statistics.median(times), after - before, count


if __name__ == "__main__":
    main()
