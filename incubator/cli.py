"""Command-line tools: `flask --app wsgi COMMAND` (see README)."""

import click
from flask import Flask
from flask.cli import with_appcontext

from incubator.auth import services
from incubator.auth.models import ROLE_VALUES
from incubator.core.errors import ServiceError
from incubator.extensions import db


@click.command("create-user")
@with_appcontext
@click.option("--email", required=True)
@click.option("--name", required=True)
@click.option("--role", "roles", multiple=True, required=True, help=f"One of: {', '.join(ROLE_VALUES)}; repeatable.")
@click.option("--password", required=True)
@click.option("--locale", default="id", type=click.Choice(["id", "en"]))
def create_user_command(email, name, roles, password, locale):
    """Create a confirmed account with one or more roles."""
    try:
        user = services.create_user(email, name, password=password, roles=roles, locale=locale, confirmed=True)
    except ServiceError as exc:
        db.session.rollback()
        raise click.ClickException(str(exc.message)) from None
    db.session.commit()
    click.echo(f"Created user {user.id} <{user.email}> with roles: {', '.join(sorted(user.roles))}")


@click.command("seed-demo")
@click.option("--applications", type=click.IntRange(min=1), help="Add a synthetic cohort of N scored applications.")
@click.option("--judges", type=click.IntRange(min=3), default=10, show_default=True, help="Its pool of judges.")
@with_appcontext
def seed_demo_command(applications, judges):
    """Load the demo programme once; running it again changes nothing. With --applications N, add a
    synthetic cohort of N submitted applications scored in one closed round (for scale tests)."""
    from incubator.demo import seed_demo

    if applications:
        from incubator.demo_scale import seed_scale

        cohort_id, round_id = seed_scale(applications, judges)
        db.session.commit()
        click.echo(f"cohort_id={cohort_id} round_id={round_id}")
        click.echo(f"Judges: scale-judge1@example.org ... scale-judge{judges}@example.org (password demo12345)")
        return

    created = seed_demo()
    db.session.commit()
    click.echo("Demo data loaded." if created else "Demo data already present; nothing changed.")
    click.echo("Demo logins (password demo12345):")
    from incubator.demo import DEMO_USERS

    for email, _name, roles in DEMO_USERS:
        click.echo(f"  {email:<26} {', '.join(roles)}")


@click.command("list-rounds")
@with_appcontext
def list_rounds_command():
    """One line per round, tab-separated: round_id, cohort_id, cohort name, round name, phase."""
    from sqlalchemy import select

    from incubator.cohorts.models import Cohort
    from incubator.judging.models import Round

    rows = db.session.execute(
        select(Round.id, Cohort.id, Cohort.name, Round.name, Round.phase)
        .join(Cohort, Round.cohort_id == Cohort.id)
        .order_by(Cohort.id, Round.position, Round.id)
    )
    for row in rows:
        click.echo("\t".join(_one_line(value) for value in row))


def _one_line(value) -> str:
    """Tabs and line breaks inside a name would break the columns: turn them into spaces."""
    return " ".join(str(value).split())


@click.command("send-outbox")
@with_appcontext
def send_outbox_command():
    """Retry every unsent e-mail in the outbox (needs MAIL_SERVER)."""
    from flask import current_app

    from incubator.mail.outbox import deliver

    if not current_app.config.get("MAIL_SERVER"):
        raise click.ClickException("MAIL_SERVER is not set: messages stay in the outbox.")
    sent, failed = deliver()
    click.echo(f"sent {sent}, failed {failed}")
    if failed:
        raise SystemExit(1)


@click.command("refresh-results")
@with_appcontext
def refresh_results_command():
    """Build every round's stored results (once after upgrading to them): a decided round's only
    when it has none yet, since its figures are the record of the decision. The conflicts found in
    the data are rewritten first, as the results read them."""
    from incubator.judging.conflicts.found import rebuild_all as rebuild_conflicts
    from incubator.judging.ranking.results import rebuild_all

    rebuild_conflicts()
    built = rebuild_all()
    db.session.commit()
    click.echo(f"rounds built: {built}")


def init_app(app: Flask) -> None:
    commands = (create_user_command, seed_demo_command, list_rounds_command, send_outbox_command)
    from incubator.privacy.cli import purge_expired_command

    for command in (*commands, refresh_results_command, purge_expired_command):
        app.cli.add_command(command)
