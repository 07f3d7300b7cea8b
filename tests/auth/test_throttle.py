"""Failed logins slow down the account and the client with growing waits, never a lockout."""

from __future__ import annotations

import logging
import re

import pytest
from sqlalchemy import select

from cpp_app.audit.models import AuditEvent
from cpp_app.auth.throttle import ThrottleKeys, failures_of, wait_seconds
from cpp_app.extensions import db
from tests import factories
from tests.helpers import client_from, csrf_token, log_in, make_test_app

ATTACKER = "203.0.113.66"
WRONG = "not the password at all"
OFFICE = "198.51.100.7"
WAIT = re.compile(r"Try again in (\d+) (second|minute)s?\.")


def attempt(client, email, password=WRONG):
    """One login attempt: (status, the wait the page names or None)."""
    response = log_in(client, email, password)
    found = WAIT.search(response.get_data(as_text=True))
    if found is None:
        return response.status_code, None
    return response.status_code, int(found.group(1)) * (60 if found.group(2) == "minute" else 1)


def test_waits_grow_after_the_free_failures_and_the_message_names_them(app, clock):
    admin = factories.make_user("admin")
    attacker = client_from(app, ATTACKER)
    free = app.config["CPP_LOGIN_FREE_FAILURES"]
    for _ in range(free):
        assert attempt(attacker, admin.email) == (400, None)
    waits = []
    for _ in range(6):
        status, wait = attempt(attacker, admin.email)
        assert status == 400
        waits.append(wait)
        clock.advance(wait)
    assert waits == [1, 2, 4, 8, 16, 32]
    # The account's own wait, which any other address meets too, stops at its cap.
    assert wait_seconds(ThrottleKeys.of(admin.email, OFFICE)) == 0
    attempt(attacker, admin.email)
    assert wait_seconds(ThrottleKeys.of(admin.email, OFFICE)) == \
        app.config["CPP_LOGIN_ACCOUNT_MAX_DELAY_SECONDS"]


def test_an_attempt_while_waiting_is_refused_unchecked_and_not_counted(app, clock):
    admin = factories.make_user("admin")
    attacker = client_from(app, ATTACKER)
    for _ in range(app.config["CPP_LOGIN_FREE_FAILURES"] + 5):
        _status, wait = attempt(attacker, admin.email)
        clock.advance(wait or 0)
    _status, wait = attempt(attacker, admin.email)  # sets a 32-second wait on the client
    counted = failures_of(ThrottleKeys.of(admin.email, ATTACKER).client)
    clock.advance(2)
    response = log_in(attacker, admin.email)  # even the right password
    assert response.status_code == 429
    assert response.headers["Retry-After"] == str(wait - 2)
    assert f"Too many failed attempts. Try again in {wait - 2} seconds." in \
        response.get_data(as_text=True)
    assert failures_of(ThrottleKeys.of(admin.email, ATTACKER).client) == counted
    assert wait == 32


def test_an_attacker_cannot_keep_the_administrator_out_from_another_address(app, clock):
    admin = factories.make_user("admin")
    attacker, office = client_from(app, ATTACKER), client_from(app, OFFICE)
    for _ in range(15):  # guessing as fast as the waits allow
        _status, wait = attempt(attacker, admin.email)
        clock.advance(wait or 0)
    _status, attacker_wait = attempt(attacker, admin.email)
    assert attacker_wait > 60  # the attacker's own address waits longer and longer
    status, office_wait = attempt(office, admin.email, factories.PASSWORD)
    assert status == 429
    assert office_wait <= app.config["CPP_LOGIN_ACCOUNT_MAX_DELAY_SECONDS"]
    clock.advance(office_wait)
    assert log_in(office, admin.email).status_code == 302
    assert office.get("/home").status_code == 200
    assert attempt(attacker, admin.email, factories.PASSWORD)[0] == 429


