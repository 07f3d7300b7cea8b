"""An administrator logs in, creates a station, adds a member and sees the member listed."""

from __future__ import annotations

from playwright.sync_api import expect

from tests import factories
from tests.e2e.conftest import log_in, serious_violations


def test_admin_creates_a_station_and_adds_a_member(page, live_server):
    admin = factories.make_user("admin")
    log_in(page, live_server, admin.email, factories.PASSWORD)
    page.get_by_role("link", name="Stations", exact=True).click()
    page.get_by_role("link", name="Add a station").first.click()
    page.get_by_label("Code").fill("harbor")
    page.get_by_label("Name").fill("Harbor Station")
    page.get_by_label("Area served").fill("The port and Bayview")
    page.get_by_role("button", name="Save station").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Harbor Station")

    page.get_by_role("link", name="Add a member to HARBOR").click()
    page.get_by_label("Shield number").fill("07734")
    page.get_by_label("First name").fill("Linh")
    page.get_by_label("Last name").fill("Tran")
    page.get_by_label("Sworn or professional").select_option("sworn")
    page.get_by_label("Assigned to patrol").check()
    page.get_by_label("Languages spoken").select_option(["vi"])
    page.get_by_label("Start date").fill("2024-02-01")
    page.get_by_role("button", name="Save member").click()
    expect(page.get_by_role("alert").or_(page.get_by_role("status")).first).to_contain_text(
        "Member #07734 Linh Tran added")

    page.get_by_label("Station").select_option(label="HARBOR · Harbor Station")
    page.get_by_role("button", name="Filter").click()
    row = page.get_by_role("row", name="07734")
    expect(row).to_contain_text("Tran, Linh")
    expect(row).to_contain_text("Vietnamese")


def test_duplicate_shield_keeps_what_was_typed(page, live_server, station):
    factories.make_member(station, shield="555")
    admin = factories.make_user("admin")
    log_in(page, live_server, admin.email, factories.PASSWORD)
    page.goto(f"{live_server}/members/new")
    page.get_by_label("Shield number").fill("555")
    page.get_by_label("First name").fill("Duplicate")
    page.get_by_label("Last name").fill("Person")
    page.get_by_role("button", name="Save member").click()
    expect(page.get_by_text("already belongs to")).to_be_visible()
    expect(page.get_by_label("First name")).to_have_value("Duplicate")


def test_skip_link_is_the_first_tab_stop(page, live_server):
    page.goto(f"{live_server}/login")
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to main content")).to_be_focused()


def test_login_and_member_list_have_no_serious_accessibility_violations(
        page, live_server, station):
    page.goto(f"{live_server}/login")
    assert serious_violations(page) == []
    for number in range(30):
        factories.make_member(station, languages=["es"] if number % 3 == 0 else [])
    admin = factories.make_user("admin")
    log_in(page, live_server, admin.email, factories.PASSWORD)
    for path in ("/members", "/members/new", "/manage/stations", "/admin/users"):
        page.goto(f"{live_server}{path}")
        assert serious_violations(page) == [], path
