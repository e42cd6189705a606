"""Conflicts of interest. rules.py is the rule for conflicts found in the data (the judge owns or
mentors the startup, is on its team, or shares a non-public e-mail domain with it); found.py
stores them (models.py), called by the writers of the team, mentoring and accounts; detection.py
reads them and says why a judge may not judge an application; services.py records a judge's
declaration and a director's mark or its removal, each refreshing the round's stored results.
routes.py holds the director's conflicts page and the judge's declaration, on the `assignments`
blueprint."""
