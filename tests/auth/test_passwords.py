"""Passwords: common ones refused on every path that sets one; changing one's own password."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from cpp_app.audit.models import AuditEvent
from cpp_app.auth import services
from cpp_app.auth.models import User
from cpp_app.extensions import db
from tests import factories
from tests.helpers import log_in, post_form

COMMON = "password1234"
NEW = "lantern orbit pebble saxophone"


def audit_actions() -> list[str]:
    """Every audit action recorded so far, in order."""
    return list(db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.sequence)))


@pytest.mark.parametrize("weak", [COMMON, "qwertyuiop123", "aaaabbbbcccc"])
def test_the_service_refuses_common_and_guessable_passwords_with_advice(weak):
    user = factories.make_user("viewer")
    with pytest.raises(services.ServiceError) as refused:
        services.reset_password(user, weak)
    assert refused.value.field == "password"
    assert len(str(refused.value)) > 20


def test_a_password_made_of_the_users_own_name_is_refused():
    user = factories.make_user("viewer", email="marisol.quintanilla@example.org",
                               name="Marisol Quintanilla")
    with pytest.raises(services.ServiceError):
        services.reset_password(user, "marisol quintanilla")


def test_creating_a_user_shows_the_feedback_beside_the_password(admin_client):
    response = post_form(admin_client, "/admin/users/new", {
        "email": "new.person@example.org", "name": "New Person", "role": "viewer",
        "station_id": "", "member_shield": "", "active": "y", "password": COMMON,
    })
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'id="password-errors"' in page
    assert "This is a very common password." in page
    assert db.session.scalar(select(User).where(User.email == "new.person@example.org")) is None


def test_an_administrators_reset_refuses_a_common_password(admin_client):
    user = factories.make_user("viewer")
    response = post_form(admin_client, f"/admin/users/{user.id}/password",
                         {"password": COMMON, "confirm": COMMON})
    assert "This is a very common password." in response.get_data(as_text=True)
    assert log_in(admin_client.application.test_client(), user.email).status_code == 302


def test_create_admin_refuses_a_common_password(app):
    result = app.test_cli_runner().invoke(
        args=["cpp", "create-admin", "--email", "chief@example.org", "--password-stdin"],
        input=f"{COMMON}\n")
    assert result.exit_code != 0
    assert "very common password" in result.output
    assert db.session.scalar(select(User).where(User.email == "chief@example.org")) is None


def test_every_password_change_dates_it_and_audits_it(clock):
    user = factories.make_user("viewer")
    assert user.password_changed_at is None
    services.reset_password(user, NEW)
    assert user.password_changed_at == clock.now
    assert audit_actions()[-1] == "user.password_reset"


def test_a_new_user_has_its_password_dated():
    user = services.create_user(services.UserDetails(
        email="dated@example.org", name="Dated", role="viewer"), NEW)
    assert user.password_changed_at is not None
    assert audit_actions() == ["user.create", "user.password_set"]


def test_the_account_page_is_linked_from_the_user_menu(client, login):
    login(factories.make_user("staff", station=factories.make_station()))
    home = client.get("/home").get_data(as_text=True)
    assert 'href="/account"' in home
    assert "Change your password" in client.get("/account").get_data(as_text=True)


def test_changing_ones_own_password_needs_the_current_one(client, login):
    user = factories.make_user("viewer")
    login(user)
    response = post_form(client, "/account/password", {
        "current_password": "not my password at all", "password": NEW, "confirm": NEW})
    assert response.status_code == 400
    assert "That is not your current password." in response.get_data(as_text=True)
    db.session.refresh(user)
    assert user.check_password(factories.PASSWORD)


def test_changing_ones_own_password_ends_the_other_sessions_only(app, client, login):
    user = factories.make_user("viewer")
    phone = app.test_client()
    assert log_in(phone, user.email).status_code == 302
    login(user)
    response = post_form(client, "/account/password", {
        "current_password": factories.PASSWORD, "password": NEW, "confirm": NEW})
    assert response.status_code == 302
    assert client.get("/account").status_code == 200  # this session goes on
    assert phone.get("/home").status_code == 302  # the other one has ended
    assert audit_actions()[-1] == "user.password_change"
    db.session.refresh(user)
    assert user.check_password(NEW)
    assert user.password_changed_at is not None


def test_ones_own_new_password_is_checked_too(client, login):
    login(factories.make_user("viewer"))
    response = post_form(client, "/account/password", {
        "current_password": factories.PASSWORD, "password": COMMON, "confirm": COMMON})
    assert response.status_code == 400
    assert "This is a very common password." in response.get_data(as_text=True)
