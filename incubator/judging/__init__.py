"""Judging: rounds, rubrics and their criteria (and, later, assignments and scores)."""
