"""Translated names of the milestones area's audit events."""

from flask_babel import lazy_gettext as _l

from incubator.core.labels import AUDIT_LABELS

AUDIT_LABELS.update(
    {
        "milestone.added": _l("Milestone added"),
        "milestone.changed": _l("Milestone changed"),
        "milestone.removed": _l("Milestone removed"),
        "milestone.ticked": _l("Milestone ticked"),
        "milestone.unticked": _l("Milestone unticked"),
        "milestone.verified": _l("Milestone verified"),
        "milestone.unverified": _l("Milestone verification withdrawn"),
    }
)
