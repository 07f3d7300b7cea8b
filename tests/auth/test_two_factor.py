"""Two-factor authentication: enrolment on first login, TOTP and recovery codes, resets."""

from __future__ import annotations

import re

import pyotp
import pytest
from sqlalchemy import select

from cpp_app.audit.models import AuditEvent
from cpp_app.auth.models import RecoveryCode
from cpp_app.extensions import db
from tests import factories
from tests.helpers import log_in, post_form

RECOVERY = re.compile(r"<li>([a-z0-9]{4}-[a-z0-9]{4}-[a-z0-9]{4})</li>")


@pytest.fixture
def two_factor_required(app, monkeypatch):
    """Administrators and commanders must use two-factor authentication, as in production."""
    monkeypatch.setitem(app.config, "CPP_TWO_FACTOR_ROLES", frozenset({"admin", "commander"}))


def enrol(client, user, clock) -> tuple[str, list[str]]:
    """Log in for the first time and set up the app: the secret and the recovery codes."""
    response = log_in(client, user.email)
    assert response.headers["Location"].endswith("/login/two-factor")
    page = client.get("/login/two-factor").get_data(as_text=True)
    db.session.refresh(user)
    secret = user.totp_secret
    assert "<svg" in page
    assert " ".join(secret[i:i + 4] for i in range(0, len(secret), 4)) in page
    response = post_form(client, "/login/two-factor", {"code": pyotp.TOTP(secret).at(clock.now)})
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    codes = RECOVERY.findall(response.get_data(as_text=True))
    return secret, codes


def actions() -> list[str]:
    """The audit actions so far."""
    return list(db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.sequence)))


@pytest.mark.usefixtures("two_factor_required")
def test_an_administrator_enrols_at_first_login_and_gets_ten_recovery_codes(app, clock):
    admin = factories.make_user("admin")
    client = app.test_client()
    assert client.get("/home").status_code == 302
    log_in(client, admin.email)
    assert client.get("/home").status_code == 302  # not logged in before the app is set up
    _secret, codes = enrol(app.test_client(), admin, clock)
    assert len(set(codes)) == 10
    stored = list(db.session.scalars(select(RecoveryCode.code_hash)))
    assert len(stored) == 10
    assert not set(codes) & set(stored)  # kept hashed only
    assert "user.two_factor_enable" in actions()


@pytest.mark.usefixtures("two_factor_required")
def test_a_wrong_first_code_does_not_turn_it_on(app):
    admin = factories.make_user("commander", station=factories.make_station())
    client = app.test_client()
    log_in(client, admin.email)
    response = post_form(client, "/login/two-factor", {"code": "000000"})
    assert response.status_code == 400
    assert "That code does not match" in response.get_data(as_text=True)
    db.session.refresh(admin)
    assert not admin.has_two_factor


@pytest.mark.usefixtures("two_factor_required")
def test_login_asks_for_the_code_after_the_password(app, clock):
    admin = factories.make_user("admin")
    secret, _codes = enrol(app.test_client(), admin, clock)
    clock.advance(30)
    client = app.test_client()
    response = log_in(client, admin.email)
    assert response.headers["Location"].endswith("/login/code")
    assert client.get("/home").status_code == 302
    wrong = post_form(client, "/login/code", {"code": "123456"})
    assert wrong.status_code == 400
    assert "That code is not right." in wrong.get_data(as_text=True)
    right = post_form(client, "/login/code", {"code": pyotp.TOTP(secret).at(clock.now)})
    assert right.status_code == 302
    assert client.get("/home").status_code == 200


@pytest.mark.usefixtures("two_factor_required")
def test_a_code_is_accepted_only_once(app, clock):
    admin = factories.make_user("admin")
    secret, _codes = enrol(app.test_client(), admin, clock)
    clock.advance(30)
    code = pyotp.TOTP(secret).at(clock.now)
    first, second = app.test_client(), app.test_client()
    log_in(first, admin.email)
    assert post_form(first, "/login/code", {"code": code}).status_code == 302
    log_in(second, admin.email)
    assert post_form(second, "/login/code", {"code": code}).status_code == 400


@pytest.mark.usefixtures("two_factor_required")
def test_a_recovery_code_logs_in_once(app, clock):
    admin = factories.make_user("admin")
    _secret, codes = enrol(app.test_client(), admin, clock)
    for expected in (302, 400):
        client = app.test_client()
        log_in(client, admin.email)
        response = post_form(client, "/login/code", {"code": codes[0].upper()})
        assert response.status_code == expected
    assert "with a recovery code" in db.session.scalar(
        select(AuditEvent.summary).where(AuditEvent.action == "user.login")
        .order_by(AuditEvent.sequence.desc()))


