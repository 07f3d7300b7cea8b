"""A plan and its semi-annual update, from a commander's draft to the public page.

A commander writes and adopts a plan, writes the semi-annual update and submits it; an
administrator approves and publishes it; the public page shows it.
"""

from __future__ import annotations

from playwright.sync_api import expect

from tests import factories
from tests.e2e.browsing import log_in, serious_violations


def test_plan_from_draft_to_published_update(new_page, page, live_server, station):
    owner = factories.make_member(station, shield="2121")
    commander = factories.make_user("commander", station=station, email="cmd@example.org")
    admin = factories.make_user("admin", email="chief@example.org")

    log_in(page, live_server, commander.email, factories.PASSWORD)
    page.get_by_role("link", name="Plans", exact=True).click()
    page.get_by_role("link", name=station.code).click()
    page.get_by_role("button", name="Start the station's plan").click()

    page.get_by_role("link", name="Add a priority").click()
    page.get_by_label("Priority", exact=True).fill("Speeding near schools")
    page.get_by_label("Quality of life").check()
    page.get_by_label("Where it came from").select_option("survey")
    page.get_by_role("button", name="Save priority").click()

    page.get_by_role("link", name="Add a problem").click()
    page.get_by_label("Problem", exact=True).fill("Speeding on Elm Street")
    page.get_by_label("Priority it serves").select_option(label="Speeding near schools")
    page.get_by_label("Location").fill("Elm St & 5th Ave")
    page.get_by_role("button", name="Save problem").click()

    page.get_by_role("link", name="Add a response to Speeding on Elm Street").click()
    page.get_by_label("Response", exact=True).fill("School-zone safety walks with parents")
    page.get_by_label("Partnership").check()
    page.get_by_label("Owner (shield number)").fill(owner.shield_number)
    page.get_by_role("button", name="Save response").click()
    expect(page.get_by_text("100%")).to_be_visible()

    page.get_by_role("link", name="Adopt the plan").click()
    page.get_by_label("Adopted on").fill("2026-06-15")
    page.get_by_role("button", name="Adopt the plan").click()
    expect(page.get_by_role("status").first).to_contain_text("The first update is due")

    page.get_by_role("button", name="Start the update").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("semi-annual update")
    assert serious_violations(page) == []
    page.get_by_label("Summary of community feedback").fill(
        "Parents want safer crossings; speeding still tops the survey.")
    page.get_by_role("button", name="Save the summary").click()
    page.get_by_label("Survey or meeting").fill("Autumn safety survey")
    page.get_by_role("button", name="Add the source").click()
    page.get_by_label("Evidence").fill("Average speeds down 4 mph at Elm St")
    page.get_by_label("Decision").select_option("keep")
    page.get_by_role("button", name="Save the assessment").click()
    page.get_by_label("Yes").check()
    page.get_by_label("Why").fill("Add a crossing guard programme")
    page.get_by_role("button", name="Save the decision").click()
    page.get_by_label("Response", exact=True).fill("Volunteer crossing guards at Lincoln")
    page.get_by_label("Problem (for a new response)").select_option(
        label="Speeding on Elm Street")
    page.get_by_label("Prevention").check()
    page.get_by_label("Community-input-based").check()
    page.get_by_label("Rationale").fill("Parents asked for it at the October town hall")
    page.get_by_role("button", name="Add the change").click()
    page.get_by_label("Channel").select_option("newsletter")
    page.get_by_label("Date", exact=True).last.fill("2026-12-01")
    page.get_by_role("button", name="Add the sharing").click()
    expect(page.get_by_text("All four elements are complete.")).to_be_visible()
    page.get_by_role("button", name="Submit for approval").click()
    expect(page.get_by_text("Status: Submitted")).to_be_visible()
    update_url = page.url

    admin_page = new_page()
    log_in(admin_page, live_server, admin.email, factories.PASSWORD)
    admin_page.goto(update_url)
    admin_page.get_by_role("link", name="Preview and approve").click()
    expect(admin_page.get_by_text("Preview — not yet public")).to_be_visible()
    admin_page.get_by_role("button", name="Approve the update").click()
    expect(admin_page.get_by_text("Status: Approved")).to_be_visible()
    admin_page.get_by_role("link", name="Preview and publish").click()
    admin_page.get_by_role("button", name="Publish on the public page").click()
    expect(admin_page.get_by_text("Status: Published")).to_be_visible()

    public = new_page()
    public.goto(f"{live_server}/stations/{station.code}")
    expect(public.get_by_text("Volunteer crossing guards at Lincoln").first).to_be_visible()
    expect(public.get_by_text("Because you asked")).to_be_visible()
    expect(public.get_by_text("Parents want safer crossings")).to_be_visible()
    assert serious_violations(public) == []
