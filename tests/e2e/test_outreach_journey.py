"""Staff log outreach to a mosque with a follow-up, and the coverage matrix counts it.

The matrix shows no synagogue outreach this period; a meeting that needs Korean suggests the
Korean-speaking member.
"""

from __future__ import annotations

from playwright.sync_api import expect

from cpp_app.audit.services import acting_as
from cpp_app.clock import today_local
from cpp_app.meetings import services as meetings
from cpp_app.outreach import services
from tests import factories
from tests.e2e.browsing import log_in, serious_violations


def test_outreach_coverage_and_language_suggestion(page, live_server, station):
    factories.make_member(station, shield="4040", first_name="Ji-woo", last_name="Park",
                          languages=["ko"])
    staff = factories.make_user("staff", station=station)
    today = today_local()
    with acting_as("test"):
        services.save_stakeholder(services.StakeholderDetails(
            station_id=station.id, name="Al-Noor Mosque", kind="mosque", languages=["ar"],
            contacts=[services.ContactDetails("Imam Yusuf", "Imam", "imam@example.org")]))
        meeting = meetings.save_meeting(meetings.MeetingDetails(
            station_id=station.id, held_on=today, title="Korean community forum",
            kind="faith_based",
            languages=[meetings.LanguageNeed("ko", "requested_not_provided")]))

    log_in(page, live_server, staff.email, factories.PASSWORD)
    page.get_by_role("link", name="Outreach", exact=True).click()
    page.get_by_role("link", name="Log outreach").click()
    page.get_by_label("Stakeholder").select_option(label=f"Al-Noor Mosque (Mosque, {station.code})")
    page.get_by_label("Method").select_option("visit")
    page.get_by_label("Purpose").fill("Safety briefing before Ramadan")
    page.get_by_label("Critical comments heard").fill("Young men feel stopped unfairly")
    page.get_by_label("How they are being worked on").fill("Invited to the advisory board")
    page.get_by_label("Follow up by").fill(max(today, today.replace(day=28)).isoformat())
    page.get_by_role("button", name="Log the outreach").click()
    expect(page.get_by_text("Outreach to Al-Noor Mosque logged.")).to_be_visible()
    expect(page.get_by_role("row", name="Al-Noor Mosque")).to_contain_text("Visit")

    page.goto(f"{live_server}/outreach")
    mosque_row = page.get_by_role("row", name="Mosque", exact=False).first
    expect(mosque_row).to_be_visible()
    expect(mosque_row.get_by_role("cell").last).to_have_text("1")
    expect(mosque_row).not_to_contain_text("no outreach")
    synagogue_row = page.get_by_role("row").filter(has_text="Synagogue")
    expect(synagogue_row).to_have_count(1)
    expect(synagogue_row).to_contain_text("no outreach")
    assert serious_violations(page) == []

    page.goto(f"{live_server}/meetings/{meeting.id}")
    suggestions = page.get_by_role("heading", name="Who speaks Korean")
    expect(suggestions).to_be_visible()
    expect(page.get_by_text("Ji-woo Park (#4040)")).to_contain_text("this station")
