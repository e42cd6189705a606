"""Pages of the mentoring area."""

from flask import Blueprint

bp = Blueprint("mentoring", __name__)
