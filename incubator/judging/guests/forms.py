"""The director's form to add a guest judge (name, e-mail optional)."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, StringField, SubmitField
from wtforms.validators import Optional

from incubator.core.forms import email_address, max_length, required
from incubator.judging.guests.services import NAME_LIMIT


class GuestForm(FlaskForm):
    name = StringField(
        _l("Guest's name"),
        validators=[required(), max_length(NAME_LIMIT)],
        render_kw={"maxlength": NAME_LIMIT, "autocomplete": "off"},
    )
    email = EmailField(
        _l("E-mail (optional)"),
        validators=[Optional(), email_address(), max_length(254)],
        description=_l("Only to recognise the guest and to check conflicts of interest; no e-mail is sent."),
        render_kw={"maxlength": 254, "autocomplete": "off"},
    )
    submit = SubmitField(_l("Add the guest"))
