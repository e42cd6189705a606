"""Pages of the kpis area."""

from flask import Blueprint

bp = Blueprint("kpis", __name__)
