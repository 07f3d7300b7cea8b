"""Helpers the tests share.

Where the test data lives, building test apps, forms with CSRF tokens, logging in, counting
queries, and emptying the database.
"""

from __future__ import annotations

import contextvars
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path

from flask import Flask, has_app_context
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import event, func, select, text

from config import normalise_database_url
from cpp_app.app import create_app
from cpp_app.extensions import db
from tests.factories.users import PASSWORD
from tests.mailserver import Inbox, SmtpServer

TESTS_DIR = Path(__file__).resolve().parent
PROJECT_ROOT = TESTS_DIR.parent
#: Real files the tests read; each is described in PROVENANCE.md beside them.
TEST_DATA = TESTS_DIR / "data"
#: Every role a user can have, as the permission tests name them.
ROLES = ("admin", "commander", "staff", "training", "viewer")

CSRF_INPUT = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def database_url(tmp_dir: Path) -> str:
    """The test database: TEST_DATABASE_URL, or a SQLite file the browser tests can share."""
    url = os.environ.get("TEST_DATABASE_URL")
    if url:
        return normalise_database_url(url)
    return f"sqlite:///{tmp_dir / 'test.sqlite3'}"


class IsolatedClient(FlaskClient):
    """A test client whose requests never share the test's app context.

    Flask reuses an active app context for a request; tests run inside one, so without this
    `g` and the database session would leak between the test and its requests.
    """

    def open(self, *args, **kwargs):
        """Run the request in a context of its own, committing the test's work around it."""
        _end_test_transaction()
        try:
            return contextvars.Context().run(super().open, *args, **kwargs)
        finally:
            _end_test_transaction()


class IsolatedCliRunner(FlaskCliRunner):
    """A CLI runner whose commands never leave their context variables in the test's context.

    The `cpp` group marks its context as one that writes (SQLite transactions then take the
    write lock at BEGIN) and commands set the acting user; run in the test's own context, both
    would outlive the command, and a later test's reads would hold the write lock.
    """

    def invoke(self, *args, **kwargs):
        """Run the command in a copy of the test's context."""
        return contextvars.copy_context().run(super().invoke, *args, **kwargs)


def _end_test_transaction() -> None:
    """Commit what the test set up, and read fresh data after the request."""
    if has_app_context():
        db.session.commit()


def on_postgresql() -> bool:
    """Whether the suite runs on PostgreSQL (TEST_DATABASE_URL set) rather than SQLite."""
    return database_url(TESTS_DIR).startswith("postgresql")


def make_test_app(tmp_dir: Path, **overrides) -> Flask:
    """An app built from the testing config, pointed at the test database."""
    settings = {
        "ENV_NAME": "testing",
        "SQLALCHEMY_DATABASE_URI": database_url(tmp_dir),
        "INSTANCE_PATH": tmp_dir / "instance",
    }
    settings.update(overrides)
    application = create_app(settings)
    application.test_client_class = IsolatedClient
    application.test_cli_runner_class = IsolatedCliRunner
    return application


def empty_all_tables() -> None:
    """Delete every row of every table (the audit log included)."""
    engine = db.engine
    tables = list(reversed(db.metadata.sorted_tables))
    with engine.begin() as connection:
        if engine.dialect.name == "postgresql":
            names = ", ".join(f'"{table.name}"' for table in tables)
            connection.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
            return
        connection.execute(text("UPDATE stations SET commander_member_id = NULL"))
        for table in tables:
            connection.execute(table.delete())


def row_count(model) -> int:
    """Rows in a model's table."""
    return db.session.scalar(select(func.count()).select_from(model))


def csrf_token(client: FlaskClient, url: str = "/login") -> str:
    """The CSRF token from a page's form (the token is tied to the client's session)."""
    response = client.get(url)
    match = CSRF_INPUT.search(response.get_data(as_text=True))
    assert match, f"no CSRF token on {url} (status {response.status_code})"
    return match.group(1)


def post_form(client: FlaskClient, url: str, data: dict, *, form_page: str | None = None,
              **kwargs):
    """POST a form with a valid CSRF token taken from the page that shows it."""
    payload = {"csrf_token": csrf_token(client, form_page or url), **data}
    return client.post(url, data=payload, **kwargs)


def log_in(client: FlaskClient, email: str, password: str = PASSWORD):
    """Log a client in through the login form."""
    return post_form(client, "/login", {"email": email, "password": password})


@contextmanager
def counting_queries() -> Iterator[list[str]]:
    """Count the SQL statements run on the engine inside the block."""
    statements: list[str] = []

    def record(_conn, _cursor, statement, *_args):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", record)


class Clock:
    """A settable 'now' for code that reads `utcnow` (patched in by the `clock` fixture)."""

    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        """The current instant of this clock."""
        return self.now

    def advance(self, seconds: float) -> None:
        """Move the clock forward."""
        self.now += timedelta(seconds=seconds)


def client_from(app: Flask, address: str) -> FlaskClient:
    """A test client whose requests come from `address`."""
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


@contextmanager
def smtp_server() -> Iterator[Inbox]:
    """A real SMTP server on a free loopback port while the block runs; its inbox.

    The inbox's `port` says where it listens.
    """
    server = SmtpServer()
    server.start()
    server.inbox.port = server.port
    try:
        yield server.inbox
    finally:
        server.stop()
