"""Access cases for rounds, rubric templates and the rubric builder: directors only.

The world has a draft round whose rubric holds {criterion_id}, and an empty template {template_id}.
POSTs carry only a CSRF token: forms with fields answer their page again (200), buttons go back (302).
"""

from tests.access_cases import director_only

PUBLIC = set()

CASES = [
    ("GET", "/cohorts/{cohort_id}/rounds/new", director_only()),
    ("POST", "/cohorts/{cohort_id}/rounds/new", director_only()),
    ("GET", "/cohorts/999999/rounds/new", director_only(404)),
    ("POST", "/cohorts/999999/rounds/new", director_only(404)),
    ("GET", "/rounds/{round_id}", director_only()),
    ("GET", "/rounds/999999", director_only(404)),
    ("GET", "/rounds/{round_id}/edit", director_only()),
    ("POST", "/rounds/{round_id}/edit", director_only()),
    ("GET", "/rounds/999999/edit", director_only(404)),
    ("POST", "/rounds/{round_id}/phase", director_only(302)),
    ("POST", "/rounds/999999/phase", director_only(404)),
    ("GET", "/rubrics", director_only()),
    ("GET", "/rubrics/new", director_only()),
    ("POST", "/rubrics/new", director_only()),
    ("GET", "/rubrics/{rubric_id}", director_only()),
    ("GET", "/rubrics/{template_id}", director_only()),
    ("GET", "/rubrics/999999", director_only(404)),
    ("GET", "/rubrics/{rubric_id}/edit", director_only()),
    ("POST", "/rubrics/{template_id}/edit", director_only()),
    ("GET", "/rubrics/999999/edit", director_only(404)),
    ("GET", "/rubrics/{rubric_id}/criteria/new", director_only()),
    ("POST", "/rubrics/{rubric_id}/criteria/new", director_only()),
    ("GET", "/rubrics/999999/criteria/new", director_only(404)),
    ("GET", "/rubrics/{rubric_id}/criteria/{criterion_id}/edit", director_only()),
    ("POST", "/rubrics/{rubric_id}/criteria/{criterion_id}/edit", director_only()),
    # A criterion of another rubric than the one in the URL.
    ("GET", "/rubrics/{template_id}/criteria/{criterion_id}/edit", director_only(404)),
    ("POST", "/rubrics/{template_id}/criteria/{criterion_id}/edit", director_only(404)),
    ("GET", "/rubrics/{rubric_id}/criteria/999999/edit", director_only(404)),
    ("POST", "/rubrics/{rubric_id}/criteria/{criterion_id}/move", director_only(302)),
    ("POST", "/rubrics/{template_id}/criteria/{criterion_id}/move", director_only(404)),
    ("POST", "/rubrics/{rubric_id}/criteria/{criterion_id}/delete", director_only(302)),
    ("POST", "/rubrics/{template_id}/criteria/{criterion_id}/delete", director_only(404)),
    ("POST", "/rubrics/{rubric_id}/copy-template", director_only()),
    ("POST", "/rubrics/{template_id}/copy-template", director_only(404)),
    ("POST", "/rubrics/{rubric_id}/save-as-template", director_only()),
    ("POST", "/rubrics/999999/save-as-template", director_only(404)),
]