def test_a_successful_login_forgets_the_accounts_failures(app, clock):
    viewer = factories.make_user("viewer")
    client = client_from(app, OFFICE)
    for _ in range(app.config["CPP_LOGIN_FREE_FAILURES"] + 1):
        attempt(client, viewer.email)
    assert failures_of(ThrottleKeys.of(viewer.email, OFFICE).account) == 4
    clock.advance(1)
    assert log_in(client, viewer.email).status_code == 302
    assert failures_of(ThrottleKeys.of(viewer.email, OFFICE).account) == 0


def test_every_worker_sees_the_same_counters(app, tmp_path, clock):
    viewer = factories.make_user("viewer")
    other_worker = make_test_app(tmp_path, SQLALCHEMY_DATABASE_URI=app.config[
        "SQLALCHEMY_DATABASE_URI"])
    for _ in range(app.config["CPP_LOGIN_FREE_FAILURES"] + 1):
        attempt(client_from(app, ATTACKER), viewer.email)
    with other_worker.app_context():
        status, wait = attempt(client_from(other_worker, ATTACKER), viewer.email,
                               factories.PASSWORD)
        db.session.remove()
        db.engine.dispose()
    assert (status, wait) == (429, 1)
    clock.advance(1)


@pytest.mark.parametrize("email", ["nobody@example.org", "known"])
def test_unknown_and_known_emails_fail_alike_and_are_audited_with_the_address(app, email):
    viewer = factories.make_user("viewer")
    email = viewer.email if email == "known" else email
    response = log_in(client_from(app, ATTACKER), email, WRONG)
    assert response.status_code == 400
    assert "That email and password do not match an account." in response.get_data(as_text=True)
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "user.login_failed"))
    assert event.client_address == ATTACKER
    assert ("unknown email nobody@example.org" in event.summary) == (email != viewer.email)


def test_logout_is_audited(app):
    viewer = factories.make_user("viewer")
    client = client_from(app, OFFICE)
    log_in(client, viewer.email)
    client.post("/logout", data={"csrf_token": csrf_token(client, "/home")})
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "user.logout"))
    assert event is not None
    assert event.actor_user_id == viewer.id
    assert event.client_address == OFFICE


def test_a_refused_page_is_logged_with_who_and_where_from(app, caplog):
    viewer = factories.make_user("viewer")
    client = client_from(app, OFFICE)
    log_in(client, viewer.email)
    with caplog.at_level(logging.WARNING, logger="cpp_app.security"):
        assert client.get("/admin/users").status_code == 403
    assert any(f"GET /admin/users to {viewer.email} from {OFFICE}" in record.getMessage()
               for record in caplog.records)


def test_a_browser_that_logged_in_before_is_not_held_up_by_guesses_from_many_addresses(app):
    admin = factories.make_user("admin")
    laptop = client_from(app, OFFICE)
    assert log_in(laptop, admin.email).status_code == 302
    laptop.post("/logout", data={"csrf_token": csrf_token(laptop, "/home")})
    for number in range(12):  # one guess from each of many addresses
        attempt(client_from(app, f"203.0.113.{number}"), admin.email)
    new_browser = client_from(app, OFFICE)
    status, wait = attempt(new_browser, admin.email, factories.PASSWORD)
    assert status == 429
    assert 0 < wait <= app.config["CPP_LOGIN_ACCOUNT_MAX_DELAY_SECONDS"]
    assert log_in(laptop, admin.email).status_code == 302  # at once, from the known browser


def test_a_device_cookie_vouches_only_for_its_own_account(app):
    admin, viewer = factories.make_user("admin"), factories.make_user("viewer")
    browser = client_from(app, OFFICE)
    assert log_in(browser, viewer.email).status_code == 302
    browser.post("/logout", data={"csrf_token": csrf_token(browser, "/home")})
    for number in range(12):
        attempt(client_from(app, f"203.0.113.{number}"), admin.email)
    assert attempt(browser, admin.email, factories.PASSWORD)[0] == 429
    forged = client_from(app, OFFICE)
    forged.set_cookie("cpp_device", "eyJlIjoiYWRtaW4ifQ.forged.signature")
    assert attempt(forged, admin.email, factories.PASSWORD)[0] == 429
