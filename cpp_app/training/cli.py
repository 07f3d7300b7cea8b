"""`flask cpp import training FILE`: a training export, with a remembered mapping or one course."""

from __future__ import annotations

from pathlib import Path

import click

from cpp_app.clock import today_local
from cpp_app.importing.cli import dry_run_option, file_argument, run_import_command
from cpp_app.training import services as training


@click.command("training")
@file_argument
@click.option("--mapping", "mapping_name", help="Use the column mapping remembered under NAME.")
@click.option("--course", "course_title", help="The course every row is for, when the file "
              "has no course column (an existing course title).")
@dry_run_option
def import_training_command(file: Path, mapping_name: str | None, course_title: str | None,
                            dry_run: bool) -> None:
    """Import training records from a learning-management or standards-board export."""
    mapping, course_id = remembered_mapping(mapping_name) if mapping_name else (None, None)
    if course_title:
        course_id = course_for_every_row(course_title)
    run_import_command("training", file, dry_run=dry_run, column_mapping=mapping,
                       options={"today": today_local(), "default_course_id": course_id})


def remembered_mapping(name: str) -> tuple[dict[str, str], int | None]:
    """The column mapping remembered under `name` and its course for every row, if any."""
    remembered = training.mapping_named(name)
    if remembered is None:
        names = ", ".join(m.name for m in training.all_mappings()) or "none yet"
        raise click.ClickException(f"No mapping named {name!r} (known: {names}).")
    return remembered.mapping, remembered.default_course_id


def course_for_every_row(title: str) -> int:
    """The id of the existing course titled `title`."""
    course = training.course_by_title(title)
    if course is None:
        raise click.ClickException(f"No course titled {title!r}.")
    return course.id
