"""Test fixtures: one app for the session, a clean database for every test, logged-in clients.

The suite runs on SQLite by default and on PostgreSQL when TEST_DATABASE_URL is set.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from flask import Flask
from flask.testing import FlaskClient

from cpp_app.audit.anchors import anchor_file
from cpp_app.extensions import db, limiter
from tests import factories
from tests.helpers import Clock, empty_all_tables, log_in, make_test_app
from tests.mailserver import SmtpServer


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
    """Each test runs inside an app context and ends with every table (and audit anchor) gone."""
    if "no_app_context" in request.keywords:
        yield
        return
    with app.app_context():
        yield
        db.session.remove()
        empty_all_tables()
        anchor_file().unlink(missing_ok=True)  # the anchor describes the log just emptied


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    """A test client with no one logged in."""
    return app.test_client()


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
def admin_client(login, admin_user) -> FlaskClient:
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


@pytest.fixture
def smtp(app, monkeypatch):
    """A real SMTP server on loopback, and the app pointed at it."""
    server = SmtpServer()
    server.start()
    monkeypatch.setitem(app.config, "MAIL_SERVER", "127.0.0.1")
    monkeypatch.setitem(app.config, "MAIL_PORT", server.port)
    monkeypatch.setitem(app.config, "MAIL_USE_TLS", False)
    yield server.inbox, server
    server.stop()


@pytest.fixture
def clock(monkeypatch) -> Clock:
    """A clock the login throttle, two-factor codes and reset links read: `clock.advance(30)`."""
    fixed = Clock(datetime(2026, 12, 4, 12, 0, tzinfo=UTC))
    for module in ("throttle", "two_factor", "password_reset", "login", "services"):
        monkeypatch.setattr(f"cpp_app.auth.{module}.utcnow", fixed)
    return fixed
