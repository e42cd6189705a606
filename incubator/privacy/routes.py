"""The privacy notice, consent, an applicant's data page (download, deletion request), and the
directors' review of deletion requests."""

from functools import wraps
from urllib.parse import urlsplit

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import case, select

from incubator.auth.access import login_required, public, roles_required
from incubator.auth.models import Role
from incubator.core.database import utcnow
from incubator.core.errors import ServiceError
from incubator.core.i18n import current_language
from incubator.core.pagination import requested_page
from incubator.extensions import db
from incubator.privacy import erasure, notice, services
from incubator.privacy.export import write_zip
from incubator.privacy.forms import ConsentForm, DecisionForm, DeletionRequestForm
from incubator.privacy.models import DeletionRequest

bp = Blueprint("privacy", __name__)
applicant_only = roles_required(Role.APPLICANT)


def director_or_404(view):
    """Directors only; to everyone else signed in the page does not exist."""
    inner = login_required(view)

    @wraps(view)
    def wrapped(*args, **kwargs):
        if current_user.is_authenticated and not current_user.is_director:
            abort(404)
        return inner(*args, **kwargs)

    wrapped.access = ("roles", (Role.DIRECTOR,))
    return wrapped


def safe_next(target: str | None) -> str:
    """Only same-site paths, never another host."""
    if target:
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc and target.startswith("/") and not target.startswith("//"):
            return target
    return url_for("main.home")


@bp.route("/privacy")
@public
def notice_page():
    """The privacy notice in the reader's language: what is kept, why, for how long, and their rights."""
    return render_template(
        "privacy/notice.html",
        notice_template=notice.notice_template(current_language()),
        version=notice.VERSION,
        effective=notice.EFFECTIVE,
        months=current_app.config["RETENTION_MONTHS"],
    )


@bp.route("/privacy/consent", methods=["GET", "POST"])
@login_required
def consent():
    """Accept the current notice: before applying the first time, and again when its version changed."""
    latest = services.latest_consent(current_user)
    form = ConsentForm(next=request.args.get("next", ""))
    if form.validate_on_submit():
        source = "sign_in" if latest is not None else "apply"
        services.record_consent(current_user, source, current_language())
        db.session.commit()
        flash(_("Thank you: your consent to the privacy notice is recorded."), "success")
        return redirect(safe_next(form.next.data))
    return render_template(
        "privacy/consent.html",
        form=form,
        latest=latest,
        notice_template=notice.notice_template(current_language()),
        version=notice.VERSION,
        effective=notice.EFFECTIVE,
        months=current_app.config["RETENTION_MONTHS"],
    )


@bp.route("/account/privacy")
@applicant_only
def account():
    """Your data: consents given, the download, and deletion (asked, pending, answered)."""
    return _account_page(DeletionRequestForm())


def _account_page(form: DeletionRequestForm, status: int = 200):
    return (
        render_template(
            "privacy/account.html",
            consents=services.consent_history(current_user),
            current_version=notice.VERSION,
            requests=services.user_requests(current_user),
            pending=services.pending_request(current_user),
            may_request=services.can_request_deletion(current_user),
            form=form,
        ),
        status,
    )


@bp.route("/account/privacy/data.zip")
@applicant_only
def download():
    """Everything the product holds about you, as one ZIP (JSON, CSV and your decks)."""
    now = utcnow()
    archive = write_zip(current_user, now)
    response = send_file(
        archive,
        mimetype="application/zip",
        as_attachment=True,
        download_name=f"hetero-incubator-data-{now:%Y%m%d}.zip",
    )
    response.headers["Cache-Control"] = "private, no-store"
    response.call_on_close(archive.close)
    return response


@bp.route("/account/privacy/deletion", methods=["POST"])
@applicant_only
def request_deletion():
    """Ask for your personal data to be erased; a director answers."""
    form = DeletionRequestForm()
    if not form.validate_on_submit():
        return _account_page(form, 400)
    try:
        services.request_deletion(current_user, form.reason.data or "")
    except ServiceError as exc:
        db.session.rollback()
        form.form_errors.append(str(exc.message))
        return _account_page(form, 400)
    db.session.commit()
    flash(_("Your request is sent. A director will review it; you can follow it on this page."), "success")
    return redirect(url_for("privacy.account"))


@bp.route("/account/privacy/deletion/<int:request_id>/cancel", methods=["POST"])
@applicant_only
def cancel_deletion(request_id: int):
    """Withdraw your own pending request."""
    deletion = db.session.get(DeletionRequest, request_id)
    if deletion is None or deletion.user_id != current_user.id:
        abort(404)
    try:  # CSRFProtect has checked the form's token
        services.cancel_request(deletion, current_user)
    except ServiceError as exc:
        db.session.rollback()
        flash(str(exc.message), "error")
    else:
        db.session.commit()
        flash(_("Your deletion request is withdrawn."), "success")
    return redirect(url_for("privacy.account"))


# --- directors -----------------------------------------------------------------------------------


@bp.route("/privacy/requests")
@director_or_404
def requests():
    """Deletion requests: pending first (oldest first), then the answered ones, newest first."""
    pending_first = case((DeletionRequest.status == "pending", 0), else_=1)
    query = select(DeletionRequest).order_by(
        pending_first,
        case((DeletionRequest.status == "pending", DeletionRequest.requested_at), else_=None),
        DeletionRequest.id.desc(),
    )
    page = db.paginate(query, page=requested_page(), per_page=current_app.config["PER_PAGE"], error_out=False)
    return render_template("privacy/requests.html", page=page)


@bp.route("/privacy/requests/<int:request_id>", methods=["GET", "POST"])
@director_or_404
def review(request_id: int):
    """One request: what would be removed, and Approve (erases now) or Refuse with a reason."""
    deletion = db.get_or_404(DeletionRequest, request_id)
    form = DecisionForm()
    if deletion.is_pending and form.validate_on_submit():
        try:
            if form.approve.data:
                services.approve_request(deletion, form.reason.data or "", current_user)
            else:
                services.refuse_request(deletion, form.reason.data or "", current_user)
        except ServiceError as exc:
            db.session.rollback()
            erasure.forget_pending_files()
            form.form_errors.append(str(exc.message))
        else:
            db.session.commit()
            erasure.remove_files_after_commit()
            if deletion.status == "approved":
                flash(_("The personal data is erased. The audit trail records it, without the data."), "success")
            else:
                flash(_("The request is refused; the applicant sees your reason."), "success")
            return redirect(url_for("privacy.review", request_id=deletion.id))
    shown = erasure.preview(deletion.user) if deletion.is_pending and deletion.user else None
    return render_template("privacy/review.html", deletion=deletion, form=form, shown=shown)
