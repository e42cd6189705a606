"""The privacy area's codes as words, in the reader's language."""

from flask_babel import lazy_gettext as _l

STATUS_LABELS = {
    "pending": _l("Waiting for a director"),
    "approved": _l("Approved: data erased"),
    "refused": _l("Refused"),
    "cancelled": _l("Withdrawn by the applicant"),
}
SOURCE_LABELS = {
    "register": _l("When registering"),
    "apply": _l("Before applying"),
    "sign_in": _l("After signing in (new version)"),
}


def status_label(code: str) -> str:
    return str(STATUS_LABELS.get(code, code))


def source_label(code: str) -> str:
    return str(SOURCE_LABELS.get(code, code))
