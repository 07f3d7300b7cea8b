"""The user edit form never leaves the department without an active administrator."""

from __future__ import annotations

import re

import pytest

from cpp_app.auth.models import User
from cpp_app.extensions import db
from tests import factories
from tests.helpers import post_form


def edit_form(user: User, **overrides) -> dict:
    """The edit form of `user` as it stands, with any fields overridden ("" unticks a box)."""
    data = {"email": user.email, "name": user.name, "role": user.role,
            "station_id": str(user.station_id or ""), "member_shield": "", "active": "y"}
    data.update(overrides)
    return {name: value for name, value in data.items() if value is not None}


def error_beside(html: str, field: str) -> str:
    """The error text shown beside a field of the form."""
    match = re.search(rf'id="{field}-errors"[^>]*>\s*<div>([^<]+)</div>', html)
    assert match, f"no error beside {field}"
    return match.group(1)


@pytest.mark.parametrize(("change", "field", "message"), [
    ({"role": "viewer"}, "role",
     "This is the last active administrator; keep the role."),
    ({"active": None}, "active",
     "This is the last active administrator; keep the account active."),
])
def test_the_last_active_administrator_keeps_role_and_account(admin_client, admin_user, change,
                                                              field, message):
    other = factories.make_user("admin", active=False)
    url = f"/admin/users/{admin_user.id}/edit"
    response = post_form(admin_client, url, edit_form(admin_user, **change))
    assert response.status_code == 200
    assert error_beside(response.get_data(as_text=True), field) == message
    db.session.refresh(admin_user)
    assert (admin_user.role, admin_user.active) == ("admin", True)
    assert not other.active


def test_with_another_active_administrator_the_edit_goes_through(admin_client, admin_user):
    second = factories.make_user("admin")
    response = post_form(admin_client, f"/admin/users/{second.id}/edit",
                         edit_form(second, active=None))
    assert response.status_code == 302
    db.session.refresh(second)
    assert not second.active
    assert admin_user.active
