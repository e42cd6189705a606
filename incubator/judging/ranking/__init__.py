"""A round's results. results.py is the one writer of the stored results (raw and normalised scores,
ranks, flags, judge statistics), refreshed in the transaction of every change that can move them and
frozen once the round is decided; compute.py loads a round and computes its full ranking through
scoring.py; standings.py pages the stored ranking in SQL; statistics.py and exports.py shape judge
statistics and the CSV/XLSX rows. routes.py holds the ranking, explain view, judge statistics and
exports, on the `ranking` blueprint."""
