"""`flask cpp import stakeholders FILE [--dry-run]`: a stakeholder directory file."""

from __future__ import annotations

from pathlib import Path

import click

from cpp_app.importing.cli import dry_run_option, file_argument, run_import_command


@click.command("stakeholders")
@file_argument
@dry_run_option
def import_stakeholders_command(file: Path, dry_run: bool) -> None:
    """Update or insert stakeholders by station and organisation name from FILE."""
    run_import_command("stakeholders", file, dry_run=dry_run)
