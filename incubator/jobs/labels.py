"""Translated names of the jobs area's audit events."""

from flask_babel import lazy_gettext as _l

from incubator.core.labels import AUDIT_LABELS

AUDIT_LABELS.update(
    {
        "export.started": _l("Export started"),
        "exports.cleaned": _l("Expired exports removed"),
    }
)

JOB_STATUS_LABELS = {
    "queued": _l("Waiting to start"),
    "running": _l("Running"),
    "finished": _l("Ready"),
    "failed": _l("Failed"),
}


def job_status_label(code: str) -> str:
    return str(JOB_STATUS_LABELS.get(code, code))
