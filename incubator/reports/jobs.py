"""Report exports as background jobs (see incubator.jobs): the kinds and the functions that make them."""

from flask import current_app
from flask_babel import lazy_gettext as _l

from incubator.cohorts.models import Cohort
from incubator.core.downloads import round_file_name, slug
from incubator.core.errors import ServiceError
from incubator.extensions import db
from incubator.jobs.registry import register
from incubator.judging.models import Round
from incubator.judging.ranking.compute import round_ranking
from incubator.reports import batch, scorecards
from incubator.reports.cohort_pdf import cohort_report_pdf
from incubator.reports.cohort_report import cohort_report
from incubator.reports.render import scorecards_pdf

PDF_TYPE = "application/pdf"
PAGES_PER_SCORECARD = 2  # what a scorecard with comments usually takes; only decides background or not


def report_workers() -> int:
    return current_app.config.get("REPORT_WORKERS") or batch.default_workers()


def round_scorecards(round_: Round, *, named: bool = True, progress=None) -> tuple[bytes, int]:
    """Every internal scorecard of the round, in rank order, as one PDF; (data, number of cards)."""
    cards = scorecards.internal_scorecards(round_ranking(round_), named=named)
    if not cards:
        raise ServiceError(_l("This round has no applications to report on."))
    return scorecards_pdf(cards, workers=report_workers(), progress=progress), len(cards)


@register("scorecards", label=_l("Scorecards of a round"))
def scorecards_job(job, progress):
    round_ = db.session.get(Round, job.params["round_id"])
    if round_ is None:
        raise ServiceError(_l("This round no longer exists."))
    data, _count = round_scorecards(round_, named=job.params.get("named", True), progress=progress)
    return data, round_file_name(round_, "scorecards", "pdf"), PDF_TYPE


def cohort_report_file_name(cohort: Cohort) -> str:
    """cohort-3-hetero-for-startup-solo-2026-report.pdf"""
    return f"cohort-{cohort.id}-{slug(cohort.name, 'cohort')}-report.pdf"


@register("cohort_report", label=_l("Cohort report"))
def cohort_report_job(job, progress):
    """The cohort report of job.params["cohort_id"], in the job's language."""
    cohort = db.session.get(Cohort, job.params["cohort_id"])
    if cohort is None:
        raise ServiceError(_l("This cohort no longer exists."))
    progress(0, 1)
    data = cohort_report_pdf(cohort_report(cohort))
    progress(1, 1)
    return data, cohort_report_file_name(cohort), PDF_TYPE
