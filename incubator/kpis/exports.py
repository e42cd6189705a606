"""The cohort's KPI export: one row per report, as CSV and XLSX from the same rows.

Columns: month, startup, revenue, paying_customers, employees_full_time,
employees_part_time, funding_raised, note, then one column per custom metric (its name).
Text typed by users is neutralised against formula injection (core.spreadsheets).
"""

from decimal import Decimal

from incubator.core.spreadsheets import neutralised, plain_number, to_csv, to_xlsx
from incubator.kpis.models import KpiMetric, KpiReport

BASE_COLUMNS = (
    "month",
    "startup",
    "revenue",
    "paying_customers",
    "employees_full_time",
    "employees_part_time",
    "funding_raised",
    "note",
)


def columns(metrics: list[KpiMetric]) -> list[str]:
    """The header: the fixed columns, then each custom metric's name (neutralised)."""
    return [*BASE_COLUMNS, *(neutralised(m.name) for m in metrics)]


def rows(reports: list[KpiReport], metrics: list[KpiMetric]) -> list[tuple]:
    """One row per report in the order given; an empty cell for a custom metric not reported."""
    out = []
    for report in reports:
        values: dict[int, Decimal] = {v.metric_id: v.value for v in report.values}
        out.append(
            (
                report.month.isoformat()[:7],
                neutralised(report.cohort_startup.startup.name),
                report.revenue,
                report.paying_customers,
                report.employees_full_time,
                report.employees_part_time,
                report.funding_raised,
                neutralised(report.note),
                *(plain_number(values.get(m.id)) for m in metrics),
            )
        )
    return out


def csv_bytes(reports: list[KpiReport], metrics: list[KpiMetric]) -> bytes:
    return to_csv(columns(metrics), rows(reports, metrics))


def xlsx_bytes(reports: list[KpiReport], metrics: list[KpiMetric]) -> bytes:
    return to_xlsx("KPI", columns(metrics), rows(reports, metrics))
