"""Monthly KPI reports of startups in incubation, with custom metrics per cohort."""
