"""Translated names for the growth area's codes and audit actions."""

from flask_babel import lazy_gettext as _l

from incubator.audit.details import DETAILS, OBJECT_LABELS, Detail, _id
from incubator.core.labels import AUDIT_LABELS

AUDIT_LABELS.update(
    {
        "proposal.created": _l("Action item proposed from the judges' feedback"),
        "proposal.accepted": _l("Proposed action item accepted"),
        "proposal.edited": _l("Proposed action item reworded"),
        "proposal.dismissed": _l("Proposed action item dismissed"),
    }
)

DETAILS.update(
    {
        "due_on": Detail(_l("Due date")),
        "owner_id": Detail(_l("Owner"), _id),
        "action_item_id": Detail(_l("Action item"), _id),
        "proposal_id": Detail(_l("Proposed action item"), _id),
        "criterion_id": Detail(_l("Criterion"), _id),
        "same_as_id": Detail(_l("Same as criterion"), _id),
        "source_round_id": Detail(_l("Shared from round"), _id),
    }
)
OBJECT_LABELS["action_proposals"] = _l("Proposed action item")

PROPOSAL_STATUS_LABELS = {
    "proposed": _l("Proposed"),
    "accepted": _l("Accepted"),
    "dismissed": _l("Dismissed"),
}


def proposal_status_label(code: str) -> str:
    return str(PROPOSAL_STATUS_LABELS.get(code, code))
