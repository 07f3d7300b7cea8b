"""Logging in and out, and session invalidation."""

from __future__ import annotations

from tests import factories
from tests.helpers import csrf_token, log_in, post_form


def test_login_with_right_password_reaches_home(client, admin_user):
    response = log_in(client, admin_user.email)
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/home")
    assert "Welcome" in client.get("/home").get_data(as_text=True)


def test_login_email_is_case_insensitive(client, admin_user):
    response = log_in(client, admin_user.email.upper())
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/home")
    assert admin_user.name in client.get("/home").get_data(as_text=True)


def test_wrong_password_is_refused_with_a_message(client, admin_user):
    response = log_in(client, admin_user.email, "not the password")
    assert response.status_code == 400
    assert "do not match an account" in response.get_data(as_text=True)


def test_inactive_user_cannot_log_in(client):
    user = factories.make_user("viewer", active=False)
    response = log_in(client, user.email)
    assert response.status_code == 400
    assert "deactivated" in response.get_data(as_text=True)


def test_logout_ends_the_session_and_old_cookie_stops_working(app, client, admin_user):
    log_in(client, admin_user.email)
    stolen_cookie = client.get_cookie(app.config["SESSION_COOKIE_NAME"]).value
    token = csrf_token(client, "/home")
    assert client.post("/logout", data={"csrf_token": token}).status_code == 302
    assert client.get("/home").headers["Location"].startswith("/login")
    replay = app.test_client()
    replay.set_cookie(app.config["SESSION_COOKIE_NAME"], stolen_cookie)
    refused = replay.get("/home")
    assert refused.status_code == 302
    assert refused.headers["Location"].startswith("/login")


def test_next_parameter_only_follows_local_paths(client, admin_user):
    token = csrf_token(client, "/login")
    response = client.post(
        "/login?next=https://evil.example/steal",
        data={"csrf_token": token, "email": admin_user.email, "password": factories.PASSWORD},
    )
    assert response.headers["Location"].endswith("/home")


def test_next_parameter_returns_to_the_page_asked_for(client, admin_user):
    response = post_form(client, "/login?next=/members", {
        "email": admin_user.email, "password": factories.PASSWORD,
    }, form_page="/login")
    assert response.headers["Location"].endswith("/members")
