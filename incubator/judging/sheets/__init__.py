"""Score sheets. services.py is the one writer of a sheet (draft saves, submission, reopening), safe
against two tabs, double clicks and a round closing meanwhile; queue.py reads a judge's work in a
round; reminders.py e-mails judges with work left (also `flask send-reminders`). routes.py is the
judge's queue and scoring page, director_routes.py the director's sheet list, reopening and
reminders, both on the `scoring` blueprint. Who may score is judging.permissions.can_score."""
