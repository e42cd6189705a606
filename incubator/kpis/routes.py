"""Pages of the kpis area: a startup's KPIs and monthly report, the cohort's KPI table,
custom metrics, exports and reminders (also `flask send-kpi-reminders`)."""

from datetime import date

import click
from flask import Blueprint, Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from flask_wtf import FlaskForm

from incubator.auth.access import login_required, roles_required
from incubator.auth.models import Role
from incubator.cohorts.models import Cohort, CohortStartup
from incubator.core.database import utcnow
from incubator.core.errors import ServiceError
from incubator.core.labels import stage_label
from incubator.extensions import db
from incubator.judging.decisions.services import mail_link
from incubator.kpis import display, exports, queries, services
from incubator.kpis.forms import MetricForm, report_form
from incubator.kpis.growth import last_month
from incubator.kpis.models import KpiMetric
from incubator.mentoring.access import can_follow

bp = Blueprint("kpis", __name__, cli_group=None)
director_only = roles_required(Role.DIRECTOR)


@bp.app_template_filter("kpi_month")
def _kpi_month(value: date | None, long: bool = True) -> str:
    return display.month_label(value, long)


@bp.app_template_filter("growth")
def _growth(value) -> str:
    return display.growth_label(value)


@bp.app_template_filter("kpi_number")
def _kpi_number(value) -> str:
    return display.number_label(value)


@bp.app_template_global()
def kpi_revenue_chart(reports):
    """The small revenue chart of the incubation page's KPI panel."""
    return display.revenue_chart(reports)


def _cohort_startup(cohort_startup_id: int) -> CohortStartup:
    """The startup in its cohort if this user may follow it; 404 otherwise, so ids leak nothing."""
    cohort_startup = db.session.get(CohortStartup, cohort_startup_id)
    if cohort_startup is None or not can_follow(current_user, cohort_startup):
        abort(404)
    return cohort_startup


def _metric(cohort: Cohort, metric_id: int) -> KpiMetric:
    metric = db.session.get(KpiMetric, metric_id)
    if metric is None or metric.cohort_id != cohort.id:
        abort(404)
    return metric


@bp.route("/cohort-startups/<int:cohort_startup_id>/kpis")
@login_required
def startup(cohort_startup_id: int):
    """A startup's KPIs: a table by month and a chart per figure (founder, its mentors, directors)."""
    cohort_startup = _cohort_startup(cohort_startup_id)
    reports = queries.startup_reports(cohort_startup)
    metrics = queries.cohort_metrics(cohort_startup.cohort_id)
    return render_template(
        "kpis/startup.html",
        cohort_startup=cohort_startup,
        reports=list(reversed(reports)),
        metrics=metrics,
        latest=queries.latest_of(cohort_startup, reports),
        charts=display.startup_charts(reports, metrics) if reports else [],
        may_report=cohort_startup.startup.is_founder(current_user)
        and cohort_startup.stage in services.REPORTING_STAGES,
        stage_label=stage_label,
    )


def _figures(form) -> services.Figures:
    return services.Figures(
        revenue=form.revenue.data,
        paying_customers=form.paying_customers.data,
        employees_full_time=form.employees_full_time.data,
        employees_part_time=form.employees_part_time.data,
        funding_raised=form.funding_raised.data,
        note=form.note.data or "",
        values=form.metric_values(),
    )


@bp.route("/cohort-startups/<int:cohort_startup_id>/kpis/report", methods=["GET", "POST"])
@roles_required(Role.APPLICANT)
def report(cohort_startup_id: int):
    """A founder reports a month (last month by default); a month already reported is replaced
    only after the founder saw the saved figures and pressed Replace."""
    cohort_startup = _cohort_startup(cohort_startup_id)
    if not cohort_startup.startup.is_founder(current_user):
        abort(404)
    metrics = queries.cohort_metrics(cohort_startup.cohort_id)
    form = report_form(metrics)
    if request.method == "GET":
        form.month.data = last_month(utcnow())
    existing = None
    if cohort_startup.stage not in services.REPORTING_STAGES:
        form.form_errors.append(_("KPIs are reported only in pre-incubation and incubation."))
    elif form.validate_on_submit():
        try:
            services.save_report(
                cohort_startup, form.month.data, _figures(form), current_user, replace=bool(form.replace.data)
            )
        except services.ReportExists as exc:
            db.session.rollback()
            existing = services.report_for(cohort_startup, exc.report.month)
        except ServiceError as exc:
            db.session.rollback()
            form.form_errors.append(str(exc.message))
        else:
            db.session.commit()
            flash(_("Your KPIs for %(month)s are saved.", month=display.month_label(form.month.data)), "success")
            return redirect(url_for("kpis.startup", cohort_startup_id=cohort_startup.id))
    return render_template(
        "kpis/report.html",
        cohort_startup=cohort_startup,
        form=form,
        metrics=metrics,
        existing=existing,
        stage_label=stage_label,
    )


@bp.route("/cohorts/<int:cohort_id>/kpis")
@director_only
def cohort(cohort_id: int):
    """The cohort's KPIs: each startup's latest month with month-on-month growth, and the total revenue chart."""
    cohort_ = db.get_or_404(Cohort, cohort_id)
    totals = queries.revenue_by_month(cohort_)
    return render_template(
        "kpis/cohort.html",
        cohort=cohort_,
        table=queries.cohort_table(cohort_),
        totals=totals,
        chart=display.cohort_revenue_chart(totals) if totals else None,
        due_month=last_month(utcnow()),
        late=services.late_startups(cohort_),
        remind_form=FlaskForm(),
        stage_label=stage_label,
    )


