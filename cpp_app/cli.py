"""The `flask cpp` command group; each feature adds its commands here."""

from __future__ import annotations

import click

from cpp_app.audit.cli import audit_group
from cpp_app.auth.cli import create_admin_command
from cpp_app.database import expect_writes
from cpp_app.demo.cli import seed_demo_command
from cpp_app.engagement.cli import import_engagements_command
from cpp_app.importing.cli import clean_uploads_command, import_group
from cpp_app.outreach.cli import import_stakeholders_command
from cpp_app.reminders.cli import reminders_group, scheduler_command
from cpp_app.reports.cli import report_command, report_jobs_command
from cpp_app.stations.cli import import_members_command
from cpp_app.training.cli import import_training_command


@click.group("cpp")
def cpp_group() -> None:
    """CPP Manager commands."""
    expect_writes()


# `flask cpp import <kind>`: each feature's import command.
import_group.add_command(import_members_command)
import_group.add_command(import_stakeholders_command)
import_group.add_command(import_training_command)
import_group.add_command(import_engagements_command)

cpp_group.add_command(create_admin_command)
cpp_group.add_command(seed_demo_command)
cpp_group.add_command(import_group)
cpp_group.add_command(clean_uploads_command)
cpp_group.add_command(audit_group)
cpp_group.add_command(reminders_group)
cpp_group.add_command(scheduler_command)
cpp_group.add_command(report_command)
cpp_group.add_command(report_jobs_command)
