"""`flask cpp audit verify`."""

from __future__ import annotations

import click

from cpp_app.audit.anchors import AnchorError
from cpp_app.audit.services import verify_and_anchor


@click.group("audit")
def audit_group() -> None:
    """Audit log commands."""


@audit_group.command("verify")
def verify_command() -> None:
    """Check the audit chain against the last anchor, then write a new anchor.

    The anchor (the count of events and the last hash) goes to the anchor file
    (CPP_AUDIT_ANCHOR_FILE) and to the log. Exits 1, naming the first broken event, when
    anything was altered or removed.
    """
    try:
        verification = verify_and_anchor()
    except AnchorError as error:
        click.echo(f"Audit anchor UNUSABLE: {error} Nothing was checked or written.", err=True)
        raise SystemExit(1) from error
    report, previous = verification.report, verification.previous
    if not report.intact:
        click.echo(
            f"Audit chain BROKEN at event {report.broken_at}: {report.reason}. "
            f"{report.checked} events before it are intact.",
            err=True,
        )
        raise SystemExit(1)
    click.echo(f"Audit chain intact: {report.checked} events checked.")
    click.echo(f"It agrees with {previous.described} ({previous.events} events)." if previous
               else f"No earlier anchor in {verification.anchor_path}: this is the first.")
    click.echo(f"Anchor written to {verification.anchor_path}: {report.checked} events, "
               f"last hash {report.last_hash}.")
