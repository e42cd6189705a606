"""Director pages for spaces, focus areas and cohorts; the public call pages."""

from flask import Blueprint

bp = Blueprint("cohorts", __name__)
