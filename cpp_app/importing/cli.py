"""`flask cpp import <kind> FILE [--dry-run]`."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from cpp_app.audit.services import acting_as
from cpp_app.clock import today_local
from cpp_app.importing.pipeline import ImportFileError, run_import
from cpp_app.importing.readers import estimate_row_count
from cpp_app.importing.services import import_specs

MAX_REJECTS_PRINTED = 50


@click.group("import")
def import_group() -> None:
    """Import data from CSV or Excel files."""


@import_group.command("members")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Check the file and report; change nothing.")
def import_members_command(file: Path, dry_run: bool) -> None:
    """Update or insert members by shield number from a roster FILE."""
    run_import_command("members", file, dry_run)


@import_group.command("stakeholders")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Check the file and report; change nothing.")
def import_stakeholders_command(file: Path, dry_run: bool) -> None:
    """Update or insert stakeholders by station and organisation name from FILE."""
    run_import_command("stakeholders", file, dry_run)


@import_group.command("training")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--mapping", "mapping_name", help="Use the column mapping remembered under NAME.")
@click.option("--course", "course_title", help="The course every row is for, when the file "
              "has no course column (an existing course title).")
@click.option("--dry-run", is_flag=True, help="Check the file and report; change nothing.")
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
    total = max(estimate_row_count(file) - 1, 1)
    with acting_as("cli:import-training"), click.progressbar(
        length=total, label=f"Importing {file.name}", file=sys.stderr
    ) as bar:
        try:
            result, new_courses = training.import_training_file(
                file, filename=file.name, today=today_local(), dry_run=dry_run, mapping=mapping,
                default_course_id=course_id, progress=bar.update)
        except ImportFileError as error:
            raise click.ClickException(str(error)) from error
    print_summary(result, dry_run)
    if new_courses:
        click.echo(f"New courses created (not counting toward the requirement until a "
                   f"coordinator says so): {', '.join(new_courses)}")


@import_group.command("engagements")
@click.argument("files", nargs=-1, required=True,
                type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Check the files and report; change nothing.")
def import_engagements_command(files: tuple[Path, ...], dry_run: bool) -> None:
    """Import Community Engagement exports (Date, Time, CallType, ShieldNumber, Location)."""
    from cpp_app.engagement import services as engagement

    totals = {"read": 0, "inserted": 0, "already present": 0, "rejected": 0}
    for file in files:
        total = max(estimate_row_count(file) - 1, 1)
        with acting_as("cli:import-engagements"), click.progressbar(
            length=total, label=f"Importing {file.name}", file=sys.stderr
        ) as bar:
            try:
                outcome = engagement.import_engagements(file, dry_run=dry_run,
                                                        progress=bar.update)
            except ImportFileError as error:
                raise click.ClickException(f"{file.name}: {error}") from error
        summary = outcome.result.summary
        click.echo(f"{file.name}: read {summary['read']}, inserted {summary['inserted']}, "
                   f"already present {summary['unchanged']}, rejected {summary['rejected']}.")
        for reject in outcome.result.rejects[:MAX_REJECTS_PRINTED]:
            click.echo(f"  line {reject.line_number}: {reject.reason}")
        for name, count in outcome.unknown_call_types.items():
            click.echo(f"  call type kept as given: {name!r} ({count} rows)")
        totals["read"] += summary["read"]
        totals["inserted"] += summary["inserted"]
        totals["already present"] += summary["unchanged"]
        totals["rejected"] += summary["rejected"]
    if not dry_run:
        linked = engagement.link_members() + engagement.apply_location_rules() \
            + engagement.apply_problem_rules()
        click.echo(f"Links updated on {linked} earlier records.")
    prefix = "Dry run, nothing changed. " if dry_run else ""
    click.echo(prefix + "Total: " + ", ".join(f"{k} {v}" for k, v in totals.items()) + ".")


def run_import_command(kind: str, file: Path, dry_run: bool) -> None:
    """Run an import with a progress bar, then print the summary and the rejected rows."""
    spec = import_specs()[kind]()
    total = max(estimate_row_count(file) - 1, 1)
    with acting_as(f"cli:import-{kind}"), click.progressbar(
        length=total, label=f"Importing {file.name}", file=sys.stderr
    ) as bar:
        try:
            result = run_import(spec, file, dry_run=dry_run, progress=bar.update)
        except ImportFileError as error:
            raise click.ClickException(str(error)) from error
    print_summary(result, dry_run)


def print_summary(result, dry_run: bool) -> None:
    """Print an import's counts and its rejected rows."""
    summary = result.summary
    prefix = "Dry run, nothing changed: would have " if dry_run else ""
    click.echo(
        f"{prefix}read {summary['read']} rows: {summary['inserted']} inserted, "
        f"{summary['updated']} updated, {summary['unchanged']} unchanged, "
        f"{summary['rejected']} rejected (batch {result.batch.id})."
    )
    for reject in result.rejects[:MAX_REJECTS_PRINTED]:
        click.echo(f"  line {reject.line_number}: {reject.reason}")
    if len(result.rejects) > MAX_REJECTS_PRINTED:
        click.echo(f"  … and {len(result.rejects) - MAX_REJECTS_PRINTED} more; "
                   "see the batch page in the app for all of them.")
