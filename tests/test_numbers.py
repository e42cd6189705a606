"""core.numbers: numbers and amounts typed the Indonesian or the English way, read alike."""

from decimal import Decimal

import pytest

from incubator.core.numbers import ValueProblem, read_number, read_rupiah


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("12", Decimal("12")),
        ("1.5", Decimal("1.5")),
        ("1,5", Decimal("1.5")),
        ("2,25", Decimal("2.25")),
        ("1.500", Decimal("1500")),
        ("1,500", Decimal("1500")),
        ("150.000,50", Decimal("150000.50")),
        ("150,000.50", Decimal("150000.50")),
        ("1.234.567", Decimal("1234567")),
        ("-3", Decimal("-3")),
        (" 7 ", Decimal("7")),
        ("", None),
        (None, None),
    ],
)
def test_read_number(text, number):
    assert read_number(text) == number


@pytest.mark.parametrize("text", ["banyak", "1.50.000", "1,5,0", "1.", "1e5", "NaN", "--1", "1.000,000,5"])
def test_read_number_refuses(text):
    with pytest.raises(ValueProblem) as refused:
        read_number(text)
    assert refused.value.code == "number"


@pytest.mark.parametrize("text", ["9" * 5000, "1" + "0" * 20, "100.000.000.000.000.000.000", "-" + "9" * 21])
def test_read_number_refuses_more_digits_than_any_column_holds(text):
    """Found by the fuzz suite: "9" * 5000 in a KPI metric passed the reader, and rounding it to 2
    decimals raised InvalidOperation (a 500)."""
    with pytest.raises(ValueProblem) as refused:
        read_number(text)
    assert refused.value.code == "number_too_large"


def test_read_number_takes_the_most_whole_digits():
    assert read_number("9" * 20) == Decimal("9" * 20)


@pytest.mark.parametrize(
    ("text", "rupiah"),
    [
        ("Rp 150.000.000", 150_000_000),
        ("150.000,50", 150_001),
        ("75jt", 75_000_000),
        ("1,5 M", 1_500_000_000),
        ("Rp 40.000.000,-", 40_000_000),
        ("150,000,000", 150_000_000),
        ("", None),
    ],
)
def test_read_rupiah(text, rupiah):
    assert read_rupiah(text) == rupiah


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("banyak", "money"),
        ("-5", "money"),
        ("Rp 2.000 T", "money_too_large"),
        # Found by the fuzz suite: past Decimal's 28 digits the rounding raised InvalidOperation (a 500).
        ("9" * 5000, "money_too_large"),
        ("99999999999999999999 jt", "money_too_large"),
        ("9" * 25 + " T", "money_too_large"),
    ],
)
def test_read_rupiah_refuses(text, code):
    with pytest.raises(ValueProblem) as refused:
        read_rupiah(text)
    assert refused.value.code == code
