"""Decisions from the ranking (preview, then confirm) and feedback released to founders."""

from flask import Blueprint

bp = Blueprint("decisions", __name__)
