"""The outbox: every e-mail is kept, then sent by SMTP when a server is configured."""