@pytest.mark.usefixtures("two_factor_required")
def test_wrong_codes_are_throttled_like_wrong_passwords(app, clock):
    admin = factories.make_user("admin")
    secret, _codes = enrol(app.test_client(), admin, clock)
    client = app.test_client()
    log_in(client, admin.email)
    for _ in range(app.config["CPP_LOGIN_FREE_FAILURES"] + 1):
        post_form(client, "/login/code", {"code": "999999"})
    refused = post_form(client, "/login/code", {"code": pyotp.TOTP(secret).at(clock.now)})
    assert refused.status_code == 429
    assert "Try again in 1 second." in refused.get_data(as_text=True)


@pytest.mark.usefixtures("two_factor_required")
def test_roles_that_need_no_second_factor_log_in_with_the_password(client):
    staff = factories.make_user("staff", station=factories.make_station())
    assert log_in(client, staff.email).headers["Location"].endswith("/home")


@pytest.mark.usefixtures("two_factor_required")
def test_an_administrator_resets_another_users_two_factor(app, clock):
    commander = factories.make_user("commander", station=factories.make_station())
    commander_client = app.test_client()
    enrol(commander_client, commander, clock)
    assert commander_client.get("/home").status_code == 200
    admin = factories.make_user("admin")
    admin_client = app.test_client()
    enrol(admin_client, admin, clock)
    response = post_form(admin_client, f"/admin/users/{commander.id}/two-factor", {},
                         form_page=f"/admin/users/{commander.id}/two-factor")
    assert response.status_code == 302
    assert commander_client.get("/home").status_code == 302  # their sessions ended
    assert "user.two_factor_reset" in actions()
    assert db.session.scalar(select(RecoveryCode).where(
        RecoveryCode.user_id == commander.id)) is None
    again = log_in(app.test_client(), commander.email)
    assert again.headers["Location"].endswith("/login/two-factor")


@pytest.mark.usefixtures("two_factor_required")
def test_new_recovery_codes_replace_the_old_ones(app, clock):
    admin = factories.make_user("admin")
    client = app.test_client()
    _secret, old_codes = enrol(client, admin, clock)
    response = post_form(client, "/account/recovery-codes", {}, form_page="/account")
    new_codes = RECOVERY.findall(response.get_data(as_text=True))
    assert len(new_codes) == 10
    assert not set(new_codes) & set(old_codes)
    other = app.test_client()
    log_in(other, admin.email)
    assert post_form(other, "/login/code", {"code": old_codes[1]}).status_code == 400
    assert post_form(other, "/login/code", {"code": new_codes[1]}).status_code == 302


def test_the_code_page_without_a_password_step_goes_back_to_login(client):
    response = client.get("/login/code")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/login")


def test_any_user_may_turn_two_factor_on_from_their_account_and_off_again(app, client, login,
                                                                          clock):
    viewer = factories.make_user("viewer")
    login(viewer)
    assert "Set up two-factor authentication" in client.get("/account").get_data(as_text=True)
    response = post_form(client, "/account/two-factor/start", {}, form_page="/account")
    assert response.headers["Location"].endswith("/account/two-factor")
    assert "<svg" in client.get("/account/two-factor").get_data(as_text=True)
    db.session.refresh(viewer)
    confirmed = post_form(client, "/account/two-factor",
                          {"code": pyotp.TOTP(viewer.totp_secret).at(clock.now)})
    assert len(RECOVERY.findall(confirmed.get_data(as_text=True))) == 10
    next_login = app.test_client()
    assert log_in(next_login, viewer.email).headers["Location"].endswith("/login/code")

    refused = post_form(client, "/account/two-factor/off",
                        {"current_password": "not my password at all"})
    assert "That is not your current password." in refused.get_data(as_text=True)
    assert post_form(client, "/account/two-factor/off",
                     {"current_password": factories.PASSWORD}).status_code == 302
    assert "user.two_factor_disable" in actions()
    assert log_in(app.test_client(), viewer.email).headers["Location"].endswith("/home")


@pytest.mark.usefixtures("two_factor_required")
def test_a_role_that_requires_two_factor_cannot_turn_it_off(app, clock):
    admin = factories.make_user("admin")
    client = app.test_client()
    enrol(client, admin, clock)
    assert "Turn two-factor authentication off" not in client.get("/account").get_data(
        as_text=True)
    response = post_form(client, "/account/two-factor/off",
                         {"current_password": factories.PASSWORD})
    assert "Your role requires two-factor authentication." in response.get_data(as_text=True)
    db.session.refresh(admin)
    assert admin.has_two_factor
