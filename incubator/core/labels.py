"""Translated names for stored codes (roles, statuses, audit actions), for pages and e-mails."""

from flask import Flask
from flask_babel import lazy_gettext as _l

ROLE_LABELS = {
    "applicant": _l("Applicant"),
    "judge": _l("Judge"),
    "mentor": _l("Mentor"),
    "director": _l("Director"),
}

MAIL_STATUS_LABELS = {"queued": _l("Queued"), "sent": _l("Sent"), "failed": _l("Failed")}

AUDIT_LABELS = {
    "user.created": _l("Account created"),
    "user.email_confirmed": _l("E-mail confirmed"),
    "user.login": _l("Signed in"),
    "user.password_changed": _l("Password changed"),
    "user.password_reset_requested": _l("Password reset requested"),
    "user.password_reset": _l("Password reset"),
    "user.invited": _l("Invitation sent"),
    "user.invitation_accepted": _l("Invitation accepted"),
    "user.role_granted": _l("Role granted"),
    "user.role_revoked": _l("Role removed"),
    "user.activated": _l("Account reactivated"),
    "user.deactivated": _l("Account deactivated"),
}


def role_label(code: str) -> str:
    return str(ROLE_LABELS.get(code, code))


def mail_status_label(code: str) -> str:
    return str(MAIL_STATUS_LABELS.get(code, code))


def audit_label(code: str) -> str:
    return str(AUDIT_LABELS.get(code, code))


def init_app(app: Flask) -> None:
    for func in (role_label, mail_status_label, audit_label):
        app.add_template_global(func)
        app.add_template_filter(func)
