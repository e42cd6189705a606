"""WSGI entry point: `gunicorn wsgi:app`, `flask --app wsgi ...`."""

import gc

from incubator import create_app

app = create_app()

# The app's own objects (modules, mappers, forms, the routing map: some 200,000 of them) live as
# long as the process. Frozen, the garbage collector no longer walks them in every full
# collection: under load a full collection stopped a web worker for 120-240 ms, and now for
# 20-30 ms.
gc.collect()
gc.freeze()
