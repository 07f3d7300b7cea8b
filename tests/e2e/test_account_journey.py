"""Browser journeys of one's own account: a forgotten password by email, and two-factor login."""

from __future__ import annotations

import email
import re

import pyotp
import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from cpp_app.extensions import db
from cpp_app.reminders.models import OutboxEmail
from cpp_app.reminders.services import send_outbox
from tests import factories
from tests.e2e.browsing import log_in, serious_violations
from tests.helpers import smtp_server

NEW_PASSWORD = "lantern orbit pebble saxophone"


@pytest.fixture
def mail_server(app, monkeypatch):
    """A real SMTP server on loopback, with the app's outbox pointed at it."""
    with smtp_server() as inbox:
        monkeypatch.setitem(app.config, "MAIL_SERVER", "127.0.0.1")
        monkeypatch.setitem(app.config, "MAIL_PORT", inbox.port)
        monkeypatch.setitem(app.config, "MAIL_USE_TLS", False)
        yield inbox


def test_a_forgotten_password_is_reset_through_the_emailed_link(page, live_server, mail_server):
    user = factories.make_user("staff", station=factories.make_station())
    page.goto(f"{live_server}/login")
    page.get_by_role("link", name="Forgot your password?").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Forgot your password?")
    page.get_by_label("Email").fill(user.email)
    page.get_by_role("button", name="Email me a link").click()
    expect(page.get_by_role("status")).to_contain_text("a link to choose a new password")

    db.session.commit()
    assert send_outbox().sent == 1  # what the scheduler does every minute
    [(recipients, raw)] = mail_server.messages
    assert recipients == [user.email]
    body = email.message_from_string(raw).get_payload(decode=True).decode()
    link = re.search(r"(http://\S+/login/reset/\S+)", body).group(1)
    assert link.startswith(live_server)
    stored = db.session.scalar(select(OutboxEmail))
    assert link not in stored.body  # erased from the outbox once sent

    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("Choose a new password")
    assert serious_violations(page) == []
    page.get_by_label("New password", exact=True).fill("password1234")
    page.get_by_label("Repeat the new password").fill("password1234")
    page.get_by_role("button", name="Set new password").click()
    expect(page.locator("#password-errors")).to_contain_text("very common password")

    page.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("Repeat the new password").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Set new password").click()
    expect(page.get_by_role("status")).to_contain_text("Your password has been changed")
    log_in(page, live_server, user.email, NEW_PASSWORD)

    page.goto(link)  # the link worked once
    expect(page.get_by_role("heading", level=1)).to_have_text("Forgot your password?")


def test_an_administrator_sets_up_two_factor_and_logs_in_with_a_code_and_a_recovery_code(
        app, page, new_page, live_server, clock, monkeypatch):
    monkeypatch.setitem(app.config, "CPP_TWO_FACTOR_ROLES", frozenset({"admin", "commander"}))
    admin = factories.make_user("admin")
    page.goto(f"{live_server}/login")
    page.get_by_label("Email").fill(admin.email)
    page.get_by_label("Password").fill(factories.PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Set up two-factor authentication")
    expect(page.locator(".totp-qr svg")).to_be_visible()
    assert serious_violations(page) == []
    secret = page.locator("#totp-secret").inner_text().replace(" ", "")
    page.get_by_label("Code from the app").fill(pyotp.TOTP(secret).at(clock.now))
    page.get_by_role("button", name="Turn on two-factor authentication").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Your recovery codes")
    codes = page.locator("ol.recovery-codes li").all_inner_texts()
    assert len(codes) == 10
    assert serious_violations(page) == []
    download = page.get_by_role("link", name="Download the codes as a text file")
    assert download.get_attribute("download") == "cpp-manager-recovery-codes.txt"
    assert codes[0] in download.get_attribute("href")
    page.get_by_role("link", name="I have saved them: continue").click()
    page.wait_for_url(f"{live_server}/home")

    clock.advance(30)
    with_code = new_page()
    _log_in_with_second_step(with_code, live_server, admin.email,
                             pyotp.TOTP(secret).at(clock.now))
    with_recovery = new_page()
    _log_in_with_second_step(with_recovery, live_server, admin.email, codes[3])
    expect(with_recovery.get_by_role("link", name="Account")).to_be_visible()
    with_recovery.get_by_role("link", name="Account").click()
    expect(with_recovery.get_by_text("You have 9 unused recovery codes.")).to_be_visible()


def _log_in_with_second_step(page, live_server, address, code):
    """Log in with the password, then the code the second step asks for."""
    page.goto(f"{live_server}/login")
    page.get_by_label("Email").fill(address)
    page.get_by_label("Password").fill(factories.PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Enter your two-factor code")
    assert serious_violations(page) == []
    page.get_by_label("Code").fill(code)
    page.get_by_role("button", name="Verify").click()
    page.wait_for_url(f"{live_server}/home")
