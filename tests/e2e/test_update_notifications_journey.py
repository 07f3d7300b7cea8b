"""An update's workflow in the browser: who is told, the preview, and a form's error summary.

A commander submits; the administrator sees the notification, follows it, previews the public
page, approves and publishes; the commander sees both notifications. A form sent back with
errors puts the focus on its summary (with scripts and without), and a link there moves the
focus to its field.
"""

from __future__ import annotations

from datetime import date

from playwright.sync_api import expect
from sqlalchemy import func, select

from cpp_app.extensions import db
from cpp_app.reminders.models import OutboxEmail
from tests import factories
from tests.e2e.browsing import log_in, serious_violations
from tests.factories.plans import adopted_plan, complete_update

ADOPTED = date(2026, 6, 30)


def focused_id(page) -> str:
    """The id of the element that has the focus."""
    return page.evaluate("document.activeElement && document.activeElement.id")


def test_commander_submits_admin_previews_approves_publishes_and_everyone_is_told(
        new_page, page, live_server, station):
    commander = factories.make_user("commander", station=station, email="cmd@example.org")
    admin = factories.make_user("admin", email="chief@example.org")
    update = complete_update(adopted_plan(station, adopted_on=ADOPTED))

    log_in(page, live_server, commander.email, factories.PASSWORD)
    page.goto(f"{live_server}/updates/{update.id}")
    page.get_by_role("button", name="Submit for approval").click()
    expect(page.get_by_text("Status: Submitted")).to_be_visible()

    admin_page = new_page()
    log_in(admin_page, live_server, admin.email, factories.PASSWORD)
    expect(admin_page.get_by_role("link", name="Notifications 1 unread")).to_be_visible()
    admin_page.get_by_role("link", name="Notifications 1 unread").click()
    admin_page.get_by_role("link", name=f"{station.name}: update submitted for approval").click()
    assert admin_page.url.endswith(f"/updates/{update.id}")
    admin_page.get_by_role("link", name="Preview and approve").click()
    expect(admin_page.get_by_text("Preview — not yet public")).to_be_visible()
    expect(admin_page.get_by_text("Residents still worry about speeding.")).to_be_visible()
    assert serious_violations(admin_page) == []
    admin_page.get_by_role("button", name="Approve the update").click()
    expect(admin_page.get_by_text("Status: Approved")).to_be_visible()
    admin_page.get_by_role("link", name="Preview and publish").click()
    expect(admin_page.get_by_text("Preview — not yet public")).to_be_visible()
    admin_page.get_by_role("button", name="Publish on the public page").click()
    expect(admin_page.get_by_text("Status: Published")).to_be_visible()

    page.goto(f"{live_server}/notifications")
    expect(page.get_by_role("link", name=f"{station.name}: update approved")).to_be_visible()
    expect(page.get_by_role("link", name=f"{station.name}: update published")).to_be_visible()
    expect(page.get_by_role("link", name="Notifications 2 unread")).to_be_visible()
    assert serious_violations(page) == []
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(OutboxEmail)) == 3


def test_the_error_summary_takes_the_focus_and_its_links_reach_the_fields(
        page, new_page, live_server, station):
    commander = factories.make_user("commander", station=station, email="cmd@example.org")
    plan = adopted_plan(station, adopted_on=ADOPTED)
    update = complete_update(plan)
    log_in(page, live_server, commander.email, factories.PASSWORD)
    page.goto(f"{live_server}/updates/{update.id}")
    page.get_by_label("Headline results").fill("Forty residents came")
    page.get_by_role("button", name="Add the source").click()

    expect(page).to_have_title(f"Error: {station.code} update due {update.due_on.isoformat()}"
                               " · CPP Manager")
    assert page.url == f"{live_server}/updates/{update.id}"
    expect(page.locator("[data-error-summary] h2")).to_be_focused()
    expect(page.get_by_label("Headline results")).to_have_value("Forty residents came")
    assert serious_violations(page) == []
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Survey or meeting: This field is required.")
           ).to_be_focused()
    page.keyboard.press("Enter")
    assert focused_id(page) == "reference"
    page.keyboard.type("Autumn safety survey")
    page.keyboard.press("Enter")
    expect(page.get_by_role("status").first).to_contain_text("Saved.")
    expect(page.get_by_text("Survey: Autumn safety survey")).to_be_visible()

    no_script = new_page(java_script_enabled=False)
    log_in(no_script, live_server, commander.email, factories.PASSWORD)
    no_script.goto(f"{live_server}/meetings/new")
    no_script.get_by_label("Place").fill("Lincoln Elementary gym")
    no_script.get_by_role("button", name="Save the meeting").click()
    expect(no_script.locator("[data-error-summary] h2")).to_be_focused()
    assert no_script.title().startswith("Error: ")
    expect(no_script.get_by_label("Place")).to_have_value("Lincoln Elementary gym")
    # (axe runs as a script, so the page is checked with scripts on.)
    page.goto(f"{live_server}/meetings/new")
    page.get_by_role("button", name="Save the meeting").click()
    expect(page.locator("[data-error-summary] h2")).to_be_focused()
    assert serious_violations(page) == []
