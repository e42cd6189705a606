"""The pure KPI maths: months in WIB, month-on-month growth, and the SVG charts."""

import re
from datetime import UTC, date, datetime
from decimal import Decimal as D

import pytest

from incubator.kpis import charts
from incubator.kpis.growth import add_months, current_month, growth, last_month, months_between


def test_growth_of_revenue_is_exact_percent():
    assert growth(2_000_000, 2_500_000) == D("25.0")
    assert growth(3, 4) == D("33.3")
    assert growth(3, 2) == D("-33.3")
    assert growth(1_500_000, 1_500_000) == D("0.0")
    assert growth(8, 1) == D("-87.5")


def test_growth_rounds_halves_away_from_zero():
    assert growth(1000, 1001) == D("0.1")
    assert growth(2000, 2001) == D("0.1")  # 0.05 -> 0.1
    assert growth(2000, 1999) == D("-0.1")  # -0.05 -> -0.1


def test_growth_from_zero_or_missing_is_none():
    assert growth(0, 500) is None
    assert growth(0, 0) is None
    assert growth(None, 10) is None
    assert growth(10, None) is None


def test_months_follow_wib_not_utc():
    # 31 Oct 2026 18:00 UTC is already 1 Nov 2026 01:00 in WIB (UTC+7).
    now = datetime(2026, 10, 31, 18, 0, tzinfo=UTC)
    assert current_month(now) == date(2026, 11, 1)
    assert last_month(now) == date(2026, 10, 1)
    assert last_month(datetime(2026, 1, 15, tzinfo=UTC)) == date(2025, 12, 1)


def test_add_months_and_ranges_cross_years():
    assert add_months(date(2026, 11, 1), 3) == date(2027, 2, 1)
    assert add_months(date(2026, 1, 1), -1) == date(2025, 12, 1)
    assert months_between(date(2025, 11, 1), date(2026, 2, 1)) == [
        date(2025, 11, 1),
        date(2025, 12, 1),
        date(2026, 1, 1),
        date(2026, 2, 1),
    ]
    assert months_between(date(2026, 2, 1), date(2026, 1, 1)) == []


def test_line_chart_names_every_value_and_gap():
    svg = str(
        charts.line_chart(
            [("Jan", 100), ("Feb", None), ("Mar", 300)], "Revenue <x>", y_label="Rupiah", x_label="Month", empty="n/a"
        )
    )
    assert svg.startswith('<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="Revenue &lt;x&gt;"')
    assert "<title>Revenue &lt;x&gt;</title><desc>Jan: 100; Feb: n/a; Mar: 300</desc>" in svg
    assert svg.count("<circle") == 2
    assert "<polyline" not in svg  # the gap leaves two one-point segments: no line across it
    assert ">Rupiah</text>" in svg and ">Month</text>" in svg
    assert "style=" not in svg


def test_bar_chart_puts_its_grid_lines_on_round_numbers():
    svg = str(charts.bar_chart([("Jan", 40), ("Feb", 80)], "Staff", y_label="People", x_label="Month"))
    # the four grid lines fall on round numbers (20, 40, 60, 80), so 80 fills the 196-unit plot
    # and 40 half of it.
    assert [f">{n}</text>" in svg for n in (20, 40, 60, 80, 100)] == [True, True, True, True, False]
    assert 'height="196"' in svg and 'height="98"' in svg
    assert svg.count("<rect") == 2


@pytest.mark.parametrize(
    ("largest", "top"),
    [(0, 4), (1, 4), (3, 4), (5, 8), (13, 20), (45, 80), (100, 100), (1234, 2000), (3_200_000, 4_000_000), (0.4, 0.4)],
)
def test_value_axis_top_gives_round_grid_lines(largest, top):
    assert charts._nice_top(largest) == pytest.approx(top)


def _x_labels(svg: str) -> list[str]:
    return re.findall(r'<text x="[\d.]+" y="228" text-anchor="middle"[^>]*>([^<]*)</text>', svg)


def test_bar_chart_labels_every_bin_that_fits_and_writes_values_when_asked():
    bins = [(f"{i * 10}–{i * 10 + 10}", i % 3) for i in range(10)]
    svg = str(charts.bar_chart(bins, "Scores", y_label="Applications", x_label="Raw score", show_values=True))
    assert _x_labels(svg) == [label for label, _ in bins]  # every bin, "90–100" too
    assert re.findall(r'<text class="axis-title"[^>]*>([^<]*)</text>', svg) == ["Applications", "Raw score"]
    # A count over each bar that has one (none over an empty bin).
    assert re.findall(r'font-weight="bold">(\d+)</text>', svg) == ["1", "2", "1", "2", "1", "2"]
    months = [(f"Mon {n:02d}", n) for n in range(12)]  # 6 characters each do not fit 12 to a chart
    labels = _x_labels(str(charts.bar_chart(months, "Revenue", y_label="Rupiah", x_label="Month")))
    assert labels == ["Mon 00", "Mon 02", "Mon 04", "Mon 06", "Mon 08", "Mon 10", "Mon 11"]
    assert 'font-weight="bold"' not in str(charts.bar_chart(months, "Revenue", y_label="Rupiah", x_label="Month"))
