"""Consent before continuing: an applicant who accepted an older version of the privacy notice is
sent to the consent page at their next page view (after signing in, or when the version changes
during a session), and an applicant who never accepted it is sent there before applying.

Only page views (GET) are stopped, besides applying: a form posted from a page already open (a
draft being saved) goes through, so nothing typed is lost; the next page asks."""

from flask import Flask, redirect, request, url_for
from flask_login import current_user

from incubator.auth.models import Role
from incubator.privacy import notice
from incubator.privacy.labels import source_label, status_label
from incubator.privacy.services import latest_consent

APPLY = "applications.apply"
# Pages that stay open without the current consent: the notice and consent page themselves,
# signing out, and the data page (a person who does not accept may still download or ask for deletion).
OPEN = {
    "static",
    "main.healthz",
    "auth.logout",
    "privacy.notice_page",
    "privacy.consent",
    "privacy.account",
    "privacy.download",
    "privacy.request_deletion",
    "privacy.cancel_deletion",
}


def _consent_first():
    if request.endpoint in OPEN or request.endpoint is None or not current_user.is_authenticated:
        return None
    applying = request.endpoint == APPLY
    if not (applying or request.method == "GET") or not current_user.has_role(Role.APPLICANT):
        return None
    latest = latest_consent(current_user)
    if latest is not None and latest.version == notice.VERSION:
        return None
    if latest is None and not applying:
        return None  # accounts from before consent was asked, or imported: asked when they apply
    if applying and not _call_is_open():
        return None  # the apply page answers 404 itself: ask nothing about a call that is not there
    target = request.full_path.rstrip("?") if request.method == "GET" else request.path
    return redirect(url_for("privacy.consent", next=target))


def _call_is_open() -> bool:
    from incubator.cohorts.models import Cohort
    from incubator.extensions import db

    cohort = db.session.get(Cohort, (request.view_args or {}).get("cohort_id", 0))
    return cohort is not None and cohort.call_is_public()


def init_app(app: Flask) -> None:
    app.before_request(_consent_first)
    app.context_processor(
        lambda: {
            "privacy_version": notice.VERSION,
            "privacy_status_label": status_label,
            "consent_source_label": source_label,
        }
    )
