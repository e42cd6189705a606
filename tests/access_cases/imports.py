"""Access cases for importing applications from a spreadsheet: directors only; a token that names
no kept file (or breaks the pattern) is a 404, for any cohort."""

from tests.access_cases import director_only

PUBLIC = set()

MISSING = "0" * 32

CASES = [
    ("GET", "/cohorts/{cohort_id}/import", director_only()),
    ("POST", "/cohorts/{cohort_id}/import", director_only()),  # no file: the form again, with the reason
    ("GET", "/cohorts/999999/import", director_only(404)),
    ("POST", "/cohorts/999999/import", director_only(404)),
    ("GET", f"/cohorts/{{cohort_id}}/import/{MISSING}", director_only(404)),
    ("POST", f"/cohorts/{{cohort_id}}/import/{MISSING}", director_only(404)),
    ("GET", "/cohorts/{cohort_id}/import/not-a-token", director_only(404)),
    ("POST", f"/cohorts/{{cohort_id}}/import/{MISSING}/confirm", director_only(404)),
    ("POST", "/cohorts/{cohort_id}/import/not-a-token/confirm", director_only(404)),
    ("POST", f"/cohorts/999999/import/{MISSING}/confirm", director_only(404)),
]
