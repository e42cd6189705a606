"""`flask purge-expired [--dry-run]`: erase the personal data kept past its retention period."""

import click
from flask import current_app
from flask.cli import with_appcontext

from incubator.audit.services import record
from incubator.core.database import utcnow
from incubator.extensions import db
from incubator.privacy import erasure, retention


@click.command("purge-expired")
@click.option("--dry-run", is_flag=True, help="Only print what would be erased.")
@click.option("--months", type=click.IntRange(min=1), help="Override RETENTION_MONTHS for this run.")
@with_appcontext
def purge_expired_command(dry_run: bool, months: int | None):
    """Erase the personal data of applications not selected (or withdrawn, or left as drafts) more
    than RETENTION_MONTHS months ago (24 by default); prints what it does first."""
    months = months or current_app.config["RETENTION_MONTHS"]
    cutoff = retention.months_before(utcnow(), months)
    expired = retention.expired_applications(cutoff)
    expiring = {e.application_id for e in expired}
    startups = retention.startups_to_erase({e.startup_id for e in expired}, expiring)
    click.echo(f"Retention: {months} months; outcomes before {cutoff:%Y-%m-%d %H:%M} UTC have expired.")
    for entry in expired:
        click.echo(f"application\t{entry.application_id}\t{entry.ended}\t{entry.cohort}\t{entry.startup}")
    for startup in startups:
        click.echo(f"startup\t{startup.id}\t{startup.name}")
    click.echo(f"{len(expired)} application(s) and {len(startups)} startup profile(s) to erase.")
    if dry_run:
        click.echo("Dry run: nothing was changed.")
        return
    if not expired:
        return
    try:
        _, erased_startups, counts = retention.purge(cutoff)
        record(
            "privacy.retention_erased",
            None,
            applications=counts["applications"],
            startups=len(erased_startups),
            decks=counts["decks"],
        )
        db.session.commit()
    except Exception:
        db.session.rollback()
        erasure.forget_pending_files()
        raise
    erasure.remove_files_after_commit()
    click.echo(
        f"Erased {counts['applications']} application(s), {len(erased_startups)} startup profile(s), "
        f"{counts['decks']} deck(s)."
    )
