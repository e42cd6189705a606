"""What the fuzz suite types: Hypothesis strategies for hostile values, and its profiles.

`HYPOTHESIS_PROFILE=ci` (the default, used by `make test`) runs a bounded number of examples per
route; `HYPOTHESIS_PROFILE=fuzz` (`make fuzz`) runs many more, with new random examples each run
(`FUZZ_EXAMPLES=N make fuzz` sets how many). Every value is text, as a browser
sends it: numbers too large for any column or for `Decimal`, fractions written either way, dates
before year 1 and after 9999, text longer than any field, Unicode of every category, NUL, bidi
controls, and values of the wrong type.
"""

import os
from datetime import date, datetime

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from incubator.core.urls import LARGEST_ID

_COMMON = {
    "deadline": None,  # a request's time varies with the machine's load
    "suppress_health_check": [HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    "database": None,  # runs start from the same examples on every machine
    "derandomize": True,
    "print_blob": True,
}
settings.register_profile("ci", max_examples=8, **_COMMON)
# FUZZ_EXAMPLES sets the fuzz profile's examples per form (pages take half, files a tenth).
FUZZ_EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "300"))
settings.register_profile("fuzz", max_examples=FUZZ_EXAMPLES, **{**_COMMON, "derandomize": False})

PROFILE = os.environ.get("HYPOTHESIS_PROFILE", "ci")
settings.load_profile(PROFILE)

BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"
INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff\u00ad"

# Integers people cannot mean: past a 32-bit id, a 64-bit column, a double, and below zero.
huge_integers = st.one_of(
    st.sampled_from([LARGEST_ID + 1, 2**63 - 1, 2**63, 2**64 + 5, 10**40, 10**400]),
    st.integers(min_value=LARGEST_ID + 1, max_value=10**60),
)
negative_integers = st.one_of(st.sampled_from([-1, -(2**31), -(2**63) - 1, -(10**40)]), st.integers(max_value=-1))

# Numbers written every way a person (or a script) might.
odd_numbers = st.sampled_from(
    [
        "1.5",
        "1,5",
        "150.000,50",
        "150,000.50",
        "Rp 150.000.000",
        "75jt",
        "1,5 M",
        "1e309",
        "1e-400",
        "-1e999999",
        "1E+2147483648",
        "NaN",
        "-Infinity",
        "sNaN",
        "0x10",
        "1_000",
        "１２",  # full-width digits
        "١٢٣",  # Arabic-Indic digits
        "½",
        "--1",
        "1..2",
        "1,2,3",
        ".",
        "-",
        "+",
        "0" * 500 + "1",
        "9" * 5000,
    ]
)
numbers_as_text = st.one_of(
    huge_integers.map(str),
    negative_integers.map(str),
    st.integers(min_value=-1000, max_value=1000).map(str),
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
    odd_numbers,
)

# Dates a date input can send (year 1 to 9999), and some it cannot.
_dates = st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31))
_datetimes = st.datetimes(min_value=datetime(1, 1, 1), max_value=datetime(9999, 12, 31, 23, 59))
dates_as_text = st.one_of(
    _dates.map(lambda d: f"{d.year:04d}-{d.month:02d}-{d.day:02d}"),
    _datetimes.map(lambda d: f"{d.year:04d}-{d.month:02d}-{d.day:02d}T{d.hour:02d}:{d.minute:02d}"),
    _dates.map(lambda d: f"{d.year:04d}-{d.month:02d}"),
    st.sampled_from(
        [
            "0000-01-01",
            "0001-01-01T00:00",
            "9999-12-31T23:59",
            "10000-01-01",
            "+275760-09-13",
            "2026-02-30",
            "2026-13-01",
            "2026-00",
            "2026-1",
            "1/5/2022",
            "31/12/2026",
            "2026-06-15T25:61",
            "2026-06-15 10:00:00+07:00",
            "-2026-01-01",
        ]
    ),
)

unicode_text = st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=40)
_controls = ["\x00", "\r", "\n", "\t", "\x1b", *BIDI, *INVISIBLE, "a", " "]
control_text = st.text(alphabet=st.sampled_from(_controls), max_size=30)
long_text = st.sampled_from([121, 256, 301, 1001, 5001, 20_001, 100_001]).map(lambda n: ("Batik-Lurik " * n)[:n])
wrong_types = st.sampled_from(["", " ", "[]", "{}", "null", "None", "true", "on", "0", "-0", "[1, 2]", '{"a": 1}'])

any_value = st.one_of(numbers_as_text, dates_as_text, unicode_text, control_text, long_text, wrong_types)
# One value or several for the same name (a list where one is expected is a wrong type too).
any_values = st.one_of(any_value.map(lambda v: [v]), st.lists(any_value, min_size=2, max_size=3))

# Path ids: past the column (404 by the route), or in range but no row's.
ids_past_the_column = huge_integers
ids_of_no_row = st.integers(min_value=10**6, max_value=LARGEST_ID)

# Query string names every list or page might read.
QUERY_NAMES = (
    "page",
    "round_id",
    "cohort_id",
    "application_id",
    "status",
    "stage",
    "q",
    "sort",
    "order",
    "version",
    "judges",
    "weeks",
    "next",
    "focus_area",
    "city",
    "month",
    "phase",
    "role",
    "search",
)


def outside_years(kind: str) -> st.SearchStrategy[str]:
    """Dates of the field's `kind` (date, datetime-local, month) in a year no programme has."""
    years = st.one_of(st.integers(min_value=1, max_value=1999), st.integers(min_value=2101, max_value=9999))
    if kind == "month":
        return years.map(lambda y: f"{y:04d}-06")
    if kind == "datetime-local":
        return years.map(lambda y: f"{y:04d}-06-15T10:00")
    return years.map(lambda y: f"{y:04d}-06-15")


not_numbers = st.sampled_from(["abc", "1e999999", "NaN", "Infinity", "--1", "1..2", "12abc", "١٢x"])
