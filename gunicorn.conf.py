"""gunicorn's settings, read by `gunicorn wsgi:app` started in this folder. The number of workers
and threads stays on the command line (docs/deploy.md).

A worker takes a connection only when one of its threads is free to answer it, and answers one
request per connection. A Python worker runs one thread at a time, so the connections a worker
holds are the load it carries. With keep-alive, a connection stays with the worker that first
accepted it, whether that worker is busy or not: in bench/web.py, 13 of 16 connections once sat
on one of two workers while the other idled, and that page's p95 went from about 100 ms to
161 ms. Here a waiting connection goes to whichever worker has a thread free, as it would with
sync workers, while a slow request (a CSV import) still holds only one thread. Browsers keep
their connections alive to nginx in front, which opens one to gunicorn per request anyway.
"""

keepalive = 0  # one request per connection


def on_starting(server):
    """Threaded workers accept as many connections as they have threads, unless
    --worker-connections says otherwise."""
    setting = server.cfg.settings["worker_connections"]
    if server.cfg.worker_class.__name__ == "ThreadWorker" and setting.value == setting.default:
        server.cfg.set("worker_connections", server.cfg.threads)
