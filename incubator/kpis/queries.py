"""Read-only questions about KPI reports (pages, exports and reports share them)."""


def kpi_summary(cohort_startup):
    """The startup's KPI panel for its incubation page (None while there is nothing to show)."""
    return None
