"""Background jobs (exports, and the CSV import's check and import): a job row, a registry of job
kinds, a runner (RQ or in-process), pages."""
