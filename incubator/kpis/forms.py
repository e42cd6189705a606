"""Forms of the kpis area: the monthly report (built with the cohort's custom metrics) and a metric."""

from decimal import Decimal

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField, SubmitField, TextAreaField
from wtforms.fields import MonthField
from wtforms.validators import Optional, StopValidation, ValidationError

from incubator.core.date_fields import check_year
from incubator.core.forms import max_length, required
from incubator.core.number_fields import NumberField, RupiahField, WholeNumberField
from incubator.core.numbers import LARGEST_RUPIAH

LARGEST_COUNT = 10**9
LARGEST_VALUE = Decimal("9999999999999999.99")  # Numeric(18, 2)


class ReportMonthField(MonthField):
    """A month typed as YYYY-MM (what <input type="month"> sends), with a translated message."""

    def process_formdata(self, valuelist):
        if not valuelist or not valuelist[0].strip():
            self.data = None
            return
        try:
            super().process_formdata([valuelist[0].strip()])
        except ValueError:
            self.data = None
            raise ValueError(_l("Enter a month as year-month, e.g. 2026-09.")) from None
        try:
            check_year(self.data)
        except ValueError:
            self.data = None
            raise


def needed():
    """0 is a value here (DataRequired would refuse it); an empty box is not."""

    def check(form, field):
        if field.data is None and not field.errors:
            raise StopValidation(_l("Enter a number (0 if none)."))

    return check


def month_needed():
    def check(form, field):
        if field.data is None and not field.errors:
            raise StopValidation(_l("Choose the month you report."))

    return check


def at_least_zero(largest):
    def check(form, field):
        if field.data is None:
            return
        if field.data < 0:
            raise ValidationError(_l("This cannot be negative."))
        if field.data > largest:
            raise ValidationError(_l("This number is too large."))

    return check


def two_decimals():
    def check(form, field):
        if field.data is not None and field.data != field.data.quantize(Decimal("0.01")):
            raise ValidationError(_l("Use at most 2 decimals."))

    return check


class ReportForm(FlaskForm):
    month = ReportMonthField(_l("Month"), validators=[month_needed()], format="%Y-%m")
    revenue = RupiahField(
        _l("Revenue (Rupiah)"),
        description=_l("Everything the startup sold in the month, in whole Rupiah."),
        validators=[needed(), at_least_zero(LARGEST_RUPIAH)],
    )
    paying_customers = WholeNumberField(_l("Paying customers"), validators=[needed(), at_least_zero(LARGEST_COUNT)])
    employees_full_time = WholeNumberField(
        _l("Full-time employees"), validators=[needed(), at_least_zero(LARGEST_COUNT)]
    )
    employees_part_time = WholeNumberField(
        _l("Part-time employees"), validators=[needed(), at_least_zero(LARGEST_COUNT)]
    )
    funding_raised = RupiahField(
        _l("Funding raised (Rupiah)"),
        description=_l("Investment, grants or loans received in the month; 0 if none."),
        validators=[needed(), at_least_zero(LARGEST_RUPIAH)],
    )
    note = TextAreaField(_l("Note"), validators=[Optional(), max_length(2000)])
    submit = SubmitField(_l("Submit the report"))
    replace = SubmitField(_l("Replace"))

    def metric_fields(self):
        """The custom metric fields, in the cohort's order."""
        return [self[name] for name in self._metric_names]

    def metric_values(self) -> dict[int, Decimal]:
        """{metric id: value} for the custom metrics filled in (an empty box is not reported)."""
        return {
            int(name.removeprefix("metric_")): self[name].data
            for name in self._metric_names
            if self[name].data is not None
        }


def report_form(metrics, report=None, **kwargs) -> ReportForm:
    """The report form with one optional number field per custom metric of the cohort, filled
    from `report` when given."""

    class Form(ReportForm):
        pass

    names = []
    for metric in metrics:
        name = f"metric_{metric.id}"
        label = f"{metric.name} ({metric.unit})" if metric.unit else metric.name
        setattr(
            Form,
            name,
            NumberField(label, places=None, validators=[Optional(), at_least_zero(LARGEST_VALUE), two_decimals()]),
        )
        names.append(name)
    Form._metric_names = names
    form = Form(**kwargs)
    if report is not None and not form.is_submitted():
        for field in ("revenue", "paying_customers", "employees_full_time", "employees_part_time", "funding_raised"):
            form[field].data = getattr(report, field)
        form.note.data = report.note
        for value in report.values:
            if f"metric_{value.metric_id}" in names:
                form[f"metric_{value.metric_id}"].data = value.value
    return form


class MetricForm(FlaskForm):
    name = StringField(_l("Name"), validators=[required(), max_length(120)])
    unit = StringField(
        _l("Unit"), description=_l("For example: unit, orders, followers."), validators=[Optional(), max_length(30)]
    )
    submit = SubmitField(_l("Save"))
