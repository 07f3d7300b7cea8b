"""The `flask cpp import` group, and what every feature's import command shares.

Each feature adds its own `flask cpp import <kind> FILE [--dry-run]` command to the group (see
`cpp_app.cli`); the helpers here run the one import entry with a progress bar over the file's
rows and print the summary and the rejected rows the same way for every kind.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import click
from flask import current_app

from cpp_app.audit.services import acting_as
from cpp_app.importing.cleanup import delete_upload, find_abandoned_uploads
from cpp_app.importing.jobs import run_queued_imports
from cpp_app.importing.models import ImportReject
from cpp_app.importing.pipeline import ImportFileError, ImportResult
from cpp_app.importing.readers import estimate_row_count
from cpp_app.importing.services import run_import_file

MAX_REJECTS_PRINTED = 50

#: The FILE argument and --dry-run option that every import command takes.
file_argument = click.argument(
    "file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
dry_run_option = click.option("--dry-run", is_flag=True,
                              help="Check the file and report; change nothing.")


@click.group("import")
def import_group() -> None:
    """Import data from CSV or Excel files."""


@import_group.command("queued")
@click.option("--time-limit", type=float, help="Seconds each import may take "
              "(default CPP_IMPORT_TIME_LIMIT_SECONDS).")
def import_queued_command(time_limit: float | None) -> None:
    """Import the large uploads waiting on the upload pages now (the scheduler does this too)."""
    summary = run_queued_imports(current_app._get_current_object(), time_limit)
    click.echo(f"Imported {summary.done} queued file(s); {summary.failed} failed.")


@click.command("clean-uploads")
@click.option("--max-age-hours", type=click.IntRange(min=0),
              help="Delete uploads older than this (default CPP_UPLOAD_MAX_AGE_HOURS).")
def clean_uploads_command(max_age_hours: int | None) -> None:
    """Delete abandoned uploads (the scheduler does this every hour)."""
    sweep = find_abandoned_uploads(max_age_hours)
    with click.progressbar(sweep.abandoned, label="Deleting abandoned uploads",
                           file=sys.stderr) as paths:
        for path in paths:
            delete_upload(sweep, path)
    click.echo(sweep.summary)


def import_with_progress(kind: str, file: Path, *, dry_run: bool,
                         options: Mapping[str, Any] | None = None,
                         column_mapping: dict[str, str] | None = None) -> ImportResult:
    """Import FILE as `kind` with a progress bar over its rows, acting as `cli:import-<kind>`.

    Raises ImportFileError when the file cannot be imported.
    """
    total = max(estimate_row_count(file) - 1, 1)
    with acting_as(f"cli:import-{kind}"), click.progressbar(
        length=total, label=f"Importing {file.name}", file=sys.stderr
    ) as bar:
        return run_import_file(kind, file, filename=file.name, dry_run=dry_run,
                               options=options, column_mapping=column_mapping,
                               progress=bar.update)


def run_import_command(kind: str, file: Path, *, dry_run: bool,
                       options: Mapping[str, Any] | None = None,
                       column_mapping: dict[str, str] | None = None) -> ImportResult:
    """Import FILE as `kind`, then print the summary, the rejected rows and the kind's notes."""
    try:
        result = import_with_progress(kind, file, dry_run=dry_run, options=options,
                                      column_mapping=column_mapping)
    except ImportFileError as error:
        raise click.ClickException(str(error)) from error
    print_summary(result)
    for note in result.notes:
        click.echo(note.text)
    return result


def print_summary(result: ImportResult) -> None:
    """Print an import's counts and its rejected rows."""
    summary = result.summary
    prefix = "Dry run, nothing changed: would have " if result.batch.dry_run else ""
    click.echo(
        f"{prefix}read {summary['read']} rows: {summary['inserted']} inserted, "
        f"{summary['updated']} updated, {summary['unchanged']} unchanged, "
        f"{summary['rejected']} rejected (batch {result.batch.id})."
    )
    print_rejects(result.rejects)
    print_changes(result)


def print_changes(result: ImportResult) -> None:
    """On a dry run, print every add and update it would make, by line."""
    if not result.changes:
        return
    click.echo("What the import would do:")
    for change in result.changes:
        click.echo(f"  line {change.line_number}: {change.action} {change.text}")


def print_rejects(rejects: list[ImportReject]) -> None:
    """Print up to MAX_REJECTS_PRINTED rejected rows by line, then how many more there are."""
    for reject in rejects[:MAX_REJECTS_PRINTED]:
        click.echo(f"  line {reject.line_number}: {reject.reason}")
    if len(rejects) > MAX_REJECTS_PRINTED:
        click.echo(f"  … and {len(rejects) - MAX_REJECTS_PRINTED} more; "
                   "see the batch page in the app for all of them.")
