"""Pages of the milestones area."""

from flask import Blueprint

bp = Blueprint("milestones", __name__)
