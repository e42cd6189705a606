"""What the import says to the director: field names, and every problem code as a translated message."""

from flask_babel import lazy_gettext as _l

from incubator.applications.importer import ColumnMap, CSVProblem, Problem
from incubator.applications.importer import mapping_problems as _mapping_problems
from incubator.cohorts.models import Cohort
from incubator.core.i18n import format_day
from incubator.core.labels import business_stage_label, legal_status_label
from incubator.core.number_fields import RUPIAH_MESSAGES
from incubator.startups.models import BUSINESS_STAGES, LEGAL_STATUSES

FIELD_LABELS = {
    "email": _l("Applicant's e-mail"),
    "founder_name": _l("Founder's name"),
    "founder_phone": _l("Founder's phone (WhatsApp)"),
    "founder_age": _l("Founder's age"),
    "startup_name": _l("Startup name"),
    "city": _l("City or regency"),
    "focus_area": _l("Focus area"),
    "business_stage": _l("Business stage"),
    "legal_status": _l("Legal status"),
    "nib": _l("NIB"),
    "women_in_team": _l("Women in the team"),
    "problem": _l("Problem"),
    "solution": _l("Solution"),
    "target_market": _l("Target market"),
    "business_model": _l("Business model"),
    "traction": _l("Traction"),
    "funding_need": _l("Funding need (Rp)"),
    "video_url": _l("Pitch video link"),
    "deck_link": _l("Pitch deck link"),
    "submitted_at": _l("Submitted at (WIB)"),
}

FILE_MESSAGES = {
    "empty": _l("The file is empty."),
    "too_big": _l("The file is larger than %(mb)d MB. Split it into smaller files."),
    "not_text": _l(
        "This is not a CSV file. In Google Sheets or Excel, download or save the answers as "
        "comma-separated values (.csv) and upload that file."
    ),
    "malformed": _l("The file could not be read as CSV: check that every quoted cell is closed."),
    "no_header": _l("The first row must hold the column names."),
    "no_rows": _l("The file has column names but no answers."),
    "too_many_rows": _l("The file has more than %(rows)d rows. Split it into smaller files."),
}

PROBLEM_MESSAGES = {
    "required": _l("This field is required."),
    "email": _l("Enter a valid e-mail address."),
    "too_long": _l("Use at most %(max)d characters."),
    "nib": _l("An NIB has 13 digits."),
    "link": _l("Enter a full web address starting with https:// or http://."),
    **RUPIAH_MESSAGES,  # the forms' own, so an amount is explained alike everywhere
    "phone": _l("Write a phone number such as 0812-2653-7781 or +62 812 2653 7781."),
    "age": _l("Write the age in whole years, between 10 and 100."),
    "yes_no": _l("Write Ya or Tidak (Yes or No)."),
    "business_stage": _l("Unknown business stage. Use one of: %(choices)s."),
    "legal_status": _l("Unknown legal status. Use one of: %(choices)s."),
    "focus_area": _l("Not one of this cohort's focus areas: %(choices)s."),
    "date": _l("Write the date as day/month/year and the time in WIB, such as 18/12/2021 09:14:05."),
    "duplicate": _l("Row %(row)d has the same e-mail and startup; this row would import it twice."),
    "same_name": _l("Row %(row)d has a startup of the same name under another e-mail; both become separate startups."),
    "video_site": _l("This is not a video link (YouTube, Vimeo or Google Drive); it is imported anyway."),
    "link_dropped": _l(
        "Not a usable web address (a full address starts with https:// or http://): the link is left out, "
        "the rest of the row is imported."
    ),
    "too_long_dropped": _l(
        "The link is longer than %(max)d characters: it is left out, the rest of the row is imported."
    ),
}

DATE_MESSAGES = {
    "id": _l(
        "This date can be read two ways. It is read day first, as %(date)s, because the file's column names are "
        "in Indonesian. If that is wrong, correct the spreadsheet."
    ),
    "en": _l(
        "This date can be read two ways. It is read month first, as %(date)s, because the file's column names are "
        "in English. If that is wrong, correct the spreadsheet."
    ),
}

MAPPING_MESSAGES = {
    "unmapped": _l("This field is required."),
    "no_column": _l("Choose one of the file's columns."),
    "twice": _l("This column is already chosen for another field."),
}


def file_message(problem: CSVProblem) -> str:
    return str(FILE_MESSAGES[problem.code]) % problem.params


def problem_message(problem: Problem, cohort: Cohort) -> str:
    """A row problem in the reader's language."""
    if problem.code == "ambiguous_date":
        message = DATE_MESSAGES["en" if problem.params["month_first"] else "id"]
        return str(message) % {"date": format_day(problem.params["when"])}
    if problem.code == "focus_area":
        choices = ", ".join(area.name for area in cohort.focus_areas) or "—"
    elif problem.code == "business_stage":
        choices = ", ".join(business_stage_label(code) for code in BUSINESS_STAGES)
    elif problem.code == "legal_status":
        choices = ", ".join(legal_status_label(code) for code in LEGAL_STATUSES)
    else:
        choices = ""
    return str(PROBLEM_MESSAGES[problem.code]) % {**problem.params, "choices": choices}


def mapping_errors(mapping: ColumnMap, width: int) -> list[tuple[str, str]]:
    """(field, translated message) for a column choice that cannot be used."""
    return [(key, str(MAPPING_MESSAGES[code])) for key, code in _mapping_problems(mapping, width)]
