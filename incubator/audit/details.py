"""An audit event's details said to people: a translated label for each stored key, and codes (a
stage, an outcome, a role) shown as their labels. The one table of these labels: the audit page,
a user's history and anything else that shows an event's details read it through `details()`.

Events store codes and the names people typed (`from_stage: applied`, `startup: GamelanVerse`);
they are translated here, when shown, so a trail reads in the reader's language whoever acted.
"""

from collections.abc import Callable, Iterable, Mapping
from typing import Any, NamedTuple

from flask import Flask
from flask_babel import gettext
from flask_babel import lazy_gettext as _l

from incubator.core.labels import (
    outcome_label,
    phase_label,
    role_label,
    stage_label,
)


def _yes_no(value: Any) -> str:
    return gettext("Yes") if value else gettext("No")


def _id(value: Any) -> str:
    return f"#{value}"


def _status(value: Any) -> str:
    from incubator.mentoring.labels import STATUS_LABELS

    return str(STATUS_LABELS.get(value, value))


def _visibility(value: Any) -> str:
    from incubator.mentoring.labels import visibility_label

    return visibility_label(value)


def _job_kind(value: Any) -> str:
    from incubator.jobs.registry import kind_label

    return kind_label(value)


def _source(value: Any) -> str:
    return str(SOURCE_LABELS.get(value, value))


def _pair(value: Any) -> str:
    """A (judge, application) pair of an assignment."""
    judge, application = value
    return gettext("judge #%(judge)s, application #%(application)s", judge=judge, application=application)


def _refusal(value: Any) -> str:
    """Why a guest judge's sign-in link was refused (judging.guests.services.REFUSALS' keys)."""
    return str(REFUSAL_LABELS.get(value, value))


REFUSAL_LABELS = {
    "unknown": _l("Not a valid link"),
    "used": _l("Already used"),
    "revoked": _l("Pass revoked"),
    "closed": _l("Round no longer open"),
}


def _plain(value: Any) -> str:
    return str(value)


SOURCE_LABELS = {"seed-demo": _l("Demo data")}


class Detail(NamedTuple):
    label: Any  # a lazy translated string
    show: Callable[[Any], str] = _plain  # how one value (or each value of a list) is shown


DETAILS: dict[str, Detail] = {
    # Codes, shown as their labels.
    "from_stage": Detail(_l("From stage"), stage_label),
    "to_stage": Detail(_l("To stage"), stage_label),
    "stage": Detail(_l("Stage"), stage_label),
    "from_phase": Detail(_l("From phase"), phase_label),
    "to_phase": Detail(_l("To phase"), phase_label),
    "outcome": Detail(_l("Outcome"), outcome_label),
    "role": Detail(_l("Role"), role_label),
    "roles": Detail(_l("Roles"), role_label),
    "status": Detail(_l("Status"), _status),
    "before": Detail(_l("Before"), _status),
    "after": Detail(_l("After"), _status),
    "visibility": Detail(_l("Visibility"), _visibility),
    "kind": Detail(_l("Export"), _job_kind),
    "source": Detail(_l("Source"), _source),
    "refusal": Detail(_l("Why refused"), _refusal),
    # Yes or no (`imported` is also the count of an import).
    "imported": Detail(_l("Imported")),
    "overall_comments": Detail(_l("Overall comments released")),
    "empty_sheet_removed": Detail(_l("Empty score sheet removed")),
    # Names and text as people typed them.
    "startup": Detail(_l("Startup")),
    "cohort": Detail(_l("Cohort")),
    "name": Detail(_l("Name")),
    "title": Detail(_l("Title")),
    "activity": Detail(_l("Activity")),
    "member": Detail(_l("Team member")),
    "criterion": Detail(_l("Criterion")),
    "reason": Detail(_l("Reason")),
    "comment": Detail(_l("Comment")),
    "code": Detail(_l("Code")),
    "recipient": Detail(_l("Recipient")),
    "month": Detail(_l("Month")),
    "position": Detail(_l("Position")),
    "room": Detail(_l("Room")),
    "order": Detail(_l("Order")),
    "direction": Detail(_l("Direction")),
    "move": Detail(_l("Stage control")),
    "version": Detail(_l("Privacy notice version")),
    # Counts.
    "added": Detail(_l("Added")),
    "already": Detail(_l("Already assigned")),
    "conflicted": Detail(_l("Skipped for a conflict of interest")),
    "cap": Detail(_l("Most applications per judge")),
    "count": Detail(_l("Number")),
    "judges": Detail(_l("Judges reminded")),
    "rows": Detail(_l("Rows in the file")),
    "size": Detail(_l("Size")),
    "startups": Detail(_l("Startups")),
    "values_deleted": Detail(_l("Values removed")),
    "ticks_deleted": Detail(_l("Ticks removed")),
    "already_imported": Detail(_l("Already imported")),
    "invalid": Detail(_l("Rows with problems")),
    "invited": Detail(_l("Founders invited")),
    "applications": Detail(_l("Applications")),
    "decks": Detail(_l("Pitch decks")),
    "slots_added": Detail(_l("Pitches added")),
    "missing": Detail(_l("Sheets missing")),
    # Other objects, by id.
    "application_id": Detail(_l("Application"), _id),
    "round_id": Detail(_l("Round"), _id),
    "rubric_id": Detail(_l("Rubric"), _id),
    "template_id": Detail(_l("Template"), _id),
    "cohort_id": Detail(_l("Cohort"), _id),
    "cohort_startup_id": Detail(_l("Startup in the cohort"), _id),
    "judge_id": Detail(_l("Judge"), _id),
    "judge_ids": Detail(_l("Judges"), _id),
    "mentor_id": Detail(_l("Mentor"), _id),
    "milestone_id": Detail(_l("Milestone"), _id),
    "activity_id": Detail(_l("Activity"), _id),
    "source_id": Detail(_l("Copied from"), _id),
    "job": Detail(_l("Export"), _id),
    "scores": Detail(_l("Criteria whose scores are released"), _id),
    "comments": Detail(_l("Criteria whose comments are released"), _id),
    "pairs": Detail(_l("Assignments"), _pair),
}

