"""Demo data for the activities area, loaded by `flask seed-demo` (idempotent)."""


def seed(users: dict, director) -> None:
    """Add this area's demo data when it is missing."""
