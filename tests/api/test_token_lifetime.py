"""API tokens expire, stop at a password reset, and administrators revoke anyone's."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from cpp_app.api import services
from cpp_app.api.models import DEFAULT_TOKEN_DAYS, MAX_TOKEN_DAYS, ApiToken
from cpp_app.audit.models import AuditEvent
from cpp_app.audit.services import acting_as
from cpp_app.auth import services as auth_services
from cpp_app.extensions import db
from cpp_app.models import utcnow
from tests import factories
from tests.factories.api import bearer, make_api_token
from tests.helpers import post_form

RECORDS_URL = "/api/v1/engagement-records"


def test_a_token_lasts_the_days_chosen_and_ninety_by_default():
    admin = factories.make_user("admin")
    default, _ = make_api_token(admin, ["engagement:read"])
    assert default.expires_at - default.created_at == timedelta(days=DEFAULT_TOKEN_DAYS)
    short, _ = make_api_token(admin, ["engagement:read"], days=7)
    assert short.expires_at - short.created_at == timedelta(days=7)
    for days in (0, MAX_TOKEN_DAYS + 1):
        with pytest.raises(services.ApiError) as refused:
            make_api_token(admin, ["engagement:read"], days=days)
        assert refused.value.field == "days"


@pytest.mark.usefixtures("station")
def test_an_expired_token_is_refused_with_a_clear_401(client):
    token, secret = make_api_token(factories.make_user("admin"), ["engagement:read"])
    assert client.get(RECORDS_URL, headers=bearer(secret)).status_code == 200
    token.expires_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    refused = client.get(RECORDS_URL, headers=bearer(secret))
    assert refused.status_code == 401
    assert refused.get_json()["error"] == {
        "status": 401,
        "message": f"The API token expired on {token.expires_at:%Y-%m-%d}; "
                   "create a new one under API tokens."}


def test_the_tokens_page_chooses_and_shows_the_expiry(client, login):
    user = factories.make_user("admin")
    login(user)
    page = post_form(client, "/account/api-tokens",
                     {"name": "CAD", "scopes": "engagement:read", "days": "30"})
    assert page.status_code == 200
    token = db.session.scalar(select(ApiToken))
    assert token.expires_at - token.created_at == timedelta(days=30)
    listing = client.get("/account/api-tokens").get_data(as_text=True)
    assert "<th scope=\"col\">Expires</th>" in listing
    too_long = post_form(client, "/account/api-tokens",
                         {"name": "CAD", "scopes": "engagement:read", "days": "400"})
    assert too_long.status_code == 400
    assert re.search(r'id="days-errors"[^>]*>\s*<div>Number must be between 1 and 365',
                     too_long.get_data(as_text=True))


@pytest.mark.usefixtures("station")
def test_a_password_reset_stops_the_tokens_made_before_it(client):
    admin = factories.make_user("admin")
    user = factories.make_user("admin")
    _, secret = make_api_token(user, ["engagement:read"])
    assert client.get(RECORDS_URL, headers=bearer(secret)).status_code == 200
    with acting_as(admin.email):
        auth_services.reset_password(user, "a-brand-new-password-2026")
    refused = client.get(RECORDS_URL, headers=bearer(secret))
    assert refused.status_code == 401
    assert "password was last changed" in refused.get_json()["error"]["message"]
    _, fresh = make_api_token(user, ["engagement:read"])
    assert client.get(RECORDS_URL, headers=bearer(fresh)).status_code == 200


def test_only_an_administrator_revokes_another_users_token():
    station = factories.make_station("N1")
    commander = factories.make_user("commander", station=station)
    token, _ = make_api_token(commander, ["engagement:read"])
    other = factories.make_user("commander", station=station)
    with pytest.raises(services.ApiError) as refused, acting_as(other.email):
        services.revoke_token(token, acting_user=other)
    assert refused.value.status == 403
    assert token.active


def test_administrators_list_every_token_and_revoke_after_confirming(client, login):
    station = factories.make_station("N1")
    owner = factories.make_user("commander", station=station, name="Casey Owner")
    token, secret = make_api_token(owner, ["engagement:read"], name="Night CAD")
    admin = factories.make_user("admin")
    login(admin)
    listing = client.get("/admin/api-tokens").get_data(as_text=True)
    assert "<td>Night CAD</td>" in listing
    assert owner.email in listing
    confirm = client.get(f"/admin/api-tokens/{token.id}/revoke")
    assert confirm.status_code == 200
    assert "Revoke the token “Night CAD” of Casey Owner?" in confirm.get_data(as_text=True)
    assert token.active
    done = post_form(client, f"/admin/api-tokens/{token.id}/revoke", {})
    assert done.status_code == 302
    db.session.refresh(token)
    assert not token.active
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "api_token.revoke"))
    assert event.actor_label == admin.email
    assert event.summary == f"Night CAD (of {owner.email})"
    assert client.get(RECORDS_URL, headers=bearer(secret)).status_code == 401
    working = client.get("/admin/api-tokens?status=active").get_data(as_text=True)
    assert "<td>Night CAD</td>" not in working
