"""Spaces, focus areas, cohorts and the stage pipeline of startups in a cohort."""
