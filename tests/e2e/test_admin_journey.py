"""An administrator logs in, creates a station, adds a member to it and finds the member listed."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests import factories
from tests.e2e.browsing import log_in


def flash(page: Page):
    """The flashed message at the top of the page."""
    return page.get_by_role("status").or_(page.get_by_role("alert")).first


def test_admin_creates_a_station_and_adds_a_member(page, live_server):
    admin = factories.make_user("admin")
    log_in(page, live_server, admin.email, factories.PASSWORD)
    navigation = page.get_by_role("navigation", name="Main")

    navigation.get_by_role("link", name="Stations", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Stations")
    page.get_by_role("link", name="Add a station").first.click()
    page.get_by_label("Code").fill("harbor")
    page.get_by_label("Name").fill("Harbor Station")
    page.get_by_label("Area served").fill("The port and Bayview")
    page.get_by_role("button", name="Save station").click()
    expect(flash(page)).to_contain_text("Station HARBOR created.")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Harbor Station")

    navigation.get_by_role("link", name="Stations", exact=True).click()
    station_row = page.get_by_role("row").filter(has=page.get_by_role("link", name="HARBOR"))
    expect(station_row).to_contain_text("Harbor Station")
    expect(station_row).to_contain_text("The port and Bayview")

    navigation.get_by_role("link", name="Members", exact=True).click()
    expect(navigation.get_by_role("link", name="Members")).to_have_attribute(
        "aria-current", "page")
    page.get_by_role("link", name="Add a member").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("New member")
    page.get_by_label("Shield number").fill("07734")
    page.get_by_label("First name").fill("Linh")
    page.get_by_label("Last name").fill("Tran")
    page.get_by_label("Station").select_option(label="HARBOR · Harbor Station")
    page.get_by_label("Sworn or professional").select_option(label="Sworn")
    page.get_by_label("Assigned to patrol").check()
    languages = page.get_by_role("group", name="Languages spoken")
    languages.get_by_role("checkbox", name="Vietnamese").check()
    page.get_by_label("Start date").fill("2024-02-01")
    page.get_by_role("button", name="Save member").click()
    expect(flash(page)).to_contain_text("Member #07734 Linh Tran added")

    filters = page.get_by_role("search", name="Filter the list")
    filters.get_by_label("Station").select_option(label="HARBOR · Harbor Station")
    filters.get_by_role("button", name="Filter").click()
    rows = page.get_by_role("table", name="Department members").get_by_role("row")
    expect(rows).to_have_count(2)  # the header and Linh Tran
    row = rows.filter(has_text="07734")
    expect(row.get_by_role("cell")).to_have_text(
        ["07734", "Tran, Linh", "HARBOR", "Sworn", "Yes", "Vietnamese", "2024-02-01", "Yes"])
    row.get_by_role("link", name="Tran, Linh").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Linh Tran")


def test_duplicate_shield_shows_the_error_beside_the_field_and_keeps_the_input(
        page, live_server, station):
    factories.make_member(station, shield="555", first_name="Maria", last_name="Lopez")
    admin = factories.make_user("admin")
    log_in(page, live_server, admin.email, factories.PASSWORD)
    page.get_by_role("navigation", name="Main").get_by_role(
        "link", name="Members", exact=True).click()
    page.get_by_role("link", name="Add a member").first.click()

    page.get_by_label("Shield number").fill("555")
    page.get_by_label("First name").fill("Duplicate")
    page.get_by_label("Last name").fill("Person")
    page.get_by_label("Station").select_option(label=station.label)
    page.get_by_label("Sworn or professional").select_option(label="Professional staff")
    languages = page.get_by_role("group", name="Languages spoken")
    languages.get_by_role("checkbox", name="Spanish").check()
    languages.get_by_label("Other languages").fill("Korean")
    page.get_by_label("Start date").fill("2023-05-06")
    page.get_by_role("button", name="Save member").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("New member")
    shield = page.get_by_label("Shield number")
    expect(shield).to_have_attribute("aria-invalid", "true")
    expect(shield).to_have_accessible_description(
        "Shield number 555 already belongs to Maria Lopez.")
    error = page.locator("#shield_number-errors")
    expect(error).to_be_visible()
    shield_box, error_box = shield.bounding_box(), error.bounding_box()
    assert 0 <= error_box["y"] - (shield_box["y"] + shield_box["height"]) < 40, \
        "the error should sit right under the shield number field"

    expect(shield).to_have_value("555")
    expect(page.get_by_label("First name")).to_have_value("Duplicate")
    expect(page.get_by_label("Last name")).to_have_value("Person")
    expect(page.get_by_label("Station")).to_have_value(str(station.id))
    expect(page.get_by_label("Sworn or professional")).to_have_value("professional")
    for language in ("Spanish", "Korean"):
        expect(languages.get_by_role("checkbox", name=language)).to_be_checked()
    expect(page.get_by_label("Start date")).to_have_value("2023-05-06")
