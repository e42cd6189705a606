"""Translated names for stored codes (roles, statuses, audit actions), for pages and e-mails."""

from flask import Flask
from flask_babel import lazy_gettext as _l

ROLE_LABELS = {
    "applicant": _l("Applicant"),
    "judge": _l("Judge"),
    "mentor": _l("Mentor"),
    "director": _l("Director"),
}

MAIL_STATUS_LABELS = {"queued": _l("Queued"), "sent": _l("Sent"), "failed": _l("Failed")}

AUDIT_LABELS = {
    "user.created": _l("Account created"),
    "user.email_confirmed": _l("E-mail confirmed"),
    "user.login": _l("Signed in"),
    "user.password_changed": _l("Password changed"),
    "user.password_reset_requested": _l("Password reset requested"),
    "user.password_reset": _l("Password reset"),
    "user.invited": _l("Invitation sent"),
    "user.invitation_accepted": _l("Invitation accepted"),
    "user.role_granted": _l("Role granted"),
    "user.role_revoked": _l("Role removed"),
    "user.activated": _l("Account reactivated"),
    "user.deactivated": _l("Account deactivated"),
}


STAGE_LABELS = {
    "applied": _l("Applied"),
    "pre_incubation": _l("Pre-incubation"),
    "incubation": _l("Incubation"),
    "graduated": _l("Graduated"),
    "not_selected": _l("Not selected"),
    "withdrawn": _l("Withdrawn"),
}

PHASE_LABELS = {"draft": _l("Draft"), "open": _l("Open for scoring"), "closed": _l("Closed"), "decided": _l("Decided")}

RANKING_BASIS_LABELS = {"raw": _l("Raw scores"), "normalized": _l("Normalised scores")}

RECOMMENDATION_LABELS = {"advance": _l("Advance"), "maybe": _l("Maybe"), "decline": _l("Decline")}

OUTCOME_LABELS = {"advance": _l("Advance"), "not_selected": _l("Not selected")}

SHEET_STATUS_LABELS = {"draft": _l("Draft"), "final": _l("Submitted")}

BUSINESS_STAGE_LABELS = {
    "idea": _l("Idea"),
    "mvp": _l("MVP"),
    "early_revenue": _l("Early revenue"),
    "growth": _l("Growth"),
}

LEGAL_STATUS_LABELS = {
    "unincorporated": _l("Not yet incorporated"),
    "cv": _l("CV"),
    "pt": _l("PT"),
    "cooperative": _l("Cooperative"),
}

