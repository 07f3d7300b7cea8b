"""`flask cpp seed-demo`: load the demo department and print its logins."""

from __future__ import annotations

import click

from cpp_app.audit.services import acting_as
from cpp_app.auth import services as auth_services
from cpp_app.demo.department import DEMO_LOGINS, demo_is_loaded, demo_logins_text, seed_demo


@click.command("seed-demo")
@click.option("--if-empty", is_flag=True,
              help="Only load the demo when the database has no stations yet.")
def seed_demo_command(if_empty: bool) -> None:
    """Load the demo department (idempotent) and print the demo logins."""
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
