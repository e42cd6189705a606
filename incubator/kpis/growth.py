"""Months and month-on-month growth, as plain functions (no Flask, no database).

A KPI month is the first day of that month. Growth is the relative change from one month
to the next, in percent, rounded to 1 decimal half away from zero; it is None when there
is nothing to compare (no previous figure) or nothing to divide by (a previous figure of 0).
"""

from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

WIB = ZoneInfo("Asia/Jakarta")


def month_start(day: date) -> date:
    """The first day of `day`'s month."""
    return date(day.year, day.month, 1)


def add_months(month: date, n: int) -> date:
    """The first day of the month `n` months after (or before, when negative) `month`."""
    index = month.year * 12 + month.month - 1 + n
    return date(index // 12, index % 12 + 1, 1)


def current_month(now: datetime) -> date:
    """The month it is in WIB at the aware UTC time `now` (a report for a later month is refused)."""
    return month_start(now.astimezone(WIB).date())


def last_month(now: datetime) -> date:
    """The month before the current WIB month: the one founders are due to report."""
    return add_months(current_month(now), -1)


def months_between(first: date, last: date) -> list[date]:
    """Every month from `first` to `last`, both included (empty when `last` is before `first`)."""
    months, month = [], month_start(first)
    while month <= last:
        months.append(month)
        month = add_months(month, 1)
    return months


def growth(previous: int | Decimal | None, current: int | Decimal | None) -> Decimal | None:
    """Month-on-month change in percent, 1 decimal: growth(100, 150) == Decimal("50.0").

    None when either figure is missing or the previous one is 0 (no division by zero: going
    from 0 to something is not a percentage)."""
    if previous is None or current is None or previous == 0:
        return None
    change = (Decimal(current) - Decimal(previous)) * 100 / Decimal(previous)
    return change.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
