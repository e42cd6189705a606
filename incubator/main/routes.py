"""Home page by role, and `/healthz` for load balancers and monitoring."""

from flask import Blueprint, jsonify, render_template
from flask_login import current_user
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from incubator.auth.access import public
from incubator.cohorts.routes import public_calls
from incubator.extensions import csrf, db, limiter

bp = Blueprint("main", __name__)


@bp.route("/")
@public
def home():
    """Anonymous visitors see the programme, its open calls and how to join; signed-in users their role's home."""
    if not current_user.is_authenticated:
        return render_template("main/welcome.html", calls=public_calls())
    return render_template("main/home.html")


@bp.route("/healthz")
@limiter.exempt
@csrf.exempt
@public
def healthz():
    """200 when the database answers, 503 with the reason when it does not."""
    try:
        db.session.execute(text("SELECT 1"))
    except SQLAlchemyError as exc:
        db.session.rollback()
        return jsonify(status="error", database="unreachable", detail=type(exc).__name__), 503
    return jsonify(status="ok")
