"""Where export files live (UPLOAD_FOLDER/exports/, never under static/) and how they are written."""

import os
import re
import tempfile
import time
from pathlib import Path

from flask import current_app

_SUFFIX = re.compile(r"\.[a-z0-9]{1,8}")


def exports_dir() -> Path:
    return Path(current_app.config["UPLOAD_FOLDER"]) / "exports"


def stored_name(job_id: str, file_name: str) -> str:
    """The file's name on disk: the job's id (server-made, URL-safe), plus the download name's suffix."""
    suffix = Path(file_name).suffix.lower()
    return job_id + (suffix if _SUFFIX.fullmatch(suffix) else "")


def write_atomically(name: str, data: bytes) -> None:
    """Write into a temporary file beside the target, then rename: a reader never sees half a file."""
    folder = exports_dir()
    folder.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=".tmp-", suffix=".part")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, folder / name)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def read(name: str) -> bytes | None:
    """The file's bytes, or None when it is gone (removed by the clean-up, or by hand)."""
    try:
        return (exports_dir() / Path(name).name).read_bytes()
    except FileNotFoundError:
        return None


def exists(name: str) -> bool:
    return (exports_dir() / Path(name).name).is_file()


def remove(name: str) -> None:
    (exports_dir() / Path(name).name).unlink(missing_ok=True)


def remove_orphans(known: set[str], older_than_hours: int) -> int:
    """Remove files no job points to (a crashed write, a row removed by hand) once they are old enough
    that no job can still be writing them."""
    folder = exports_dir()
    if not folder.is_dir():
        return 0
    limit = time.time() - older_than_hours * 3600
    removed = 0
    for path in folder.iterdir():
        if path.is_file() and path.name not in known and path.stat().st_mtime < limit:
            path.unlink(missing_ok=True)
            removed += 1
    return removed
