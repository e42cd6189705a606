"""Read-only questions about milestones (pages, exports and reports share them)."""


def milestone_summary(cohort_startup):
    """The startup's milestone checklist for its incubation page (None while there is nothing to show)."""
    return None
