"""After scoring: the director's decisions from the ranking, one by one or in bulk (top N, above a
score), always previewed then confirmed, each moving the startup's stage and queuing its e-mail
(services.py; the bulk helpers, which never choose unscored or incomplete applications: bulk.py);
and the feedback released to founders, judges lettered (feedback.py). routes.py holds those pages
and closing a round, on the `decisions` blueprint."""
