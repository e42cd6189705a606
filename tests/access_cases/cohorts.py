"""Access cases for cohorts: focus areas, spaces, cohorts, dashboards, stage timelines, public calls."""

from tests.access_cases import ALL_200, IDENTITIES, director_only

PUBLIC = {"cohorts.calls", "cohorts.call"}

MISSING = 999999

# Director forms posted with only a CSRF token fail validation and show the form again (200).
CASES = [
    ("GET", "/focus-areas", director_only()),
    ("GET", "/focus-areas/new", director_only()),
    ("POST", "/focus-areas/new", director_only()),
    ("GET", "/focus-areas/{focus_area_id}/edit", director_only()),
    ("POST", "/focus-areas/{focus_area_id}/edit", director_only()),
    ("GET", f"/focus-areas/{MISSING}/edit", director_only(404)),
    ("POST", f"/focus-areas/{MISSING}/edit", director_only(404)),
    ("GET", "/spaces", director_only()),
    ("GET", "/spaces/new", director_only()),
    ("POST", "/spaces/new", director_only()),
    ("GET", "/spaces/{space_id}/edit", director_only()),
    ("POST", "/spaces/{space_id}/edit", director_only()),
    ("GET", f"/spaces/{MISSING}/edit", director_only(404)),
    ("POST", f"/spaces/{MISSING}/edit", director_only(404)),
    ("GET", "/cohorts", director_only()),
    ("GET", "/cohorts/new", director_only()),
    ("POST", "/cohorts/new", director_only()),
    ("GET", "/cohorts/{cohort_id}", director_only()),
    ("GET", f"/cohorts/{MISSING}", director_only(404)),
    ("GET", "/cohorts/{cohort_id}/edit", director_only()),
    ("POST", "/cohorts/{cohort_id}/edit", director_only()),
    ("GET", f"/cohorts/{MISSING}/edit", director_only(404)),
    ("POST", f"/cohorts/{MISSING}/edit", director_only(404)),
    ("GET", "/cohorts/{cohort_id}/copy", director_only()),
    ("POST", "/cohorts/{cohort_id}/copy", director_only()),
    ("GET", f"/cohorts/{MISSING}/copy", director_only(404)),
    ("POST", f"/cohorts/{MISSING}/copy", director_only(404)),
    ("GET", "/cohorts/{cohort_id}/startups/{cohort_startup_id}", director_only()),
    ("GET", f"/cohorts/{{cohort_id}}/startups/{MISSING}", director_only(404)),
    ("GET", f"/cohorts/{MISSING}/startups/{{cohort_startup_id}}", director_only(404)),
    ("POST", "/cohorts/{cohort_id}/startups/{cohort_startup_id}/stage", director_only()),
    ("POST", f"/cohorts/{{cohort_id}}/startups/{MISSING}/stage", director_only(404)),
    ("GET", "/calls", ALL_200),
    ("GET", "/calls/{cohort_id}", ALL_200),
    ("GET", f"/calls/{MISSING}", dict.fromkeys(IDENTITIES, 404)),
]
