"""Director pages that import applications from a spreadsheet: upload, map and check, confirm.

Nothing is written until the confirmation: the upload is only kept as a file, and checking
the rows reads it again with the chosen columns. The check and the import run as background
jobs (applications.import_jobs): both pages redirect to the job's page, and asking again for
the same check or import finds the same job.
"""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import format_decimal
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import SubmitField
from wtforms.fields.choices import SelectChoice

from incubator.applications import import_jobs, import_messages, importer, importing
from incubator.applications.importer import Table
from incubator.auth.access import roles_required
from incubator.auth.models import Role
from incubator.cohorts.models import Cohort
from incubator.core.errors import ServiceError
from incubator.core.forms import SelectField
from incubator.extensions import db
from incubator.jobs import services as job_services
from incubator.jobs.routes import start_and_show, to_job

bp = Blueprint("imports", __name__)
director_only = roles_required(Role.DIRECTOR)


# --- forms ----------------------------------------------------------------------------------------


class UploadForm(FlaskForm):
    file = FileField(
        _l("CSV file"),
        validators=[
            FileRequired(message=_l("Choose a CSV file.")),
            FileAllowed(["csv"], message=_l("Choose a CSV file (its name ends in .csv).")),
        ],
        render_kw={"accept": ".csv,text/csv"},
    )
    submit = SubmitField(_l("Upload and preview"))


class MappingForm(FlaskForm):
    """One select per importable field, listing the file's columns; built for each file."""

    submit = SubmitField(_l("Check the rows"))

    @classmethod
    def for_table(cls, table: Table, **kwargs) -> "MappingForm":
        guess = importer.guess_mapping(table.headers)
        unnamed = _("(no name)")  # outside the f-string, where pybabel finds it
        choices = [SelectChoice("", _l("Not in the file"))] + [
            SelectChoice(str(i), f"{importer.column_letter(i)} · {header or unnamed}")
            for i, header in enumerate(table.headers)
        ]

        class Form(cls):
            pass

        for spec in importer.FIELDS:
            column = guess[spec.key]
            select = SelectField(
                import_messages.FIELD_LABELS[spec.key],
                choices=choices,
                default="" if column is None else str(column),
                # Checked in validate() with our own messages: WTForms' "Not a valid choice" is not translated.
                validate_choice=False,
                description=_l("Required.") if spec.required else None,
            )
            setattr(Form, spec.key, select)
        form = Form(**kwargs)
        form.width = len(table.headers)
        return form

    def mapping(self) -> dict[str, int | None]:
        values = {}
        for key in importer.FIELD_KEYS:
            raw = self[key].data or ""
            values[key] = int(raw) if raw.isdigit() else (None if raw == "" else -1)
        return values

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        for key, message in import_messages.mapping_errors(self.mapping(), self.width):
            self[key].errors.append(message)
            ok = False
        return ok


# --- pages ----------------------------------------------------------------------------------------


def _table_or_404(token: str) -> Table:
    try:
        return importing.load_table(token)
    except FileNotFoundError:
        abort(404)


def _limits() -> dict:
    return {"mb": importer.MAX_BYTES // (1024 * 1024), "rows": format_decimal(importer.MAX_ROWS)}


@bp.route("/cohorts/<int:cohort_id>/import", methods=["GET", "POST"])
@director_only
def upload(cohort_id: int):
    """Upload a CSV export of an application form; a usable file leads to the column mapping."""
    cohort = db.get_or_404(Cohort, cohort_id)
    form = UploadForm()
    if form.validate_on_submit():
        try:
            token = importing.keep_upload(form.file.data.stream)
        except ServiceError as exc:
            form.file.errors.append(str(exc.message))
        else:
            return redirect(url_for("imports.mapping", cohort_id=cohort.id, token=token))
    return render_template("imports/upload.html", cohort=cohort, form=form, limits=_limits())


@bp.route("/cohorts/<int:cohort_id>/import/<token>", methods=["GET", "POST"])
@director_only
def mapping(cohort_id: int, token: str):
    """Choose the column of each field with a preview of the first rows (a query string may choose
    them, as the check's "Change the column choices" does); "Check the rows" starts a check job and
    leads to its page, which lists every row's problems. Writes nothing."""
    cohort = db.get_or_404(Cohort, cohort_id)
    table = _table_or_404(token)
    chosen = request.method == "GET" and any(key in request.args for key in importer.FIELD_KEYS)
    form = MappingForm.for_table(table, **({"formdata": request.args} if chosen else {}))
    if form.validate_on_submit():
        return start_and_show(import_jobs.CHECK, import_jobs.job_params(cohort, token, form.mapping()))
    return render_template(
        "imports/mapping.html",
        cohort=cohort,
        table=table,
        token=token,
        form=form,
        fields=importer.FIELDS,
        column_letter=importer.column_letter,
    )


@bp.route("/cohorts/<int:cohort_id>/import/<token>/confirm", methods=["POST"])
@director_only
def confirm(cohort_id: int, token: str):
    """Import the valid rows with the checked columns (checked again by the job): starts the import
    job, or finds the one this file and these columns already started, and leads to its page."""
    cohort = db.get_or_404(Cohort, cohort_id)
    try:
        table = importing.load_table(token)
    except FileNotFoundError:
        # Imported already (the kept file goes once all is in): a second click finds that import.
        return _earlier_import(cohort, token)
    form = MappingForm.for_table(table)
    if not form.validate_on_submit():
        flash(_("The column choices could not be used. Check them and try again."), "error")
        return redirect(url_for("imports.mapping", cohort_id=cohort.id, token=token))
    return start_and_show(import_jobs.IMPORT, import_jobs.job_params(cohort, token, form.mapping()), same_data=False)


def _earlier_import(cohort: Cohort, token: str):
    if not importing.TOKEN_RE.fullmatch(token):
        abort(404)
    posted = {}
    for key in importer.FIELD_KEYS:
        raw = request.form.get(key, "")
        posted[key] = int(raw) if raw.isdigit() and len(raw) < 6 else None
    job = job_services.find_once(import_jobs.IMPORT, import_jobs.job_params(cohort, token, posted), same_data=False)
    if job is None:
        abort(404)
    return to_job(job)
