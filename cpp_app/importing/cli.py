"""`flask cpp import <kind> FILE [--dry-run]`, each through the one import entry."""

from __future__ import annotations

import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import click

from cpp_app.audit.services import acting_as
from cpp_app.clock import today_local
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


@import_group.command("members")
@file_argument
@dry_run_option
def import_members_command(file: Path, dry_run: bool) -> None:
    """Update or insert members by shield number from a roster FILE."""
    run_import_command("members", file, dry_run=dry_run)


@import_group.command("stakeholders")
@file_argument
@dry_run_option
def import_stakeholders_command(file: Path, dry_run: bool) -> None:
    """Update or insert stakeholders by station and organisation name from FILE."""
    run_import_command("stakeholders", file, dry_run=dry_run)


@import_group.command("training")
@file_argument
@click.option("--mapping", "mapping_name", help="Use the column mapping remembered under NAME.")
@click.option("--course", "course_title", help="The course every row is for, when the file "
              "has no course column (an existing course title).")
@dry_run_option
def import_training_command(file: Path, mapping_name: str | None, course_title: str | None,
                            dry_run: bool) -> None:
    """Import training records from a learning-management or standards-board export."""
    from cpp_app.training import services as training

    mapping, course_id = None, None
    if mapping_name:
        remembered = training.mapping_named(mapping_name)
        if remembered is None:
            names = ", ".join(m.name for m in training.all_mappings()) or "none yet"
            raise click.ClickException(f"No mapping named {mapping_name!r} (known: {names}).")
        mapping, course_id = remembered.mapping, remembered.default_course_id
    if course_title:
        course = training.course_by_title(course_title)
        if course is None:
            raise click.ClickException(f"No course titled {course_title!r}.")
        course_id = course.id
    run_import_command("training", file, dry_run=dry_run, column_mapping=mapping,
                       options={"today": today_local(), "default_course_id": course_id})


@import_group.command("engagements")
@click.argument("files", nargs=-1, required=True,
                type=click.Path(exists=True, dir_okay=False, path_type=Path))
@dry_run_option
def import_engagements_command(files: tuple[Path, ...], dry_run: bool) -> None:
    """Import Community Engagement exports (Date, Time, CallType, ShieldNumber, Location)."""
    totals = {"read": 0, "inserted": 0, "already present": 0, "rejected": 0}
    linked = 0
    for file in files:
        try:
            result = import_with_progress("engagements", file, dry_run=dry_run)
        except ImportFileError as error:
            raise click.ClickException(f"{file.name}: {error}") from error
        summary = result.summary
        click.echo(f"{file.name}: read {summary['read']}, inserted {summary['inserted']}, "
                   f"already present {summary['unchanged']}, rejected {summary['rejected']}.")
        print_rejects(result.rejects)
        for name, count in result.note("unknown_call_types", {}).items():
            click.echo(f"  call type kept as given: {name!r} ({count} rows)")
        totals["read"] += summary["read"]
        totals["inserted"] += summary["inserted"]
        totals["already present"] += summary["unchanged"]
        totals["rejected"] += summary["rejected"]
        linked += result.note("links_updated", 0)
    if not dry_run:
        click.echo(f"Links updated on {linked} earlier records.")
    prefix = "Dry run, nothing changed. " if dry_run else ""
    click.echo(prefix + "Total: " + ", ".join(f"{k} {v}" for k, v in totals.items()) + ".")


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


def print_rejects(rejects: list[ImportReject]) -> None:
    """Print up to MAX_REJECTS_PRINTED rejected rows by line, then how many more there are."""
    for reject in rejects[:MAX_REJECTS_PRINTED]:
        click.echo(f"  line {reject.line_number}: {reject.reason}")
    if len(rejects) > MAX_REJECTS_PRINTED:
        click.echo(f"  … and {len(rejects) - MAX_REJECTS_PRINTED} more; "
                   "see the batch page in the app for all of them.")
