"""Phone numbers are read with libphonenumber and stored as E.164; anything else is refused."""

import pytest

from incubator.core.phones import PhoneProblem, normalise_phone, try_normalise


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("0812-2653-7781", "+6281226537781"),
        ("0812 2653 7781", "+6281226537781"),
        ("+62 857 4012 3344", "+6285740123344"),
        ("62 813 1234 5678", "+6281312345678"),
        ("0062 812 2653 7781", "+6281226537781"),
        ("(0)812 2653 7781", "+6281226537781"),
        ("+62 (0)812 2653 7781", "+6281226537781"),
        ("'081226537781", "+6281226537781"),  # a spreadsheet's text marker
        ("8122653778", "+628122653778"),  # a spreadsheet dropped the 0
        ("024 831 1234", "+62248311234"),  # a Semarang landline
        ("+1 650 253 0000", "+16502530000"),  # another country's number keeps its code
        ("", ""),
        ("   ", ""),
    ],
)
def test_phone_numbers_are_stored_as_e164(typed, stored):
    assert normalise_phone(typed) == stored


@pytest.mark.parametrize(
    "typed",
    ["0812", "12", "hello", "0812-2653-7781 ext", "+999 1234", "0812\x002653", "+62 812 ⁠2653 7781", "1" * 60],
)
def test_what_is_not_a_phone_number_is_refused(typed):
    with pytest.raises(PhoneProblem):
        normalise_phone(typed)
    assert try_normalise(typed) is None
