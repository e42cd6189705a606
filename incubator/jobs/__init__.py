"""Background export jobs: a job row, a registry of job kinds, a runner (RQ or in-process), pages."""
