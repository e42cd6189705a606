"""Checking and importing a kept file as background jobs (incubator.jobs), so that no request waits
for 5,000 rows: the page redirects to the job's page, which shows the rows checked or imported
while it runs (reloading itself without JavaScript) and the outcome when it is done.

A job's file is its outcome as JSON (the problems of every row, the counts), kept as long as any
export; `check_result` and `import_result` read it back for the job's page.
"""

import json
from datetime import datetime
from typing import Any

from flask_babel import lazy_gettext as _l

from incubator.applications import import_messages, importer, importing
from incubator.applications.importer import Counts, Problem, RowResult
from incubator.auth.models import User
from incubator.cohorts.models import Cohort
from incubator.core.errors import ServiceError
from incubator.extensions import db
from incubator.jobs import files
from incubator.jobs.registry import register

CHECK = "import_check"
IMPORT = "import_applications"
JSON_TYPE = "application/json"
# Rows written and committed at a time: other writers (judges scoring, on SQLite) get their turn
# between two chunks, and the page shows the rows imported so far. An import cut short is safe to
# run again: rows already imported are skipped.
IMPORT_CHUNK = 250


def job_params(cohort: Cohort, token: str, mapping: importer.ColumnMap) -> dict[str, Any]:
    """What a check or an import job reads: the cohort, the kept file, and the column of each field."""
    return {"cohort_id": cohort.id, "token": token, "mapping": {key: mapping.get(key) for key in importer.FIELD_KEYS}}


def _inputs(job) -> tuple[Cohort, importer.Table, dict]:
    cohort = db.session.get(Cohort, job.params["cohort_id"])
    if cohort is None:
        raise ServiceError(_l("This cohort no longer exists."))
    try:
        table = importing.load_table(job.params["token"])
    except FileNotFoundError:
        raise ServiceError(
            _l("The uploaded file is no longer kept (it was imported, or a day has passed). Upload it again.")
        ) from None
    return cohort, table, job.params["mapping"]


# --- the outcome as JSON, and back ------------------------------------------------------------------


def _plain(value):
    return {"datetime": value.isoformat()} if isinstance(value, datetime) else value


def _unplain(value):
    return datetime.fromisoformat(value["datetime"]) if isinstance(value, dict) and "datetime" in value else value


def _problem(p: Problem) -> dict:
    params = {k: _plain(v) for k, v in p.params.items()}
    return {
        "field": p.field,
        "code": p.code,
        "column": p.column,
        "value": p.value,
        "warning": p.warning,
        "params": params,
    }


def dump_check(checked: importing.Checked, headers: tuple[str, ...]) -> bytes:
    """The check's outcome: the counts, and the rows with a problem or a warning (the others need no line)."""
    return json.dumps(
        {
            "headers": list(headers),
            "counts": checked.counts._asdict(),
            "already_imported": checked.already_imported,
            "rows": [
                {"number": r.number, "problems": [_problem(p) for p in r.problems]}
                for r in checked.results
                if r.problems
            ],
        },
        ensure_ascii=False,
    ).encode()


def load_check(data: bytes) -> tuple[importing.Checked, tuple[str, ...]]:
    outcome = json.loads(data)
    results = [
        RowResult(
            row["number"],
            {},
            [Problem(**{**p, "params": {k: _unplain(v) for k, v in p["params"].items()}}) for p in row["problems"]],
        )
        for row in outcome["rows"]
    ]
    checked = importing.Checked(results, Counts(**outcome["counts"]), outcome["already_imported"])
    return checked, tuple(outcome["headers"])


# --- the jobs ---------------------------------------------------------------------------------------


def check_result(job) -> dict | None:
    """The check job's page: the counts, every problem, and the button that imports (see imports/_checked.html)."""
    data = files.read(job.file_path)
    if data is None:
        return None
    checked, headers = load_check(data)
    cohort = db.session.get(Cohort, job.params["cohort_id"])
    if cohort is None:
        return None
    return {
        "template": "imports/_checked.html",
        "stylesheet": "css/imports.css",
        "cohort": cohort,
        "checked": checked,
        "headers": headers,
        "token": job.params["token"],
        "mapping": job.params["mapping"],
        "fields": importer.FIELDS,
        # The mapping page's query string that chooses these columns again.
        "mapping_args": {k: "" if v is None else v for k, v in job.params["mapping"].items()},
        "column_letter": importer.column_letter,
        "field_labels": import_messages.FIELD_LABELS,
        "problem_message": import_messages.problem_message,
    }


def import_result(job) -> dict | None:
    """The import job's page: the counts (see imports/_imported.html)."""
    data = files.read(job.file_path)
    cohort = db.session.get(Cohort, job.params["cohort_id"])
    if data is None or cohort is None:
        return None
    return {
        "template": "imports/_imported.html",
        "stylesheet": "css/imports.css",
        "cohort": cohort,
        "outcome": importing.ImportResult(**json.loads(data)),
    }


@register(
    CHECK, label=_l("Check of an import"), progress_label=_l("%(done)s of %(total)s rows checked"), result=check_result
)
def check_job(job, progress):
    """Check every row of the kept file against the cohort; writes nothing but the outcome file."""
    cohort, table, mapping = _inputs(job)
    progress(0, len(table.rows))
    checked = importing.check(cohort, table, mapping, progress=progress)
    return dump_check(checked, table.headers), "import-check.json", JSON_TYPE


@register(
    IMPORT,
    label=_l("Import of applications"),
    progress_label=_l("%(done)s of %(total)s rows imported"),
    result=import_result,
)
def import_job(job, progress):
    """Import the valid rows of the kept file, IMPORT_CHUNK rows per transaction; the kept file is
    held while it runs (a second import of it cannot start) and removed once all is in."""
    cohort, table, mapping = _inputs(job)
    actor = db.session.get(User, job.created_by_id)
    try:
        with importing.claimed_upload(job.params["token"]):
            valid, invalid = importing.valid_rows(cohort, table, mapping)
            imported = invited = 0
            progress(0, len(valid))
            for start in range(0, len(valid), IMPORT_CHUNK):
                chunk_imported, chunk_invited = importing.import_rows(
                    cohort, valid[start : start + IMPORT_CHUNK], actor
                )
                db.session.commit()
                imported, invited = imported + chunk_imported, invited + chunk_invited
                progress(min(start + IMPORT_CHUNK, len(valid)), len(valid))
            result = importing.ImportResult(imported, len(valid) - imported, invalid, invited)
            importing.record_import(cohort, actor, len(valid) + invalid, result)
            db.session.commit()
    except FileNotFoundError:  # held by another import of the same file
        raise ServiceError(_l("This file is being imported already.")) from None
    return json.dumps(result._asdict()).encode(), "import.json", JSON_TYPE
