"""Judging: from a round's rubric to the decisions it leads to. One sub-package per part of the work:

- rounds/       a round's settings and phases, rubrics, templates and criteria (rubric.py: pure rules)
- assignments/  which judge scores which application: by hand, in bulk, automatically (allocation.py:
                pure maths), and the board the pages read
- conflicts/    conflicts of interest: found in the data (detection.py), declared by judges, marked
                by directors
- sheets/       a judge's queue and score sheets, the director's sheet list, reminders
- ranking/      the stored results (results.py, their one writer), the ranking pages, explain view,
                judge statistics and CSV/XLSX exports
- decisions/    the director's decisions from the ranking, and the feedback released to founders

Shared by all of them: models.py (every judging table), scoring.py (the only scoring maths, pure),
permissions.py (who may see, score, declare a conflict, manage a round: one function per rule),
fields.py (number fields of the forms), blueprints.py (the five blueprints, names unchanged) and
demo.py (judging's part of `flask seed-demo`). rounds/frozen.py keeps an open
round's frozen rubric as plain data, the one value a process keeps between requests.
"""
