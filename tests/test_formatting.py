"""The hand-written fast paths write exactly what the libraries they stand in for write:
dates, Rupiah and messages (core.i18n), select fields (core.forms) and row addresses (core.urls)."""

from datetime import UTC, date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

import pytest
from flask import render_template_string
from flask_babel import (
    force_locale,
    format_date,
    format_datetime,
    format_decimal,
    get_domain,
    gettext,
    lazy_gettext,
    refresh,
)
from flask_wtf import FlaskForm
from markupsafe import Markup
from werkzeug.datastructures import MultiDict
from wtforms import widgets
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length

from incubator.core import i18n
from incubator.core.forms import Select, SelectField, StringField, TextInput

# Moments across years, months, both sides of midnight in WIB, and a naive (UTC) one.
MOMENTS = [
    datetime(2026, 1, 1, 0, 0, tzinfo=UTC),
    datetime(2026, 2, 28, 16, 59, tzinfo=UTC),
    datetime(2026, 2, 28, 17, 0, tzinfo=UTC),
    datetime(2026, 5, 9, 9, 5, tzinfo=UTC),
    datetime(2026, 8, 17, 3, 45, tzinfo=UTC),
    datetime(2026, 11, 23, 11, 4, tzinfo=UTC),
    datetime(1999, 12, 31, 23, 59, tzinfo=UTC),
    datetime(2030, 6, 1, 12, 30),
]
AMOUNTS = [0, 7, 999, 1000, 1_500_000, -2500, Decimal("150000000.4"), Decimal("0.5"), 2.5, 10**12 + 1]


@pytest.mark.parametrize("lang", ["id", "en"])
def test_dates_are_written_as_babel_writes_them(app, lang):
    with app.test_request_context(f"/?lang={lang}"):
        for moment in MOMENTS + [m + timedelta(days=d) for m in MOMENTS[:2] for d in range(0, 365, 29)]:
            for fmt, pattern in i18n.WIB_PATTERNS.items():
                assert i18n.format_wib(moment, fmt) == f"{format_datetime(moment, pattern)} WIB"
            assert i18n.format_day(moment) == format_datetime(moment, "d MMMM yyyy")
            assert i18n.format_day(moment.date()) == format_date(moment.date(), "d MMMM yyyy")


@pytest.mark.parametrize("lang", ["id", "en"])
def test_rupiah_are_written_as_babel_writes_them(app, lang):
    with app.test_request_context(f"/?lang={lang}"):
        for amount in AMOUNTS:
            whole = Decimal(str(amount)).quantize(Decimal("1"), rounding=ROUND_HALF_UP)
            sign = "-" if whole < 0 else ""
            assert i18n.format_rupiah(amount) == f"{sign}Rp {format_decimal(abs(whole), format='#,##0')}"


def test_known_dates_in_each_language(app):
    moment = datetime(2026, 8, 17, 3, 45, tzinfo=UTC)  # 10.45 in Jakarta
    with app.test_request_context("/?lang=id"):
        assert i18n.format_wib(moment, "long") == "17 Agustus 2026 10.45 WIB"
        assert i18n.format_day(date(2026, 5, 9)) == "9 Mei 2026"
    with app.test_request_context("/?lang=en"):
        assert i18n.format_wib(moment) == "17 Aug 2026 10.45 WIB"


def test_kept_translations_follow_every_change_of_language(app):
    page = "{{ _('Ranking') }} {{ ngettext('%(num)d application', '%(num)d applications', 2) }}"
    with app.test_request_context("/?lang=id"):
        assert render_template_string(page) == "Peringkat 2 pendaftaran"
        with force_locale("en"):
            assert i18n.current_language() == "en"
            assert render_template_string(page) == "Ranking 2 applications"
            assert gettext("Ranking") == "Ranking"
            assert str(lazy_gettext("Ranking")) == "Ranking"
        assert render_template_string(page) == "Peringkat 2 pendaftaran"
        refresh()
        assert i18n.current_language() == "id"
        assert gettext("Ranking") == "Peringkat"
        assert str(lazy_gettext("Ranking")) == "Peringkat"
        assert isinstance(get_domain(), i18n.KeptDomain)  # Python code's messages read the kept ones too


def test_template_messages_escape_their_values_and_not_their_text(app):
    with app.test_request_context("/?lang=en"):
        html = render_template_string("{{ _('Ranking: %(round)s', round=name) }}", name="<b>Pitch</b>")
        assert html == "Ranking: &lt;b&gt;Pitch&lt;/b&gt;"
        assert render_template_string("{{ _('100%% sure') }}") == "100% sure"  # formatted, as Jinja's newstyle


