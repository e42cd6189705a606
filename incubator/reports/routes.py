"""Scorecard PDFs over HTTP: the director's (internal or founder version) and the founders' own."""

import click
from flask import Blueprint, abort, current_app, flash, redirect, request, url_for
from flask_babel import force_locale
from flask_login import current_user

from incubator.applications.models import Application
from incubator.auth.access import login_required, roles_required
from incubator.auth.models import Role
from incubator.cohorts.models import Cohort
from incubator.core.downloads import download, round_file_name, slug
from incubator.core.errors import ServiceError
from incubator.extensions import db
from incubator.jobs.routes import start_and_answer
from incubator.judging.models import Round
from incubator.judging.permissions import director_only, released_feedback_or_404
from incubator.judging.ranking.compute import round_ranking
from incubator.reports import jobs as report_jobs  # registers the report job kinds
from incubator.reports import scorecards
from incubator.reports.cohort_pdf import cohort_report_html, cohort_report_pdf
from incubator.reports.cohort_report import cohort_report as build_cohort_report
from incubator.reports.cohort_report import estimated_pages
from incubator.reports.render import scorecards_html, scorecards_pdf

bp = Blueprint("reports", __name__, cli_group=None)

PDF_TYPE = "application/pdf"


def _file_name(round_: Round, application: Application, version: str) -> str:
    startup = slug(application.startup.name, "startup")
    suffix = "-feedback" if version == "founder" else ""
    return f"scorecard-round-{round_.id}-{application.id}-{startup}{suffix}.pdf"


def _card(round_: Round, application_id: int, version: str, named: bool) -> scorecards.Scorecard:
    ranking = round_ranking(round_)
    application = ranking.application(application_id)
    if application is None:
        abort(404)
    if version == "founder":
        card = scorecards.founder_scorecard(ranking, application)
        if card is None:
            abort(404)
        return card
    return scorecards.internal_scorecards(ranking, [application_id], named=named)[0]


@bp.route("/rounds/<int:round_id>/applications/<int:application_id>/scorecard.pdf")
@director_only
def scorecard(round_id: int, application_id: int):
    """The scorecard PDF in the viewer's language: `?version=founder` for what founders get (404 until
    the feedback is released), otherwise the internal one, judges named unless `?judges=letters`."""
    round_ = db.get_or_404(Round, round_id)
    version = "founder" if request.args.get("version") == "founder" else "internal"
    card = _card(round_, application_id, version, named=request.args.get("judges") != "letters")
    return download(scorecards_pdf([card]), PDF_TYPE, _file_name(round_, card.application, version))


@bp.route("/rounds/<int:round_id>/scorecards.pdf")
@director_only
def round_scorecards(round_id: int):
    """Every internal scorecard of the round in one PDF: made while you wait when it is short, otherwise
    by a background job: 202 with the job's page, which links to the file when it is ready. The
    same request with the same data finds the same job."""
    round_ = db.get_or_404(Round, round_id)
    named = request.args.get("judges") != "letters"
    count = len(round_ranking(round_).application_ids)
    if count * report_jobs.PAGES_PER_SCORECARD > current_app.config["EXPORT_BACKGROUND_PAGES"]:
        return start_and_answer("scorecards", {"round_id": round_.id, "named": named})
    try:
        data, _count = report_jobs.round_scorecards(round_, named=named)
    except ServiceError as exc:
        flash(str(exc.message), "error")
        return redirect(url_for("judging.round_detail", round_id=round_.id))
    return download(data, PDF_TYPE, round_file_name(round_, "scorecards", "pdf"))


@bp.route("/applications/<int:application_id>/feedback/<int:round_id>/scorecard.pdf")
@login_required
def founder_scorecard(application_id: int, round_id: int):
    """The founders' scorecard PDF: only what the director released, judges as Judge A, B, ..."""
    application, round_ = released_feedback_or_404(current_user, application_id, round_id)
    card = _card(round_, application_id, "founder", named=False)
    return download(scorecards_pdf([card]), PDF_TYPE, _file_name(round_, application, "founder"))


@bp.cli.command("export-scorecards")
@click.argument("round_id", type=int)
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False, writable=True), help="Where to write.")
@click.option("--html", "as_html", is_flag=True, help="Write the HTML that would be rendered (CSS inlined).")
@click.option("--lang", default="id", type=click.Choice(["id", "en"]), show_default=True)
@click.option("--judges", default="named", type=click.Choice(["named", "letters"]), show_default=True)
@click.option("--workers", type=int, default=None, help="Rendering processes (default: one per CPU core).")
def export_scorecards(round_id: int, out: str, as_html: bool, lang: str, judges: str, workers: int | None) -> None:
    """All internal scorecards of a round, in rank order, in one PDF."""
    from flask import current_app

    round_ = db.session.get(Round, round_id)
    if round_ is None:
        raise click.ClickException(f"No round with id {round_id} (see `flask list-rounds`).")
    with current_app.test_request_context("/"), force_locale(lang):
        cards = scorecards.internal_scorecards(round_ranking(round_), named=judges == "named")
        if not cards:
            raise click.ClickException(f"Round {round_id} has no applications to report on.")
        if as_html:
            with open(out, "w", encoding="utf-8") as handle:
                handle.write(scorecards_html(cards))
        else:
            data = scorecards_pdf(cards, workers=workers or report_jobs.report_workers())
            with open(out, "wb") as handle:
                handle.write(data)
    click.echo(f"{len(cards)} scorecards written to {out}")


# --- the cohort report ------------------------------------------------------------------


@bp.route("/cohorts/<int:cohort_id>/report.pdf")
@roles_required(Role.DIRECTOR)
def cohort_report(cohort_id: int):
    """The cohort report PDF in the viewer's language: made while you wait when it is short,
    otherwise by a background job: 202 with the job's page, which links to the file when ready.
    The same request with the same data finds the same job."""
    cohort = db.get_or_404(Cohort, cohort_id)
    if estimated_pages(cohort) > current_app.config["EXPORT_BACKGROUND_PAGES"]:
        return start_and_answer("cohort_report", {"cohort_id": cohort.id})
    data = cohort_report_pdf(build_cohort_report(cohort))
    return download(data, PDF_TYPE, report_jobs.cohort_report_file_name(cohort))


@bp.cli.command("export-cohort-report")
@click.argument("cohort_id", type=int)
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False, writable=True), help="Where to write.")
@click.option("--html", "as_html", is_flag=True, help="Write the HTML that would be rendered (CSS inlined).")
@click.option("--lang", default="id", type=click.Choice(["id", "en"]), show_default=True)
def export_cohort_report(cohort_id: int, out: str, as_html: bool, lang: str) -> None:
    """The cohort report: cover, funnel, distributions, rankings, judges, mentoring, attendance,
    KPIs, then one page per startup in the programme."""
    cohort = db.session.get(Cohort, cohort_id)
    if cohort is None:
        raise click.ClickException(f"No cohort with id {cohort_id}.")
    with current_app.test_request_context("/"), force_locale(lang):
        report = build_cohort_report(cohort)
        if as_html:
            with open(out, "w", encoding="utf-8") as handle:
                handle.write(cohort_report_html(report))
        else:
            with open(out, "wb") as handle:
                handle.write(cohort_report_pdf(report))
    click.echo(f"Cohort report ({len(report.rounds)} rounds, {len(report.startups)} startups) written to {out}")
