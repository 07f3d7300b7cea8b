"""User administration: create, edit, deactivate with confirmation, reset passwords."""

from __future__ import annotations

from sqlalchemy import select

from cpp_app.audit.models import AuditEvent
from cpp_app.auth.models import User
from cpp_app.extensions import db
from tests import factories
from tests.helpers import log_in, post_form

NEW_PASSWORD = "a brand new passphrase"


def user_form(**overrides) -> dict:
    """The new-user form filled in for a viewer, with any fields overridden."""
    data = {"email": "new.person@example.org", "name": "New Person", "role": "viewer",
            "station_id": "", "member_shield": "", "active": "y", "password": NEW_PASSWORD}
    data.update(overrides)
    return data


def test_admin_creates_a_user_who_can_log_in(app, admin_client):
    response = post_form(admin_client, "/admin/users/new",
                         user_form(email="New.Person@Example.org"))
    assert response.status_code == 302
    user = db.session.scalar(select(User).where(User.email == "new.person@example.org"))
    assert user.role == "viewer"
    assert user.password_hash.startswith("scrypt:")
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "user.create"))
    assert "password_hash" not in event.after
    assert log_in(app.test_client(), "new.person@example.org", NEW_PASSWORD).status_code == 302


def test_commander_needs_a_station(admin_client):
    response = post_form(admin_client, "/admin/users/new", user_form(role="commander"))
    assert "must belong to a station" in response.get_data(as_text=True)
    assert db.session.scalar(select(User).where(User.email == "new.person@example.org")) is None


def test_user_links_to_a_member_by_shield(admin_client, station):
    member = factories.make_member(station, shield="5150")
    response = post_form(admin_client, "/admin/users/new", user_form(
        role="staff", station_id=str(station.id), member_shield="5150"))
    assert response.status_code == 302
    user = db.session.scalar(select(User).where(User.email == "new.person@example.org"))
    assert user.member_id == member.id


def test_short_password_and_duplicate_email_are_refused(admin_client, admin_user):
    body = post_form(admin_client, "/admin/users/new", user_form(password="short")) \
        .get_data(as_text=True)
    assert "between 12 and 200 characters" in body
    body = post_form(admin_client, "/admin/users/new", user_form(email=admin_user.email)) \
        .get_data(as_text=True)
    assert "already uses" in body
    assert list(db.session.scalars(select(User.email))) == [admin_user.email]


def test_edit_user_changes_role(admin_client, station):
    user = factories.make_user("viewer")
    response = post_form(admin_client, f"/admin/users/{user.id}/edit", {
        "email": user.email, "name": "Renamed", "role": "staff", "station_id": str(station.id),
        "member_shield": "", "active": "y",
    })
    assert response.status_code == 302
    db.session.refresh(user)
    assert user.role == "staff"
    assert user.station_id == station.id
    assert user.name == "Renamed"


def test_deactivation_asks_for_confirmation_then_ends_sessions(app, admin_client):
    user = factories.make_user("viewer")
    their_client = app.test_client()
    assert log_in(their_client, user.email).status_code == 302
    confirm_page = admin_client.get(f"/admin/users/{user.id}/active").get_data(as_text=True)
    assert "will no longer be able to log in" in confirm_page
    db.session.refresh(user)
    assert user.active  # viewing the confirmation changes nothing
    response = post_form(admin_client, f"/admin/users/{user.id}/active", {})
    assert response.status_code == 302
    db.session.refresh(user)
    assert not user.active
    assert their_client.get("/home").status_code == 302
    assert log_in(app.test_client(), user.email).status_code == 400


def test_admin_cannot_deactivate_themselves(admin_client, admin_user):
    response = post_form(admin_client, f"/admin/users/{admin_user.id}/active", {},
                         follow_redirects=True)
    assert "cannot deactivate your own account" in response.get_data(as_text=True)
    db.session.refresh(admin_user)
    assert admin_user.active


def test_reset_password_unlocks_and_replaces_the_old_one(app, admin_client):
    user = factories.make_user("viewer")
    response = post_form(admin_client, f"/admin/users/{user.id}/password", {
        "password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert response.status_code == 302
    assert log_in(app.test_client(), user.email).status_code == 400
    assert log_in(app.test_client(), user.email, NEW_PASSWORD).status_code == 302


def test_reset_password_requires_matching_confirmation(app, admin_client):
    user = factories.make_user("viewer")
    response = post_form(admin_client, f"/admin/users/{user.id}/password", {
        "password": NEW_PASSWORD, "confirm": "something else entirely"})
    assert "do not match" in response.get_data(as_text=True)
    assert log_in(app.test_client(), user.email, NEW_PASSWORD).status_code == 400
    assert log_in(app.test_client(), user.email).status_code == 302


def test_user_list_filters_by_role_and_status(admin_client):
    factories.make_user("training", name="Trainer Tess")
    factories.make_user("viewer", name="Viewer Vic", active=False)
    body = admin_client.get("/admin/users?role=training").get_data(as_text=True)
    assert "Trainer Tess" in body
    assert "Viewer Vic" not in body
    body = admin_client.get("/admin/users?status=inactive").get_data(as_text=True)
    assert "Viewer Vic" in body
    assert "Trainer Tess" not in body
