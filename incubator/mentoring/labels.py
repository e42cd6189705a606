"""Translated names for the mentoring area's codes and audit actions."""

from flask_babel import lazy_gettext as _l

from incubator.core.labels import AUDIT_LABELS

AUDIT_LABELS.update(
    {
        "mentor.assigned": _l("Mentor assigned"),
        "mentor.unassigned": _l("Mentor removed"),
        "note.created": _l("Session note written"),
        "note.updated": _l("Session note changed"),
        "action_item.created": _l("Action item added"),
        "action_item.updated": _l("Action item changed"),
        "action_item.removed": _l("Action item removed"),
        "action_item.status": _l("Action item status changed"),
    }
)

VISIBILITY_LABELS = {
    "internal": _l("Internal: mentors and directors only"),
    "shared": _l("Shared with the startup's team"),
}
VISIBILITY_TAGS = {"internal": _l("Internal"), "shared": _l("Shared")}
STATUS_LABELS = {"open": _l("Open"), "in_progress": _l("In progress"), "done": _l("Done")}


def visibility_label(code: str) -> str:
    return str(VISIBILITY_TAGS.get(code, code))


def action_status_label(code: str) -> str:
    return str(STATUS_LABELS.get(code, code))
