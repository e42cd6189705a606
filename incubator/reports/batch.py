"""Many scorecards at once: the HTML is made here (it needs the database and the templates), the
PDF is rendered in worker processes, chunk by chunk, and the chunks are merged in order.

WeasyPrint's layout is pure Python and single-threaded, so processes, not threads, use the cores.
Workers are spawned (not forked: the parent may hold database connections and threads) and only
ever receive HTML strings, so they never touch the database. Each scorecard numbers its own pages
(see scorecard.css), so the merged file reads as if rendered in one go.
"""

import io
import multiprocessing
import os
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor

from pypdf import PdfWriter

from incubator.reports.pdf import render_pdf

CARDS_PER_CHUNK = 8
# A worker is replaced after this many chunks, so one long export cannot grow a process for ever.
CHUNKS_PER_WORKER = 25


def default_workers() -> int:
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1)


def chunks(items: Sequence, size: int | None = None) -> list[Sequence]:
    size = size or CARDS_PER_CHUNK
    return [items[start : start + size] for start in range(0, len(items), size)]


def merge_pdfs(parts: Sequence[bytes]) -> bytes:
    """One PDF holding every part's pages, in order."""
    if len(parts) == 1:
        return parts[0]
    writer = PdfWriter()
    for part in parts:
        writer.append(io.BytesIO(part))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def render_documents(
    documents: Sequence[str], *, workers: int | None = None, progress: Callable[[int, int], None] | None = None
) -> bytes:
    """Render complete HTML documents (in order) and merge them into one PDF, using `workers` processes."""
    workers = min(workers or default_workers(), len(documents))
    total = len(documents)
    if workers <= 1:
        parts = []
        for done, html in enumerate(documents, start=1):
            parts.append(render_pdf(html))
            if progress:
                progress(done, total)
        return merge_pdfs(parts)
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context, max_tasks_per_child=CHUNKS_PER_WORKER) as pool:
        futures = [pool.submit(render_pdf, html) for html in documents]
        parts = []
        for done, future in enumerate(futures, start=1):
            parts.append(future.result())
            if progress:
                progress(done, total)
    return merge_pdfs(parts)
