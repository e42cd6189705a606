"""A judge's queue and scoring page; the director's sheet reopening and reminders."""

from flask import Blueprint

bp = Blueprint("scoring", __name__)
