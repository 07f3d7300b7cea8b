"""Security-test fixtures: a sample department with one user per role, and CSRF switched off."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient

from cpp_app.auth.models import User
from tests import factories
from tests.factories.department import SampleDepartment, sample_department


@pytest.fixture
def sample(tmp_path) -> SampleDepartment:
    """The sample department: two stations, one user per role, an object of every kind."""
    return sample_department(tmp_path)


@pytest.fixture
def csrf_disabled(app: Flask) -> Iterator[None]:
    """Switch CSRF protection off on the shared app for one test, and back on after it."""
    previous = app.config.get("WTF_CSRF_ENABLED", True)
    app.config["WTF_CSRF_ENABLED"] = False
    try:
        yield
    finally:
        app.config["WTF_CSRF_ENABLED"] = previous


@pytest.fixture
def login_as(
        app: Flask,
        csrf_disabled,  # noqa: ARG001 - a fixture can take set-up only as a parameter
):
    """A fresh client logged in as `user` (CSRF is off, so no token is posted)."""

    def _login_as(user: User) -> FlaskClient:
        client = app.test_client()
        response = client.post("/login", data={"email": user.email,
                                               "password": factories.PASSWORD})
        assert response.status_code == 302, f"login as {user.email} failed"
        return client

    return _login_as


