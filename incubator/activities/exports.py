"""The rows of a cohort's attendance export, the same for CSV and XLSX.

One row per startup of the programme and activity it attended; a startup that attended
nothing still has one row, with the activity columns empty, so every startup is in the
file. Text typed by users goes through core.spreadsheets.neutralised (formula injection).
"""

from datetime import datetime

from incubator.activities.queries import attendance_export
from incubator.cohorts.models import Cohort
from incubator.core.i18n import utc_to_wib
from incubator.core.spreadsheets import Cell, neutralised

ATTENDANCE_COLUMNS = (
    "cohort_startup_id",
    "startup",
    "stage",
    "attended",
    "required",
    "below_requirement",
    "activity_id",
    "activity",
    "kind",
    "theme",
    "starts_at_wib",
    "checked_in_at_wib",
)


def _wib(value: datetime | None) -> str | None:
    return utc_to_wib(value).strftime("%Y-%m-%d %H:%M") if value else None


def attendance_rows(cohort: Cohort) -> list[tuple[Cell, ...]]:
    """attendance.csv's rows (ATTENDANCE_COLUMNS); codes, not translated labels, for stage, kind and theme."""
    rows = []
    for line, activity, when in attendance_export(cohort):
        membership = line.cohort_startup
        rows.append(
            (
                membership.id,
                neutralised(membership.startup.name),
                membership.stage,
                line.attended,
                line.required,
                int(line.below),
                activity.id if activity else None,
                neutralised(activity.title) if activity else None,
                activity.kind if activity else None,
                activity.theme if activity else None,
                _wib(activity.starts_at) if activity else None,
                _wib(when),
            )
        )
    return rows
