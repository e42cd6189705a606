"""Director pages for assigning judges and handling conflicts of interest; judges declare conflicts."""

from flask import Blueprint

bp = Blueprint("assignments", __name__)
