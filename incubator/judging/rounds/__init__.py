"""Setting up a round: its settings and phases (draft → open → closed → decided), its rubric built
criterion by criterion with weights, scales and level descriptors, and rubric templates copied into
rounds. services.py writes, rubric.py holds the rubric's rules as plain functions (scales, levels,
weight shares, what makes a rubric usable), routes.py and rubric_routes.py are the director's pages
on the `judging` blueprint."""
