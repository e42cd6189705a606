"""Reading a spreadsheet of applications (e.g. a Google Form export): plain functions over plain data.

No Flask and no database here. The caller reads the bytes (`csvfile`), picks the column of each
field (`fields.guess_mapping` proposes one), and gets back, per row, the clean values (`values`
converts each cell) and the problems found, as codes (`rows`); `incubator.applications.importing`
turns the codes into translated messages and writes the valid rows.

Rows are numbered as in the spreadsheet: the header is row 1, the first answer row 2.
"""

from incubator.applications.importer.csvfile import (
    MAX_BYTES,
    MAX_ROWS,
    PREVIEW_ROWS,
    CSVProblem,
    Row,
    Table,
    column_letter,
    read_csv,
)
from incubator.applications.importer.fields import (
    FIELD_KEYS,
    FIELDS,
    LENGTHS,
    PITCH_FIELDS,
    REQUIRED,
    ColumnMap,
    Field,
    guess_mapping,
    mapping_problems,
)
from incubator.applications.importer.rows import (
    Counts,
    Problem,
    RowResult,
    check_row,
    check_rows,
    count,
    startup_key,
)
from incubator.applications.importer.values import (
    BUSINESS_STAGE_WORDS,
    LEGAL_STATUS_WORDS,
    VIDEO_HOSTS,
    WIB,
    FocusAreaOption,
    ValueProblem,
    clean_link,
    is_video_link,
    match_focus_area,
    normalise_phone,
    parse_age,
    parse_business_stage,
    parse_email,
    parse_legal_status,
    parse_money,
    parse_nib,
    parse_timestamp,
    parse_yes_no,
)

__all__ = [
    "BUSINESS_STAGE_WORDS",
    "FIELDS",
    "FIELD_KEYS",
    "LEGAL_STATUS_WORDS",
    "LENGTHS",
    "MAX_BYTES",
    "MAX_ROWS",
    "PITCH_FIELDS",
    "PREVIEW_ROWS",
    "REQUIRED",
    "VIDEO_HOSTS",
    "WIB",
    "CSVProblem",
    "ColumnMap",
    "Counts",
    "Field",
    "FocusAreaOption",
    "Problem",
    "Row",
    "RowResult",
    "Table",
    "ValueProblem",
    "check_row",
    "check_rows",
    "clean_link",
    "column_letter",
    "count",
    "guess_mapping",
    "is_video_link",
    "mapping_problems",
    "match_focus_area",
    "normalise_phone",
    "parse_age",
    "parse_business_stage",
    "parse_email",
    "parse_legal_status",
    "parse_money",
    "parse_nib",
    "parse_timestamp",
    "parse_yes_no",
    "read_csv",
    "startup_key",
]
