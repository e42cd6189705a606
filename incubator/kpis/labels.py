"""Translated names of the kpis area's audit events."""

from flask_babel import lazy_gettext as _l

from incubator.core.labels import AUDIT_LABELS

AUDIT_LABELS.update(
    {
        "kpi.report_submitted": _l("KPI report submitted"),
        "kpi.report_replaced": _l("KPI report replaced"),
        "kpi.metric_added": _l("KPI metric added"),
        "kpi.metric_changed": _l("KPI metric changed"),
        "kpi.metric_removed": _l("KPI metric removed"),
        "kpi.reminder_sent": _l("KPI report reminder sent"),
    }
)
