"""Station fences in the browser: volunteers and linking rules; the audit log's addresses.

Staff add a volunteer for their own station only; a commander's rules page shows only their
station's rules; an administrator sees where each audited change came from.
"""

from __future__ import annotations

import re
from datetime import date

from playwright.sync_api import expect

from cpp_app.audit.services import acting_as
from cpp_app.engagement import services as engagement
from cpp_app.engagement.models import EngagementRecord
from cpp_app.extensions import db
from tests import factories
from tests.e2e.browsing import log_in, serious_violations
from tests.factories.outreach import make_volunteer
from tests.factories.plans import adopted_plan


def test_staff_keep_their_own_stations_volunteers(page, live_server, station):
    other = factories.make_station("EST", "East Station")
    make_volunteer(station, "Ana Alvarez")
    make_volunteer(other, "Bo-ra Baek")
    make_volunteer(None, "Dana Department")
    staff = factories.make_user("staff", station=station)
    log_in(page, live_server, staff.email, factories.PASSWORD)

    page.goto(f"{live_server}/language-access")
    volunteers = page.get_by_role("region", name="Volunteers")
    expect(volunteers.get_by_role("link", name="Ana Alvarez")).to_be_visible()
    expect(volunteers).to_contain_text("Dana Department")
    expect(volunteers.get_by_role("link", name="Dana Department")).to_have_count(0)
    expect(volunteers).not_to_contain_text("Bo-ra Baek")
    assert serious_violations(page) == []

    volunteers.get_by_role("link", name="Add a volunteer").click()
    station_options = page.get_by_label("Station").locator("option")
    expect(station_options).to_have_count(1)
    expect(station_options).to_have_text(station.label)
    page.get_by_label("Name", exact=True).fill("Minh Nguyen")
    page.get_by_label("Other languages").fill("Vietnamese, Zorblaxian")
    page.get_by_role("button", name="Save the volunteer").click()
    expect(page.get_by_text("“Zorblaxian” is not a language name or code.",
                            exact=True)).to_be_visible()
    expect(page.get_by_role("link", name=re.compile("Zorblaxian"))).to_be_visible()
    expect(page.get_by_label("Name", exact=True)).to_have_value("Minh Nguyen")
    expect(page.get_by_role("checkbox", name="Vietnamese")).to_be_checked()
    expect(page.get_by_label("Other languages")).to_have_value("Zorblaxian")
    expect(page.get_by_label("Other languages")).to_have_accessible_description(
        re.compile("“Zorblaxian” is not a language name or code."))
    assert serious_violations(page) == []
    page.get_by_label("Other languages").fill("")
    page.get_by_role("button", name="Save the volunteer").click()
    expect(page.get_by_text("Volunteer saved.")).to_be_visible()
    expect(page.get_by_role("region", name="Volunteers")).to_contain_text(
        f"Minh Nguyen · Vietnamese · {station.code}")


def test_a_commanders_rules_page_shows_only_their_station(page, live_server, station):
    other = factories.make_station("EST", "East Station")
    problem = adopted_plan(station).problems[0]
    theirs = adopted_plan(other).problems[0]
    db.session.add_all([
        EngagementRecord(occurred_on=date(2026, 9, 1), call_type="COP Problem Solving",
                         location="100 ELM ST", station_id=station_id, identity=f"elm-{n}")
        for n, station_id in enumerate((station.id, other.id))])
    db.session.commit()
    with acting_as("test"):
        engagement.save_problem_rule("pine rd", "", theirs.id)
    commander = factories.make_user("commander", station=station)
    log_in(page, live_server, commander.email, factories.PASSWORD)

    page.goto(f"{live_server}/engagement/rules")
    expect(page.get_by_role("heading", level=1)).to_have_text("Linking rules")
    expect(page.get_by_text("pine rd")).to_have_count(0)
    problem_options = page.get_by_label("Problem", exact=True).locator("option")
    expect(problem_options).to_have_count(1)
    expect(problem_options).to_have_text(f"{station.code}: {problem.title}")
    page.get_by_label("Location contains").fill("elm st")
    page.get_by_role("button", name="Add rule").click()
    expect(page.get_by_text("Rule saved and applied to the records.")).to_be_visible()
    expect(page.get_by_text(f"“elm st” → {station.code}: {problem.title}")).to_be_visible()
    assert serious_violations(page) == []
    factories.fresh_transaction()
    linked = db.session.scalars(db.select(EngagementRecord.station_id).where(
        EngagementRecord.problem_id == problem.id)).all()
    assert linked == [station.id]


def test_the_audit_log_shows_where_each_change_came_from(page, live_server):
    admin = factories.make_user("admin")
    log_in(page, live_server, admin.email, factories.PASSWORD)
    page.goto(f"{live_server}/admin/audit")
    login_row = page.get_by_role("row").filter(has_text="user.login")
    expect(login_row.get_by_role("cell").nth(3)).to_have_text("127.0.0.1")
    assert serious_violations(page) == []

    page.get_by_label("From address starts with").fill("127.0.0.%")
    page.get_by_role("button", name="Filter").click()
    expect(page.get_by_text("Give the start of an IPv4 or IPv6 address")).to_be_visible()
    expect(page.get_by_label("From address starts with")).to_have_attribute("aria-invalid",
                                                                           "true")
    assert serious_violations(page) == []

    page.get_by_label("From address starts with").fill("127.0.")
    page.get_by_role("button", name="Filter").click()
    page.get_by_role("link", name="1", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Audit event 1")
    expect(page.get_by_text("HMAC-SHA-256 with the audit key")).to_be_visible()
    assert serious_violations(page) == []
