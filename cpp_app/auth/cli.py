"""`flask cpp create-admin`."""

from __future__ import annotations

import sys

import click

from cpp_app.audit.services import acting_as
from cpp_app.auth import services
from cpp_app.errors import ServiceError
from cpp_app.extensions import db


@click.command("create-admin")
@click.option("--email", required=True, help="The administrator's login email.")
@click.option("--name", default="Administrator", show_default=True, help="Display name.")
@click.option(
    "--password-stdin", is_flag=True,
    help="Read the password from standard input instead of prompting.",
)
def create_admin_command(email: str, name: str, password_stdin: bool) -> None:
    """Create an administrator account (the password is prompted, or read from stdin)."""
    if password_stdin or not sys.stdin.isatty():
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        with acting_as("cli:create-admin"):
            user = services.create_admin(email, name, password)
    except ServiceError as error:
        db.session.rollback()
        raise click.ClickException(str(error)) from error
    click.echo(f"Administrator {user.email} created.")
