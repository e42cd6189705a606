"""Validators with our own translated messages (WTForms ships no Indonesian catalogue), WTForms'
built-in messages in the page's language, the select field every form uses, and the CSRF token of
forms in kept HTML."""

import wtforms
from flask import Flask, flash
from flask_babel import gettext, ngettext
from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape
from wtforms import widgets
from wtforms.meta import DefaultMeta
from wtforms.validators import DataRequired, Email, EqualTo, Length
from wtforms.widgets.core import clean_key

from incubator.core.i18n import translations

# WTForms' own messages, for a field whose form gives none of its own (a choice not offered, a
# value its `coerce` cannot read). Marked here so that `make messages` puts them in our catalogues:
# the fuzz suite found them shown in English on Indonesian pages.
BUILTIN_MESSAGES = (
    _l("Not a valid choice."),
    _l("Invalid Choice: could not coerce."),
    _l("Invalid Choice(s): one or more data inputs could not be coerced."),
    _l("Not a valid integer value."),
    _l("Not a valid decimal value."),
    _l("Not a valid float value."),
    _l("Not a valid date value."),
    _l("Not a valid datetime value."),
    _l("Not a valid time value."),
    _l("Not a valid week value."),
    _l("This field is required."),
    _l("Invalid input."),
    _l("Invalid email address."),
    _l("Invalid URL."),
    _l("Number must be between %(min)s and %(max)s."),
    _l("Number must be at least %(min)s."),
    _l("Number must be at most %(max)s."),
    _l("Date must be between %(min)s and %(max)s."),
    _l("Date must be at least %(min)s."),
    _l("Date must be at most %(max)s."),
)


def _plural_builtin_messages(n: int) -> None:  # pragma: no cover - never called: marks them for `make messages`
    ngettext(
        "'%(value)s' is not a valid choice for this field.", "'%(value)s' are not valid choices for this field.", n
    )
    ngettext("Field must be at least %(min)d character long.", "Field must be at least %(min)d characters long.", n)
    ngettext("Field cannot be longer than %(max)d character.", "Field cannot be longer than %(max)d characters.", n)


class _BuiltinMessages:
    """WTForms' translations object: its messages from our catalogue, in the request's language."""

    def gettext(self, string: str) -> str:
        return translations().ugettext(string)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return translations().ungettext(singular, plural, n)


_BUILTIN = _BuiltinMessages()


def init_app(app: Flask) -> None:
    """Every form (Flask-WTF's and plain WTForms' sub-forms alike) asks WTForms' DefaultMeta for
    its translations once Flask-WTF's own, which only reads WTForms' bundled catalogues, is off."""
    app.config["WTF_I18N_ENABLED"] = False
    DefaultMeta.get_translations = lambda meta, form: _BUILTIN


def attributes(**values) -> str:
    """HTML attributes as `wtforms.widgets.html_params` writes them (sorted; True alone, False
    left out; values escaped), with plain string formatting: forms render many of them."""
    parts = []
    for key, value in sorted(values.items()):
        if value is True:
            parts.append(clean_key(key))
        elif value is not False:
            parts.append(f'{clean_key(key)}="{escape(value)}"')
    return " ".join(parts)


class Select(widgets.Select):
    """WTForms' select, written with plain string formatting (the same HTML): a filter form
    lists dozens of options, and WTForms formats each one's attributes through `Markup.format`."""

    def __call__(self, field, **kwargs):
        if self.multiple or field.has_groups():
            return super().__call__(field, **kwargs)
        kwargs.setdefault("id", field.id)
        for name in self.validation_attrs:
            value = getattr(field.flags, name, None)
            if value is not None and name not in kwargs:
                kwargs[name] = value
        options = "".join(self.render_option(choice) for choice in field.iter_choices())
        return Markup(f"<select {attributes(name=field.name, **kwargs)}>{options}</select>")  # noqa: S704 - escaped

    @classmethod
    def render_option(cls, choice, **kwargs):
        if kwargs or choice.render_kw or choice.value is None:
            return super().render_option(choice, **kwargs)
        value = str(choice.value) if isinstance(choice.value, bool) else choice.value
        selected = "selected " if choice.selected else ""
        label = escape(choice.label or choice.value)
        return Markup(f'<option {selected}value="{escape(value)}">{label}</option>')  # noqa: S704 - both escaped


class SelectField(wtforms.SelectField):
    widget = Select()


class TextInput(widgets.TextInput):
    """WTForms' text input, written with plain string formatting (the same HTML): WTForms looks the
    field's validation flags up through dir() and formats each attribute through `Markup.format`,
    which cost a list page's filter box as much as its rows."""

    def __call__(self, field, **kwargs):
        if getattr(field, "_datalist", None) is not None:
            return super().__call__(field, **kwargs)
        kwargs.setdefault("id", field.id)
        kwargs.setdefault("type", self.input_type)
        if "value" not in kwargs:
            kwargs["value"] = field._value()
        for name in self.validation_attrs:
            value = getattr(field.flags, name, None)
            if value is not None and name not in kwargs:
                kwargs[name] = value() if callable(value) else value
        return Markup(f"<input {attributes(name=field.name, **kwargs)}>")  # noqa: S704 - escaped


class StringField(wtforms.StringField):
    widget = TextInput()


def flash_errors(form) -> None:
    """Each field error of `form` as an error message on the next page, for a button form whose
    route answers with a redirect (the page it came from shows the message)."""
    for field in form:
        for error in field.errors:
            flash(gettext("%(field)s: %(message)s", field=field.label.text, message=error), "error")


def required():
    return DataRequired(message=_l("This field is required."))


def max_length(n: int):
    return Length(max=n, message=_l("Use at most %(max)d characters.", max=n))


def email_address():
    return Email(message=_l("Enter a valid e-mail address."), check_deliverability=False)


def same_as(field: str):
    return EqualTo(field, message=_l("The two passwords do not match."))
