"""`flask cpp audit verify`."""

from __future__ import annotations

import click

from cpp_app.audit.services import verify_chain


@click.group("audit")
def audit_group() -> None:
    """Audit log commands."""


@audit_group.command("verify")
def verify_command() -> None:
    """Check the audit log's hash chain and say where it breaks, if it does."""
    report = verify_chain()
    if report.intact:
        click.echo(f"Audit chain intact: {report.checked} events checked.")
        return
    click.echo(
        f"Audit chain BROKEN at event {report.broken_at}: {report.reason}. "
        f"{report.checked} events before it are intact.",
        err=True,
    )
    raise SystemExit(1)