def _report_link(cohort_startup: CohortStartup) -> str:
    return mail_link("kpis.report", cohort_startup_id=cohort_startup.id)


@bp.route("/cohorts/<int:cohort_id>/kpis/reminders", methods=["POST"])
@director_only
def remind(cohort_id: int):
    """Queue a reminder to the founders who have not reported last month (once per startup and month)."""
    cohort_ = db.get_or_404(Cohort, cohort_id)
    if FlaskForm().validate_on_submit():
        sent = services.remind_late_reports(cohort_, current_user, link_for=_report_link)
        db.session.commit()
        flash(ngettext("%(num)d reminder is queued.", "%(num)d reminders are queued.", sent), "success")
    else:
        flash(_("The form could not be sent. Please try again."), "error")
    return redirect(url_for("kpis.cohort", cohort_id=cohort_.id))


@bp.route("/cohorts/<int:cohort_id>/kpis/metrics", methods=["GET", "POST"])
@director_only
def metrics(cohort_id: int):
    """The cohort's custom metrics, and a form to add one."""
    cohort_ = db.get_or_404(Cohort, cohort_id)
    form = MetricForm()
    if form.validate_on_submit():
        try:
            services.add_metric(cohort_, form.name.data, form.unit.data, current_user)
        except ServiceError as exc:
            db.session.rollback()
            form.name.errors.append(str(exc.message))
        else:
            db.session.commit()
            flash(_("The metric %(name)s is added.", name=form.name.data.strip()), "success")
            return redirect(url_for("kpis.metrics", cohort_id=cohort_.id))
    return render_template("kpis/metrics.html", cohort=cohort_, metrics=queries.cohort_metrics(cohort_.id), form=form)


@bp.route("/cohorts/<int:cohort_id>/kpis/metrics/<int:metric_id>/edit", methods=["GET", "POST"])
@director_only
def edit_metric(cohort_id: int, metric_id: int):
    """Rename a custom metric or change its unit."""
    cohort_ = db.get_or_404(Cohort, cohort_id)
    metric = _metric(cohort_, metric_id)
    form = MetricForm(obj=metric)
    if form.validate_on_submit():
        try:
            services.change_metric(metric, form.name.data, form.unit.data, current_user)
        except ServiceError as exc:
            db.session.rollback()
            form.name.errors.append(str(exc.message))
        else:
            db.session.commit()
            flash(_("The metric is saved."), "success")
            return redirect(url_for("kpis.metrics", cohort_id=cohort_.id))
    return render_template("kpis/metric_edit.html", cohort=cohort_, metric=metric, form=form)


@bp.route("/cohorts/<int:cohort_id>/kpis/metrics/<int:metric_id>/remove", methods=["POST"])
@director_only
def remove_metric(cohort_id: int, metric_id: int):
    """Remove a custom metric: first a page saying how many reported values go with it, then on confirmation."""
    cohort_ = db.get_or_404(Cohort, cohort_id)
    metric = _metric(cohort_, metric_id)
    form = FlaskForm()
    if not form.validate_on_submit():
        flash(_("The form could not be sent. Please try again."), "error")
        return redirect(url_for("kpis.metrics", cohort_id=cohort_.id))
    if request.form.get("confirm") != "1":
        return render_template(
            "kpis/metric_remove.html",
            cohort=cohort_,
            metric=metric,
            values=services.metric_value_count(metric),
            form=FlaskForm(formdata=None),
        )
    name = metric.name
    services.remove_metric(metric, current_user)
    db.session.commit()
    flash(_("The metric %(name)s is removed.", name=name), "success")
    return redirect(url_for("kpis.metrics", cohort_id=cohort_.id))


def _download(body: bytes, mimetype: str, filename: str) -> Response:
    return Response(body, mimetype=mimetype, headers={"Content-Disposition": f'attachment; filename="{filename}"'})


@bp.route("/cohorts/<int:cohort_id>/kpis.csv")
@director_only
def export_csv(cohort_id: int):
    """Every KPI report of the cohort, one row per report (CSV)."""
    cohort_ = db.get_or_404(Cohort, cohort_id)
    body = exports.csv_bytes(queries.cohort_reports(cohort_), queries.cohort_metrics(cohort_.id))
    return _download(body, "text/csv; charset=utf-8", f"cohort-{cohort_.id}-kpis.csv")


@bp.route("/cohorts/<int:cohort_id>/kpis.xlsx")
@director_only
def export_xlsx(cohort_id: int):
    """The same rows as the CSV, as a spreadsheet."""
    cohort_ = db.get_or_404(Cohort, cohort_id)
    body = exports.xlsx_bytes(queries.cohort_reports(cohort_), queries.cohort_metrics(cohort_.id))
    return _download(
        body, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", f"cohort-{cohort_.id}-kpis.xlsx"
    )


@bp.cli.command("send-kpi-reminders")
@click.option("--cohort", "cohort_id", type=int, help="Only this cohort (default: every cohort).")
def send_kpi_reminders_command(cohort_id: int | None):
    """E-mail founders who have not reported last month's KPIs (once per startup and month; for a scheduler)."""
    with current_app.test_request_context("/?lang=en", base_url=current_app.config["BASE_URL"]):
        cohort_ = None
        if cohort_id is not None:
            cohort_ = db.session.get(Cohort, cohort_id)
            if cohort_ is None:
                raise click.ClickException(f"No cohort with id {cohort_id}.")
        sent = services.remind_late_reports(cohort_, link_for=_report_link)
        db.session.commit()
        click.echo(f"{sent} KPI reminder(s) queued for {last_month(utcnow()).isoformat()[:7]}")
