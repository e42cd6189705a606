"""The judging blueprints and the modules that put pages on them.

Their names are part of every `url_for` and so stay as they are (CONTRACT.md keeps the URLs):
`judging` (rounds and rubrics), `assignments` (assignments, and conflicts of interest), `scoring`
(a judge's queue and scoring page, the director's sheets and reminders), `ranking` (ranking,
explain view, judge statistics, exports) and `decisions` (decisions, closing, feedback); `guests`
(guest judges: the director's list and cards, and the public sign-in link) came later.
"""

from flask import Blueprint, Flask

judging = Blueprint("judging", __name__)
assignments = Blueprint("assignments", __name__)
# cli_group=None: `flask send-reminders` sits next to the other commands, not under `flask scoring`.
scoring = Blueprint("scoring", __name__, cli_group=None)
ranking = Blueprint("ranking", __name__)
decisions = Blueprint("decisions", __name__)
guests = Blueprint("guests", __name__)


def register(app: Flask) -> None:
    """Import every judging routes module (each adds its pages to one blueprint), then register them."""
    from incubator.judging.assignments import routes as _assignment_pages  # noqa: F401
    from incubator.judging.conflicts import routes as _conflict_pages  # noqa: F401
    from incubator.judging.decisions import routes as _decision_pages  # noqa: F401
    from incubator.judging.guests import routes as _guest_pages  # noqa: F401
    from incubator.judging.guests import session as guest_sessions
    from incubator.judging.ranking import routes as _ranking_pages  # noqa: F401
    from incubator.judging.rounds import routes as _round_pages  # noqa: F401
    from incubator.judging.rounds import rubric_routes as _rubric_pages  # noqa: F401
    from incubator.judging.sheets import director_routes as _sheet_list_pages  # noqa: F401
    from incubator.judging.sheets import routes as _scoring_pages  # noqa: F401

    for blueprint in (judging, assignments, scoring, ranking, decisions, guests):
        app.register_blueprint(blueprint)
    guest_sessions.init_app(app)
