"""Read-only questions about activities and attendance (pages, exports and reports share them)."""

from dataclasses import dataclass, field


@dataclass
class AttendanceSummary:
    attended: int = 0
    required: int = 0
    recent: list = field(default_factory=list)  # the startup's latest attended activities


def attendance_summary(cohort_startup) -> AttendanceSummary:
    """How many of the cohort's activities this startup attended, against the cohort's requirement."""
    return AttendanceSummary(required=cohort_startup.cohort.required_attendance)
