"""Translated names for the growth area's codes and audit actions."""

from flask_babel import lazy_gettext as _l

from incubator.core.labels import AUDIT_LABELS

AUDIT_LABELS.update(
    {
        "proposal.created": _l("Action item proposed from the judges' feedback"),
        "proposal.accepted": _l("Proposed action item accepted"),
        "proposal.edited": _l("Proposed action item reworded"),
        "proposal.dismissed": _l("Proposed action item dismissed"),
    }
)

PROPOSAL_STATUS_LABELS = {
    "proposed": _l("Proposed"),
    "accepted": _l("Accepted"),
    "dismissed": _l("Dismissed"),
}


def proposal_status_label(code: str) -> str:
    return str(PROPOSAL_STATUS_LABELS.get(code, code))
