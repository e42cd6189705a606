"""Translated names for activity kinds and this area's audit actions."""

from flask_babel import lazy_gettext as _l

from incubator.core.labels import AUDIT_LABELS

KIND_LABELS = {
    "training": _l("Training"),
    "class": _l("Class"),
    "coaching_clinic": _l("Coaching clinic"),
    "competition": _l("Competition event"),
}

AUDIT_LABELS.update(
    {
        "activity.created": _l("Activity created"),
        "activity.updated": _l("Activity changed"),
        "attendance.checked_in": _l("Startup checked in"),
        "attendance.undone": _l("Check-in undone"),
    }
)


def kind_label(code: str) -> str:
    return str(KIND_LABELS.get(code, code))
