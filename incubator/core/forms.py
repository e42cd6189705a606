"""Validators with our own translated messages (WTForms ships no Indonesian catalogue), the
select field every form uses, and the CSRF token of forms in kept HTML."""

import wtforms
from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape
from wtforms import widgets
from wtforms.validators import DataRequired, Email, EqualTo, Length
from wtforms.widgets.core import clean_key


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


def required():
    return DataRequired(message=_l("This field is required."))


def max_length(n: int):
    return Length(max=n, message=_l("Use at most %(max)d characters.", max=n))


def email_address():
    return Email(message=_l("Enter a valid e-mail address."), check_deliverability=False)


def same_as(field: str):
    return EqualTo(field, message=_l("The two passwords do not match."))
