"""Job kinds: a name bound to the function that makes the file.

A job function is `fn(job, progress) -> (data, file_name, mimetype)`: it reads what it needs
from `job.params` (and `job.created_by`), calls `progress(done, total)` as it goes, and
returns the file's bytes, the name the browser saves it under, and its MIME type. It runs
inside an app and request context in the starter's language (`job.locale`).

Kinds must be registered in a module that `create_app()` imports (e.g. one imported by a
blueprint's routes), so that a worker process that builds its own app knows them too.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from incubator.jobs.models import ExportJob

Progress = Callable[[int, int], None]
JobFunction = Callable[["ExportJob", Progress], tuple[bytes, str, str]]


@dataclass(frozen=True)
class Kind:
    name: str
    function: JobFunction
    label: object  # a lazy translated string, shown on the job pages
    # "%(done)s of %(total)s rows checked": what the progress counts (default: "%(done)s of %(total)s").
    progress_label: object = None
    # A job whose file is an outcome to show, not to download: `result(job)` gives the template to
    # include in the job's page in place of the download link ("template"), an optional
    # "stylesheet", and what the template reads; None when the outcome is gone.
    result: Callable[["ExportJob"], dict | None] | None = None


_KINDS: dict[str, Kind] = {}


def register(kind: str, label=None, *, progress_label=None, result=None) -> Callable[[JobFunction], JobFunction]:
    """Decorator: `@register("scorecards", label=_l("Scorecards of a round"))` over a job function."""

    def decorator(fn: JobFunction) -> JobFunction:
        _KINDS[kind] = Kind(kind, fn, label or kind, progress_label, result)
        return fn

    return decorator


def get(kind: str) -> Kind | None:
    return _KINDS.get(kind)


def kind_label(kind: str) -> str:
    found = _KINDS.get(kind)
    return str(found.label) if found else kind
