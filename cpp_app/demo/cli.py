"""`flask cpp seed-demo`: load the demo department and print its logins."""

from __future__ import annotations

import click
from flask import current_app

from cpp_app.audit.services import acting_as
from cpp_app.auth import services as auth_services
from cpp_app.demo.department import DEMO_LOGINS, demo_is_loaded, demo_logins_text, seed_demo

#: Where the demo may be loaded without --force: its logins share a published password.
DEMO_ENVIRONMENTS = frozenset({"development", "testing"})


@click.command("seed-demo")
@click.option("--if-empty", is_flag=True,
              help="Only load the demo when the database has no stations yet.")
@click.option("--force", is_flag=True,
              help="Load it even outside development and testing (its administrator's "
                   "password is public).")
def seed_demo_command(if_empty: bool, force: bool) -> None:
    """Load the demo department (idempotent) and print the demo logins."""
    environment = current_app.config.get("ENV_NAME", "production")
    if environment not in DEMO_ENVIRONMENTS and not force:
        raise click.ClickException(
            f"Refusing to load the demo department in the {environment} environment: it "
            "creates an administrator whose password is printed in the README. Run it with "
            "CPP_ENV=development, or add --force if this database really is a demonstration.")
    if if_empty and demo_is_loaded():
        click.echo("The database already has data; the demo was not loaded again.")
        if auth_services.find_user_by_email(DEMO_LOGINS[0].email) is not None:
            click.echo(demo_logins_text())
        return
    with acting_as("cli:seed-demo"):
        created = seed_demo()
    click.echo(
        f"Demo department ready: {created['stations']} stations, {created['members']} members "
        f"and {created['users']} users created."
    )
    click.echo(demo_logins_text())
