"""Pitch day: the live mode of an open round in the room where founders pitch and judges score.

- models.py: the pitch day of a round (room, start, slot length, language, who is pitching now),
  its slots in order, and the director's reminders to judges;
- clock.py: the slot's countdown (pure logic);
- services.py: the writes (set-up, order, Start/Next/Back/Pause, reminders, releasing results);
- board.py: what the pages read (the live board in a constant number of queries, a judge's
  pitches, the schedule, the released results);
- routes.py (director) and judge_routes.py (judges and founders), on the `pitchday` blueprint.

Scores are the scoring sheets' own (judging.sheets.services); results are the round's stored
results (judging.ranking.results), never computed here.
"""