OBJECT_LABELS = {
    "action_items": _l("Action item"),
    "activities": _l("Activity"),
    "applications": _l("Application"),
    "assignments": _l("Assignment"),
    "attendances": _l("Attendance"),
    "cohort_startups": _l("Startup in the cohort"),
    "cohorts": _l("Cohort"),
    "consents": _l("Consent"),
    "deletion_requests": _l("Deletion request"),
    "conflict_declarations": _l("Conflict of interest"),
    "criteria": _l("Criterion"),
    "decisions": _l("Decision"),
    "export_jobs": _l("Export"),
    "guest_passes": _l("Guest judge's pass"),
    "focus_areas": _l("Focus area"),
    "kpi_metrics": _l("KPI"),
    "kpi_reports": _l("KPI report"),
    "mentor_assignments": _l("Mentor assignment"),
    "milestone_progress": _l("Milestone progress"),
    "milestones": _l("Milestone"),
    "rounds": _l("Round"),
    "rubrics": _l("Rubric"),
    "score_sheets": _l("Score sheet"),
    "session_notes": _l("Session note"),
    "spaces": _l("Space"),
    "startups": _l("Startup"),
    "team_members": _l("Team member"),
    "users": _l("User"),
}


def _shown(detail: Detail, value: Any) -> str:
    if isinstance(value, list | tuple) and detail.show is not _pair:
        return ", ".join(_shown(detail, v) for v in value)
    if isinstance(value, list | tuple):
        return "; ".join(detail.show(v) for v in value)
    if isinstance(value, bool):
        return _yes_no(value)
    return detail.show(value)


def details(data: Mapping[str, Any] | None) -> list[tuple[str, str]]:
    """(label, value) for each stored detail, in the table's order; a key the table does not know
    (an event of an older version) is shown under a neutral label rather than as its code."""
    data = data or {}
    known = [(key, DETAILS[key]) for key in DETAILS if key in data]
    shown = [(str(detail.label), _shown(detail, data[key])) for key, detail in known]
    shown += [(gettext("Other"), str(data[key])) for key in sorted(set(data) - set(DETAILS))]
    return shown


def object_label(object_type: str | None, object_id: int | None) -> str:
    """`Application #12`: the kind of object an event is about, in the reader's language."""
    if not object_type:
        return ""
    label = str(OBJECT_LABELS.get(object_type, object_type))
    return f"{label} #{object_id}" if object_id is not None else label


def detail_keys() -> Iterable[str]:
    return DETAILS.keys()


def init_app(app: Flask) -> None:
    app.add_template_filter(details, "audit_details")
    app.add_template_global(object_label, "audit_object")
