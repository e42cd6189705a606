"""Access cases for the ranking, the explain view, judge statistics and the exports: directors only.

The world's draft round ranks {application_id} (submitted, at the stage the round decides); a
missing round or an application outside the round answers 404.
"""

from tests.access_cases import director_only

PUBLIC = set()

CASES = [
    ("GET", "/rounds/{round_id}/ranking", director_only()),
    ("GET", "/rounds/999999/ranking", director_only(404)),
    ("GET", "/rounds/{round_id}/applications/{application_id}/explain", director_only()),
    ("GET", "/rounds/{round_id}/applications/999999/explain", director_only(404)),
    ("GET", "/rounds/999999/applications/{application_id}/explain", director_only(404)),
    ("GET", "/rounds/{round_id}/judges", director_only()),
    ("GET", "/rounds/999999/judges", director_only(404)),
    ("GET", "/rounds/{round_id}/ranking.csv", director_only()),
    ("GET", "/rounds/999999/ranking.csv", director_only(404)),
    ("GET", "/rounds/{round_id}/scores.csv", director_only()),
    ("GET", "/rounds/999999/scores.csv", director_only(404)),
    ("GET", "/rounds/{round_id}/ranking.xlsx", director_only()),
    ("GET", "/rounds/999999/ranking.xlsx", director_only(404)),
    ("GET", "/rounds/{round_id}/scores.xlsx", director_only()),
    ("GET", "/rounds/999999/scores.xlsx", director_only(404)),
]
