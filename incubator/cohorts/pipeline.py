"""The stage pipeline of a startup in a cohort, as plain data (no Flask, no database).

applied → pre_incubation → incubation → graduated, with the terminal states
not_selected and withdrawn reachable from any stage before graduation.
"""

APPLIED = "applied"
PRE_INCUBATION = "pre_incubation"
INCUBATION = "incubation"
GRADUATED = "graduated"
NOT_SELECTED = "not_selected"
WITHDRAWN = "withdrawn"

FORWARD = (APPLIED, PRE_INCUBATION, INCUBATION, GRADUATED)
TERMINAL = (NOT_SELECTED, WITHDRAWN)
STAGES = FORWARD + TERMINAL
# The stages a judging round can decide: the step from each to the next.
DECIDABLE = (APPLIED, PRE_INCUBATION, INCUBATION)


def next_stage(stage: str) -> str | None:
    """The one step forward from `stage`, or None at the end of the pipeline or in a terminal state."""
    if stage in DECIDABLE:
        return FORWARD[FORWARD.index(stage) + 1]
    return None


def allowed_targets(stage: str | None) -> tuple[str, ...]:
    """Every stage a startup in `stage` may move to (None: not yet in the cohort)."""
    if stage is None:
        return (APPLIED,)
    if stage in DECIDABLE:
        return (next_stage(stage), NOT_SELECTED, WITHDRAWN)
    return ()


def is_allowed(from_stage: str | None, to_stage: str) -> bool:
    return to_stage in allowed_targets(from_stage)