AUDIT_LABELS.update(
    {
        "privacy.consent_given": _l("Privacy notice accepted"),
        "privacy.deletion_requested": _l("Deletion requested"),
        "privacy.deletion_cancelled": _l("Deletion request withdrawn"),
        "privacy.deletion_refused": _l("Deletion request refused"),
        "privacy.erased": _l("Personal data erased on request"),
        "privacy.retention_erased": _l("Expired personal data erased"),
    }
)
AUDIT_LABELS.update(
    {
        "stage.changed": _l("Stage changed"),
        "focus_area.created": _l("Focus area created"),
        "focus_area.updated": _l("Focus area changed"),
        "space.created": _l("Space created"),
        "space.updated": _l("Space changed"),
        "cohort.created": _l("Cohort created"),
        "cohort.updated": _l("Cohort changed"),
        "cohort.copied": _l("Cohort set-up copied"),
        "round.created": _l("Round created"),
        "round.updated": _l("Round changed"),
        "round.phase_changed": _l("Round phase changed"),
        "rubric.created": _l("Rubric created"),
        "rubric.updated": _l("Rubric changed"),
        "rubric.copied": _l("Template copied into a round"),
        "rubric.shared": _l("Rubric shared with an earlier round"),
        "criterion.unlinked": _l("Criterion changed: no longer compared across gates"),
        "criterion.created": _l("Criterion added"),
        "criterion.updated": _l("Criterion changed"),
        "criterion.moved": _l("Criterion moved"),
        "criterion.deleted": _l("Criterion removed"),
        "startup.created": _l("Startup profile created"),
        "startup.updated": _l("Startup profile changed"),
        "team_member.saved": _l("Team member saved"),
        "team_member.removed": _l("Team member removed"),
        "application.started": _l("Application started"),
        "application.saved": _l("Application draft saved"),
        "application.deck_uploaded": _l("Pitch deck uploaded"),
        "application.submitted": _l("Application submitted"),
        "application.reopened": _l("Application reopened"),
        "application.withdrawn": _l("Application withdrawn"),
        "applications.imported": _l("Applications imported"),
        "decision.made": _l("Decision made"),
        "feedback.released": _l("Feedback released"),
        "feedback.withdrawn": _l("Feedback withdrawn"),
        "sheet.saved": _l("Score sheet saved"),
        "sheet.submitted": _l("Score sheet submitted"),
        "sheet.reopened": _l("Score sheet reopened"),
        "assignment.created": _l("Judge assigned"),
        "assignment.deleted": _l("Judge unassigned"),
        "assignments.auto": _l("Judges assigned automatically"),
        "assignments.bulk": _l("Judges assigned in bulk"),
        "conflict.declared": _l("Conflict of interest declared"),
        "conflict.marked": _l("Conflict of interest marked"),
        "conflict.removed": _l("Conflict of interest removed"),
        "judge.focus_areas_set": _l("Judge's focus areas set"),
        "round.judges_reminded": _l("Judges reminded"),
        "guest.pass_issued": _l("Guest judge's sign-in link issued"),
        "guest.signed_in": _l("Guest judge signed in with their link"),
        "guest.pass_refused": _l("Guest judge's sign-in link refused"),
        "guest.pass_revoked": _l("Guest judge's pass revoked"),
        "pitch_day.created": _l("Pitch day set up"),
        "pitch_day.updated": _l("Pitch day changed"),
        "pitch_day.ordered": _l("Pitches ordered"),
        "pitch_day.moved": _l("Pitch moved in the order"),
        "pitch_day.moved_on": _l("Stage moved on"),
        "pitch_day.judge_reminded": _l("Judge reminded on the pitch day"),
        "pitch_day.results_released": _l("Pitch-day results released"),
    }
)


def stage_label(code: str | None) -> str:
    return str(STAGE_LABELS.get(code, code or ""))


def phase_label(code: str) -> str:
    return str(PHASE_LABELS.get(code, code))


def ranking_basis_label(code: str) -> str:
    return str(RANKING_BASIS_LABELS.get(code, code))


def recommendation_label(code: str | None) -> str:
    return str(RECOMMENDATION_LABELS.get(code, code or ""))


def outcome_label(code: str | None) -> str:
    return str(OUTCOME_LABELS.get(code, code or ""))


def sheet_status_label(code: str) -> str:
    return str(SHEET_STATUS_LABELS.get(code, code))


def business_stage_label(code: str) -> str:
    return str(BUSINESS_STAGE_LABELS.get(code, code))


def legal_status_label(code: str) -> str:
    return str(LEGAL_STATUS_LABELS.get(code, code))


def role_label(code: str) -> str:
    return str(ROLE_LABELS.get(code, code))


def mail_status_label(code: str) -> str:
    return str(MAIL_STATUS_LABELS.get(code, code))


def audit_label(code: str) -> str:
    return str(AUDIT_LABELS.get(code, code))


def init_app(app: Flask) -> None:
    for func in (
        role_label,
        mail_status_label,
        audit_label,
        stage_label,
        phase_label,
        ranking_basis_label,
        business_stage_label,
        legal_status_label,
        recommendation_label,
        outcome_label,
        sheet_status_label,
    ):
        app.add_template_global(func)
        app.add_template_filter(func)
