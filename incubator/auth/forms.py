"""Sign-in, registration and password forms."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, HiddenField, PasswordField, StringField, SubmitField

from incubator.auth.passwords import MAX_LENGTH
from incubator.core.forms import email_address, max_length, required, same_as
from incubator.privacy.forms import consent_box


class LoginForm(FlaskForm):
    email = EmailField(_l("E-mail"), validators=[required(), max_length(254)])
    password = PasswordField(_l("Password"), validators=[required(), max_length(MAX_LENGTH)])
    next = HiddenField()
    submit = SubmitField(_l("Sign in"))


def _new_password():
    return PasswordField(
        _l("Password"),
        validators=[required(), max_length(MAX_LENGTH)],
        description=_l("At least 8 characters; avoid common passwords."),
    )


def _repeat_password():
    return PasswordField(_l("Repeat the password"), validators=[required(), same_as("password")])


class RegisterForm(FlaskForm):
    name = StringField(_l("Full name"), validators=[required(), max_length(120)])
    email = EmailField(_l("E-mail"), validators=[required(), email_address(), max_length(254)])
    password = _new_password()
    confirm = _repeat_password()
    consent = consent_box()
    submit = SubmitField(_l("Create account"))


class SetPasswordForm(FlaskForm):
    password = _new_password()
    confirm = _repeat_password()
    submit = SubmitField(_l("Save password"))


class ChangePasswordForm(FlaskForm):
    current = PasswordField(_l("Current password"), validators=[required(), max_length(MAX_LENGTH)])
    password = _new_password()
    confirm = _repeat_password()
    submit = SubmitField(_l("Change password"))


class EmailForm(FlaskForm):
    email = EmailField(_l("E-mail"), validators=[required(), email_address(), max_length(254)])
    submit = SubmitField(_l("Send the link"))
