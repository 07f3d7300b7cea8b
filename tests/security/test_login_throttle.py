"""Login attempts are rate limited; deactivation and a password reset end existing sessions."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask

from cpp_app.auth import services
from cpp_app.extensions import db, limiter
from tests import factories
from tests.helpers import csrf_token, log_in, make_test_app, post_form


@pytest.fixture
def throttled_app(
        app: Flask,
        tmp_path,
        limiter_restored,  # noqa: ARG001 - a fixture can take set-up only as a parameter
) -> Iterator[Flask]:
    """A second app on the test database with login limited to 3 attempts a minute."""
    throttled = make_test_app(tmp_path, RATELIMIT_ENABLED=True,
                              CPP_LOGIN_RATE_LIMIT="3 per minute",
                              SQLALCHEMY_DATABASE_URI=app.config["SQLALCHEMY_DATABASE_URI"])
    limiter.reset()
    yield throttled
    with throttled.app_context():
        db.session.remove()
        db.engine.dispose()


def test_fourth_login_attempt_within_a_minute_is_refused_with_429(throttled_app):
    user = factories.make_user("viewer")
    client = throttled_app.test_client()
    token = csrf_token(client, "/login")
    wrong = {"csrf_token": token, "email": user.email, "password": "not the password!"}
    for _ in range(3):
        assert client.post("/login", data=wrong).status_code == 400
    right = {"csrf_token": token, "email": user.email, "password": factories.PASSWORD}
    response = client.post("/login", data=right)
    assert response.status_code == 429
    assert "Too many requests" in response.get_data(as_text=True)
    assert "Retry-After" in response.headers
    assert client.get("/home").status_code == 302


def test_viewing_the_login_page_is_not_counted_against_the_limit(throttled_app):
    user = factories.make_user("viewer")
    client = throttled_app.test_client()
    for _ in range(5):
        assert client.get("/login").status_code == 200
    assert log_in(client, user.email).status_code == 302


def test_deactivated_users_open_session_stops_working_on_the_next_request(app):
    user = factories.make_user("viewer")
    session_client = app.test_client()
    assert log_in(session_client, user.email).status_code == 302
    assert session_client.get("/home").status_code == 200
    services.set_active(user, False)
    response = session_client.get("/home")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")


def test_reactivating_a_user_does_not_revive_their_old_session(app):
    user = factories.make_user("viewer")
    session_client = app.test_client()
    assert log_in(session_client, user.email).status_code == 302
    services.set_active(user, False)
    services.set_active(user, True)
    assert session_client.get("/home").status_code == 302
    assert log_in(app.test_client(), user.email).status_code == 302


def test_deactivation_by_an_admin_ends_the_users_session(app, admin_client):
    user = factories.make_user("viewer")
    session_client = app.test_client()
    assert log_in(session_client, user.email).status_code == 302
    response = post_form(admin_client, f"/admin/users/{user.id}/active", {})
    assert response.status_code == 302
    db.session.refresh(user)
    assert user.active is False
    assert session_client.get("/home").status_code == 302


def test_password_reset_by_an_admin_ends_the_users_sessions(app, admin_client):
    user = factories.make_user("viewer")
    phone, laptop = app.test_client(), app.test_client()
    for session_client in (phone, laptop):
        assert log_in(session_client, user.email).status_code == 302
    new_password = "a completely new passphrase"
    response = post_form(admin_client, f"/admin/users/{user.id}/password",
                         {"password": new_password, "confirm": new_password})
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    for session_client in (phone, laptop):
        assert session_client.get("/home").status_code == 302
    assert log_in(app.test_client(), user.email, new_password).status_code == 302
