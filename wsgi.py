"""WSGI entry point: `gunicorn wsgi:app`, `flask --app wsgi ...`."""

from incubator import create_app

app = create_app()
