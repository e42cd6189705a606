"""Dates and times people type, kept to the years a programme can have.

A browser's date input sends any year from 1 to 9999. Year 1 in WIB is before the first
instant Python can turn into UTC (the page answered 500), and a window or a due date in 1899 or
9999 is a typo, not a plan. Every date, time and month field goes through `check_year`.
"""

from datetime import date

from flask_babel import lazy_gettext as _l
from wtforms import DateTimeLocalField

FIRST_YEAR = 2000
LAST_YEAR = 2100


def check_year(value: date) -> None:
    """ValueError with a translated message unless `value` (a date or datetime) falls within
    FIRST_YEAR..LAST_YEAR."""
    if not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise ValueError(_l("Enter a date between %(first)d and %(last)d.", first=FIRST_YEAR, last=LAST_YEAR))


class WibDateTimeField(DateTimeLocalField):
    """A date and time typed in WIB (`<input type="datetime-local">`), in the years a programme has;
    what was typed is shown back with the message when it is not."""

    def process_formdata(self, valuelist):
        super().process_formdata(valuelist)
        if self.data is not None:
            try:
                check_year(self.data)
            except ValueError:
                self.data = None
                raise
