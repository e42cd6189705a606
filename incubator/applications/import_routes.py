"""Director pages that import applications from a spreadsheet: upload, map and check, confirm.

Nothing is written until the confirmation: the upload is only kept as a file, and
checking the rows reads it again with the chosen columns.
"""

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import format_decimal
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import SubmitField
from wtforms.fields.choices import SelectChoice

from incubator.applications import importer, importing
from incubator.applications.importer import Table
from incubator.auth.access import roles_required
from incubator.auth.models import Role
from incubator.cohorts.models import Cohort
from incubator.core.errors import ServiceError
from incubator.core.forms import SelectField
from incubator.extensions import db

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
                importing.FIELD_LABELS[spec.key],
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
        for key, message in importing.mapping_errors(self.mapping(), self.width):
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
    """Choose the column of each field with a preview of the first rows; "Check the rows" lists
    every row's problems. Writes nothing."""
    cohort = db.get_or_404(Cohort, cohort_id)
    table = _table_or_404(token)
    form = MappingForm.for_table(table)
    checked = importing.check(cohort, table, form.mapping()) if form.validate_on_submit() else None
    return render_template(
        "imports/mapping.html",
        cohort=cohort,
        table=table,
        token=token,
        form=form,
        fields=importer.FIELDS,
        checked=checked,
        problem_message=importing.problem_message,
        column_letter=importer.column_letter,
        field_labels=importing.FIELD_LABELS,
    )


@bp.route("/cohorts/<int:cohort_id>/import/<token>/confirm", methods=["POST"])
@director_only
def confirm(cohort_id: int, token: str):
    """Import the valid rows with the checked columns (checked again here), in one transaction;
    then the kept file is deleted."""
    cohort = db.get_or_404(Cohort, cohort_id)
    table = _table_or_404(token)
    form = MappingForm.for_table(table)
    if not form.validate_on_submit():
        flash(_("The column choices could not be used. Check them and try again."), "error")
        return redirect(url_for("imports.mapping", cohort_id=cohort.id, token=token))
    try:
        with importing.claimed_upload(token):
            result = importing.import_applications(cohort, table, form.mapping(), current_user)
            db.session.commit()
    except FileNotFoundError:  # imported by another click in the meantime
        abort(404)
    except ServiceError as exc:
        db.session.rollback()
        flash(str(exc.message), "error")
        return redirect(url_for("imports.mapping", cohort_id=cohort.id, token=token))
    flash(
        _(
            "Import finished: %(imported)d imported, %(already)d already imported, %(invalid)d not imported "
            "because of problems. New applicants invited by e-mail: %(invited)d.",
            imported=result.imported,
            already=result.already_imported,
            invalid=result.invalid,
            invited=result.invited,
        ),
        "success",
    )
    return redirect(url_for("imports.upload", cohort_id=cohort.id))
