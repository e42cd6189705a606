"""The director's ranking, the explain view, judge statistics, and the CSV/XLSX exports."""

from flask import Blueprint

bp = Blueprint("ranking", __name__)
