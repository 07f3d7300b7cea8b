"""Test fixtures: one app for the session, a clean database for every test, logged-in clients.

The suite runs on SQLite by default and on PostgreSQL when TEST_DATABASE_URL is set.
"""

from __future__ import annotations

import contextvars
import os
import re
from collections.abc import Iterator

import pytest
from flask import Flask, has_app_context
from flask.testing import FlaskClient
from sqlalchemy import text

from config import normalise_database_url
from cpp_app import create_app
from cpp_app.extensions import db, limiter
from tests import factories

CSRF_INPUT = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def database_url(tmp_dir) -> str:
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
        _end_test_transaction()
        try:
            return contextvars.Context().run(super().open, *args, **kwargs)
        finally:
            _end_test_transaction()


def _end_test_transaction() -> None:
    """Commit what the test set up, and read fresh data after the request."""
    if has_app_context():
        db.session.commit()


def make_test_app(tmp_dir, **overrides) -> Flask:
    """An app built from the testing config, pointed at the test database."""
    settings = {
        "ENV_NAME": "testing",
        "SQLALCHEMY_DATABASE_URI": database_url(tmp_dir),
        "INSTANCE_PATH": tmp_dir / "instance",
    }
    settings.update(overrides)
    application = create_app(settings)
    application.test_client_class = IsolatedClient
    return application


@pytest.fixture(scope="session")
def app(tmp_path_factory) -> Iterator[Flask]:
    """The application, with every table created once for the session."""
    tmp_dir = tmp_path_factory.mktemp("cpp")
    application = make_test_app(tmp_dir)
    with application.app_context():
        db.drop_all()
        db.create_all()
    yield application
    with application.app_context():
        db.session.remove()
        db.drop_all()
        db.engine.dispose()


@pytest.fixture(autouse=True)
def _app_context(request, app: Flask) -> Iterator[None]:
    """Each test runs inside an app context and ends with every table emptied."""
    if "no_app_context" in request.keywords:
        yield
        return
    with app.app_context():
        yield
        db.session.remove()
        empty_all_tables()


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


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    """A test client with no one logged in."""
    return app.test_client()


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


def log_in(client: FlaskClient, email: str, password: str = factories.PASSWORD):
    """Log a client in through the login form."""
    return post_form(client, "/login", {"email": email, "password": password})


@pytest.fixture
def login(client: FlaskClient):
    """Log the test client in as a user: `login(user)`."""

    def _login(user, password: str = factories.PASSWORD) -> FlaskClient:
        response = log_in(client, user.email, password)
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
        return client

    return _login


@pytest.fixture
def station():
    """A station."""
    return factories.make_station("CEN", "Central Station")


@pytest.fixture
def admin_user():
    """An administrator."""
    return factories.make_user("admin")


@pytest.fixture
def admin_client(client, login, admin_user) -> FlaskClient:
    """A client logged in as an administrator."""
    return login(admin_user)


@pytest.fixture
def limiter_restored() -> Iterator[None]:
    """Put the process-wide rate limiter back as it was after a test builds another app.

    `limiter` is one object shared by every app in the process: `init_app` on an app with
    rate limiting on switches it on for the session app too, and counters would carry over.
    """
    was_enabled = limiter.enabled
    try:
        yield
    finally:
        if limiter.enabled:
            limiter.reset()
        limiter.enabled = was_enabled
