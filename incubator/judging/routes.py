"""Director pages for rounds and rubrics."""

from flask import Blueprint

bp = Blueprint("judging", __name__)
