"""The backup archive, without Flask or a database: a gzip-compressed tar holding

- `manifest.json`: format and version, creation time (UTC), the database kind, the
  Alembic revision of the schema, and every other member with its size and SHA-256;
- `database.sqlite3` (an SQLite copy) or `database.pgdump` (`pg_dump --format=custom`);
- `uploads/...`: the uploaded files (pitch decks), by their path under UPLOAD_FOLDER.

Reading checks everything before anything is restored: a corrupt archive, an unknown
format, a member that is not listed, a listed one that is missing or whose size or
checksum differs are all refused with a BackupError.
"""

import hashlib
import io
import json
import shutil
import tarfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath

FORMAT = "hetero-incubator-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
UPLOADS = "uploads"
DATABASE_FILES = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
CHUNK = 1024 * 1024


class BackupError(Exception):
    """A backup that cannot be made or restored; the message says why, for the operator."""


@dataclass
class Member:
    """One file of the archive: its path inside it, and its size and checksum."""

    path: str
    size: int
    sha256: str

    def as_dict(self) -> dict:
        return {"path": self.path, "size": self.size, "sha256": self.sha256}


@dataclass
class Manifest:
    """What a backup holds (see the module docstring)."""

    database_kind: str
    migration_revision: str
    created_at: str = field(default_factory=lambda: datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"))
    files: list[Member] = field(default_factory=list)
    format: str = FORMAT
    format_version: int = FORMAT_VERSION

    @property
    def database_file(self) -> str:
        return DATABASE_FILES[self.database_kind]

    @property
    def upload_files(self) -> list[Member]:
        return [m for m in self.files if m.path.startswith(UPLOADS + "/")]

    def as_dict(self) -> dict:
        return {
            "format": self.format,
            "format_version": self.format_version,
            "created_at": self.created_at,
            "database": {"kind": self.database_kind, "file": self.database_file},
            "migration_revision": self.migration_revision,
            "files": [m.as_dict() for m in self.files],
        }

    @classmethod
    def from_json(cls, raw: bytes) -> "Manifest":
        """Parse and check a manifest; anything unexpected is a BackupError."""
        try:
            data = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as exc:
            raise BackupError(f"The manifest is not valid JSON: {exc}") from None
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise BackupError("This file is not a Hetero Incubator backup (unknown manifest format).")
        if data.get("format_version") != FORMAT_VERSION:
            raise BackupError(
                f"Backup format version {data.get('format_version')!r} is not supported "
                f"(this version of the app reads version {FORMAT_VERSION})."
            )
        try:
            kind = data["database"]["kind"]
            if kind not in DATABASE_FILES or data["database"]["file"] != DATABASE_FILES[kind]:
                raise BackupError(f"The manifest names an unknown database kind: {kind!r}.")
            files = [Member(str(f["path"]), int(f["size"]), str(f["sha256"])) for f in data["files"]]
            manifest = cls(
                database_kind=kind,
                migration_revision=str(data["migration_revision"]),
                created_at=str(data["created_at"]),
                files=files,
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise BackupError(f"The manifest is incomplete or malformed ({exc!r}).") from None
        paths = [m.path for m in files]
        if len(set(paths)) != len(paths):
            raise BackupError("The manifest lists a file twice.")
        for path in paths:
            check_member_path(path)
        if manifest.database_file not in paths:
            raise BackupError("The manifest does not list the database file.")
        return manifest


def check_member_path(path: str) -> None:
    """Only plain relative paths: the database file, or a file under uploads/ (no `..`, no absolute path)."""
    pure = PurePosixPath(path)
    if (
        not path
        or "\\" in path
        or "\x00" in path
        or pure.is_absolute()
        or any(part in ("", ".", "..") for part in path.split("/"))
        or not (path in DATABASE_FILES.values() or (pure.parts[0] == UPLOADS and len(pure.parts) > 1))
    ):
        raise BackupError(f"Refused: unexpected path in the backup: {path!r}.")


def file_digest(path: Path) -> tuple[int, str]:
    """Size and SHA-256 of a file."""
    digest = hashlib.sha256()
    size = 0
    with path.open("rb") as stream:
        while chunk := stream.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return size, digest.hexdigest()


def write_archive(out: Path, manifest: Manifest, sources: Iterable[tuple[str, Path]]) -> None:
    """Write the archive to `out` (through a temporary file next to it, then renamed): the manifest
    first, then each (archive path, file) of `sources`, whose sizes and checksums go in the manifest
    (an upload that disappeared meanwhile is left out)."""
    manifest.files = []
    kept = []
    for arcname, source in sources:
        check_member_path(arcname)
        try:
            size, sha = file_digest(source)
        except FileNotFoundError:
            if arcname.startswith(UPLOADS + "/"):
                continue  # an upload deleted while the backup runs (a replaced deck) is not needed
            raise
        manifest.files.append(Member(arcname, size, sha))
        kept.append((arcname, source))
    partial = out.with_name(f".{out.name}.partial")
    try:
        with tarfile.open(partial, "w:gz") as tar:
            raw = json.dumps(manifest.as_dict(), indent=2, sort_keys=True).encode("utf-8")
            info = tarfile.TarInfo(MANIFEST)
            info.size = len(raw)
            info.mtime = int(datetime.now(UTC).timestamp())
            info.mode = 0o600
            tar.addfile(info, io.BytesIO(raw))
            for (arcname, source), member in zip(kept, manifest.files, strict=True):
                info = tarfile.TarInfo(arcname)
                info.size = member.size
                info.mtime = int(source.stat().st_mtime)
                info.mode = 0o600
                with source.open("rb") as stream:
                    tar.addfile(info, stream)
        partial.replace(out)
    finally:
        partial.unlink(missing_ok=True)


def read_archive(path: Path, into: Path) -> Manifest:
    """Check the archive at `path` and extract its files under the folder `into` (which must exist).
    Returns the manifest once every member matches it; raises BackupError otherwise."""
    if not path.is_file():
        raise BackupError(f"No backup file at {path}.")
    try:
        with tarfile.open(path, "r:gz") as tar:
            first = tar.next()
            if first is None or first.name != MANIFEST or not first.isfile():
                raise BackupError("The archive does not start with its manifest: not a backup made by `flask backup`.")
            manifest = Manifest.from_json(tar.extractfile(first).read())
            expected = {m.path: m for m in manifest.files}
            seen: set[str] = set()
            for info in tar:
                if info is first:
                    continue
                member = expected.get(info.name)
                if member is None or not info.isfile() or info.name in seen:
                    raise BackupError(f"Refused: the archive holds {info.name!r}, which its manifest does not list.")
                seen.add(info.name)
                _extract_checked(tar, info, member, into)
    except (tarfile.TarError, EOFError, OSError, UnicodeDecodeError) as exc:
        raise BackupError(f"The backup file is corrupt or not a .tar.gz archive: {exc}") from None
    missing = sorted(set(expected) - seen)
    if missing:
        raise BackupError(f"The archive is incomplete: missing {', '.join(missing)}.")
    return manifest


def _extract_checked(tar: tarfile.TarFile, info: tarfile.TarInfo, member: Member, into: Path) -> None:
    target = into.joinpath(*PurePosixPath(member.path).parts)
    target.parent.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    size = 0
    source = tar.extractfile(info)
    with target.open("wb") as out:
        while chunk := source.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
            out.write(chunk)
    if size != member.size or digest.hexdigest() != member.sha256:
        raise BackupError(f"Checksum mismatch for {member.path}: the backup is damaged or was altered.")


def replace_folder_contents(folder: Path, new: Path, keep: Iterable[str]) -> None:
    """Make `folder` hold what `new` holds, leaving its top-level entries named in `keep` alone.
    The old entries are moved aside first, and only deleted once the new ones are in place."""
    keep = set(keep)
    folder.mkdir(parents=True, exist_ok=True)
    aside = folder / f".before-restore-{datetime.now(UTC).strftime('%Y%m%d%H%M%S%f')}"
    aside.mkdir()
    try:
        for entry in list(folder.iterdir()):
            if entry.name in keep or entry == aside or entry.name.startswith(".restore-"):
                continue
            entry.rename(aside / entry.name)
        if new.exists():
            for entry in new.iterdir():
                entry.rename(folder / entry.name)
    except OSError:
        for entry in aside.iterdir():  # put back what was there
            if not (folder / entry.name).exists():
                entry.rename(folder / entry.name)
        raise
    finally:
        shutil.rmtree(aside, ignore_errors=True)
