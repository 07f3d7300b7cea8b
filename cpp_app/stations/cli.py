"""`flask cpp import members FILE [--dry-run]`: a member roster through the one import entry."""

from __future__ import annotations

from pathlib import Path

import click

from cpp_app.importing.cli import dry_run_option, file_argument, run_import_command


@click.command("members")
@file_argument
@dry_run_option
def import_members_command(file: Path, dry_run: bool) -> None:
    """Update or insert members by shield number from a roster FILE."""
    run_import_command("members", file, dry_run=dry_run)
