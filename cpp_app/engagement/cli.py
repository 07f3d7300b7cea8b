"""`flask cpp import engagements FILE… [--dry-run]`: Community Engagement exports, one by one.

Each file is one import (one batch) through the one import entry; the totals cover them all.
"""

from __future__ import annotations

from pathlib import Path

import click

from cpp_app.importing.cli import dry_run_option, import_with_progress, print_rejects
from cpp_app.importing.pipeline import ImportFileError, ImportResult

TOTALS = ("read", "inserted", "already present", "rejected")


@click.command("engagements")
@click.argument("files", nargs=-1, required=True,
                type=click.Path(exists=True, dir_okay=False, path_type=Path))
@dry_run_option
def import_engagements_command(files: tuple[Path, ...], dry_run: bool) -> None:
    """Import Community Engagement exports (Date, Time, CallType, ShieldNumber, Location)."""
    totals = dict.fromkeys(TOTALS, 0)
    linked = 0
    for file in files:
        try:
            result = import_with_progress("engagements", file, dry_run=dry_run)
        except ImportFileError as error:
            raise click.ClickException(f"{file.name}: {error}") from error
        for name, count in file_counts(result).items():
            totals[name] += count
        print_file_summary(file, result)
        linked += result.note("links_updated", 0)
    if not dry_run:
        click.echo(f"Links updated on {linked} earlier records.")
    prefix = "Dry run, nothing changed. " if dry_run else ""
    click.echo(prefix + "Total: " + ", ".join(f"{k} {v}" for k, v in totals.items()) + ".")


def file_counts(result: ImportResult) -> dict[str, int]:
    """One file's counts under the names the command prints."""
    summary = result.summary
    return {"read": summary["read"], "inserted": summary["inserted"],
            "already present": summary["unchanged"], "rejected": summary["rejected"]}


def print_file_summary(file: Path, result: ImportResult) -> None:
    """One file's counts, its rejected rows, and the call types kept as given."""
    counts = file_counts(result)
    click.echo(f"{file.name}: read {counts['read']}, inserted {counts['inserted']}, "
               f"already present {counts['already present']}, rejected {counts['rejected']}.")
    print_rejects(result.rejects)
    for name, count in result.note("unknown_call_types", {}).items():
        click.echo(f"  call type kept as given: {name!r} ({count} rows)")
    for note in result.notes:
        if note.name == "unlinked":
            click.echo(f"  {note.text}")
