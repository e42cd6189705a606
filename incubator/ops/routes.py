"""The operator's commands `flask backup --out PATH` and `flask restore PATH` (no HTTP routes)."""

from pathlib import Path

import click
from flask import Blueprint

from incubator.ops.archive import BackupError, Manifest
from incubator.ops.backup import create_backup, restore_backup

bp = Blueprint("ops", __name__, cli_group=None)


def _size(manifest: Manifest) -> str:
    total = sum(m.size for m in manifest.files)
    return f"{total / 1024 / 1024:.1f} MB" if total >= 1024 * 1024 else f"{total / 1024:.1f} KB"


@bp.cli.command("backup")
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False, path_type=Path), help="Archive to write.")
@click.option("--force", is_flag=True, help="Overwrite PATH if it exists.")
def backup_command(out: Path, force: bool):
    """Write a consistent copy of the database and the uploaded files to one .tar.gz archive."""
    try:
        manifest = create_backup(out, force=force)
    except BackupError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(
        f"Backup written to {out}: {manifest.database_kind} database at revision {manifest.migration_revision}, "
        f"{len(manifest.upload_files)} uploaded files, {_size(manifest)} before compression."
    )


@bp.cli.command("restore")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def restore_command(path: Path, yes: bool):
    """Replace the database and the uploaded files with those of a backup made by `flask backup`,
    then upgrade the schema. Stop the app (web and workers) first."""

    def confirm(manifest: Manifest) -> bool:
        click.echo(
            f"Backup of {manifest.created_at} ({manifest.database_kind}, revision {manifest.migration_revision}, "
            f"{len(manifest.upload_files)} uploaded files) checked."
        )
        return yes or click.confirm("This REPLACES the current database and uploaded files. Continue?", default=False)

    try:
        manifest = restore_backup(path, confirm=confirm)
    except BackupError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"Restored the backup of {manifest.created_at}; the schema is up to date.")
