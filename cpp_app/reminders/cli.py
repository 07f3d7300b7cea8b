"""`flask cpp reminders run|send` and `flask cpp scheduler`."""

from __future__ import annotations

from datetime import date

import click
from flask import current_app

from cpp_app.audit.services import acting_as
from cpp_app.clock import today_local
from cpp_app.reminders import services
from cpp_app.reminders.scheduler import SchedulerAlreadyRunning, build_scheduler, scheduler_lock


@click.group("reminders")
def reminders_group() -> None:
    """Reminders and the email outbox."""


@reminders_group.command("run")
@click.option("--today", "today_text", metavar="YYYY-MM-DD",
              help="Run the pass as if it were this day.")
@click.option("--dry-run", is_flag=True, help="Say what would be issued; issue nothing.")
def run_command(today_text: str | None, dry_run: bool) -> None:
    """Run one reminder pass (each reminder is issued once, however often this runs)."""
    try:
        today = date.fromisoformat(today_text) if today_text else today_local()
    except ValueError as error:
        raise click.BadParameter("use YYYY-MM-DD", param_hint="--today") from error
    with acting_as("cli:reminders"):
        report = services.run_pass(today, dry_run=dry_run)
    prefix = "Dry run: would issue" if dry_run else "Issued"
    click.echo(f"{prefix} {report.issued} of {report.due} due reminders "
               f"({report.already_issued} already issued); {report.notifications} "
               f"notifications, {report.emails_queued} emails queued.")


@reminders_group.command("send")
def send_command() -> None:
    """Send the queued emails whose time has come, once."""
    report = services.send_outbox()
    click.echo(f"Sent {report.sent}, to retry {report.retried}, failed {report.failed}.")


@click.command("scheduler")
@click.option("--hour", default=6, show_default=True, type=click.IntRange(0, 23),
              help="Hour of the daily reminder pass, in CPP_TIMEZONE.")
def scheduler_command(hour: int) -> None:
    """Run the scheduler: the daily pass and the outbox every minute (only one may run)."""
    app = current_app._get_current_object()
    try:
        with scheduler_lock(app):
            click.echo(f"Scheduler running: reminders daily at {hour:02d}:00, outbox every "
                       "minute. Ctrl+C to stop.")
            build_scheduler(app, hour).start()
    except SchedulerAlreadyRunning as error:
        raise click.ClickException(f"Another scheduler is already running ({error}).") \
            from error
    except (KeyboardInterrupt, SystemExit):
        click.echo("Scheduler stopped.")