def test_template_messages_format_as_markup_would(app):
    """Values go in escaped, numbers as numbers: exactly what `Markup(text) % values` gives."""
    values = {"name": "<b>A&B</b>", "safe": Markup("<i>ok</i>"), "num": 3, "share": 2.5, "money": Decimal("1500000")}
    text = "%(name)s %(safe)s %(num)d %(num)s %(share).1f %(money)s %(money)d 100%%"
    with app.test_request_context("/?lang=en"):
        html = render_template_string("{{ _(text, **values) }}", text=text, values=values)
        assert html == Markup(text) % values  # noqa: S704 - the reference: a constant text
        assert html == "&lt;b&gt;A&amp;B&lt;/b&gt; <i>ok</i> 3 3 2.5 1500000 1500000 100%"
        plural = render_template_string("{{ ngettext('%(num)d judge', '%(num)d judges', 2) }}")
        assert plural == "2 judges"


ARROW = [SelectChoice("a", "A"), SelectChoice("b", "B")]
STYLED = [SelectChoice("s", "S", render_kw={"disabled": True}), SelectChoice("t", "T")]
GROUPED = [SelectChoice("smg", "Semarang", optgroup="Java"), SelectChoice("dps", "Denpasar", optgroup="Bali")]


class _Form(FlaskForm):
    class Meta:
        csrf = False

    plain = SelectField(
        "Plain",
        choices=[
            SelectChoice("x", "X & <y>"),
            SelectChoice("", "None"),
            SelectChoice(1, 'q"uote'),
            SelectChoice(True, "Yes"),
        ],
    )
    required = SelectField("Required", choices=ARROW, validators=[DataRequired()])
    numbers = SelectField("Numbers", choices=[SelectChoice(1, "one"), SelectChoice(2, "two")], coerce=int)
    styled = SelectField("Styled", choices=STYLED)
    grouped = SelectField("Grouped", choices=GROUPED)


def test_select_fields_render_what_wtforms_renders(app):
    with app.test_request_context("/"):
        form = _Form(formdata=MultiDict({"plain": "x", "required": "b", "numbers": "2", "grouped": "dps"}))
        for field in form:
            assert isinstance(field.widget, Select)
            ours = [field(), field(class_="wide", data_role="pick", aria_label="Pick")]
            field.widget = widgets.Select()
            assert ours == [field(), field(class_="wide", data_role="pick", aria_label="Pick")]
            assert all(isinstance(html, Markup) for html in ours)
        assert '<option selected value="x">X &amp; &lt;y&gt;</option>' in str(form.plain())
        assert 'name="required" required>' in str(form.required())


class _TextForm(FlaskForm):
    class Meta:
        csrf = False

    plain = StringField("Plain")
    limited = StringField("Limited", validators=[DataRequired(), Length(min=2, max=100)])
    quoted = StringField("Quoted", default='say "hi" & <go>')


def test_text_inputs_render_what_wtforms_renders(app):
    with app.test_request_context("/"):
        form = _TextForm(formdata=MultiDict({"plain": "Kopi <Merapi>", "limited": "ab"}))
        assert str(form.limited()) == (
            '<input id="limited" maxlength="100" minlength="2" name="limited" required type="text" value="ab">'
        )
        assert 'value="Kopi &lt;Merapi&gt;"' in str(form.plain())
        for field in form:
            assert isinstance(field.widget, TextInput)
            ours = [field(), field(type="search", class_="wide", data_role="find", aria_label="Find", maxlength=5)]
            field.widget = widgets.TextInput()
            assert ours == [
                field(),
                field(type="search", class_="wide", data_role="find", aria_label="Find", maxlength=5),
            ]
            assert all(isinstance(html, Markup) for html in ours)


def test_row_urls_are_what_url_for_gives(app):
    from flask import url_for

    from incubator.core.urls import row_url

    with app.test_request_context("/"):
        explain = row_url("ranking.explain", "application_id", round_id=7)
        for application_id in (1, 42, 10**6, 7):
            assert explain(application_id) == url_for("ranking.explain", round_id=7, application_id=application_id)
        view = row_url("applications.view", "application_id", lang="en")
        assert view(3) == url_for("applications.view", application_id=3, lang="en") == "/applications/3?lang=en"
        assert row_url("main.home", "page")(2) == url_for("main.home", page=2) == "/?page=2"
