"""Applications: a startup's pitch to a cohort, from draft to submission, and the CSV import."""
