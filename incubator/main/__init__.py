"""The home page of each role, and the health check."""
