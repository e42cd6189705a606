"""Per-stage milestone checklists that founders tick with evidence and mentors verify."""
