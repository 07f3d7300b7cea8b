"""The staff pages pass axe with no serious or critical violation, and work from the keyboard."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests import factories
from tests.e2e.browsing import axe_violations, boundary_contrasts, log_in
from tests.factories.surveys import template_survey

PAGE_SIZE = 25


def describe(findings: dict[str, list[dict]]) -> str:
    """Each page's violations: rule id, impact, help text and the first few offending nodes."""
    lines = []
    for where, violations in findings.items():
        lines.append(f"{where}:")
        for v in violations:
            targets = ", ".join(str(node["target"]) for node in v["nodes"][:5])
            lines.append(f"  {v['id']} ({v['impact']}): {v['help']} [{v['helpUrl']}]")
            lines.append(f"    on {targets}")
    return "\n".join(lines)


class AxeAudit:
    """Runs axe on each page visited and collects what it finds, to report all pages at once."""

    def __init__(self, page: Page):
        self.page = page
        self.findings: dict[str, list[dict]] = {}

    def check(self, where: str) -> None:
        """Record the serious and critical violations on the page as it is now."""
        violations = axe_violations(self.page)
        if violations:
            self.findings[where] = violations

    def assert_clean(self) -> None:
        """Fail listing every violation found, page by page."""
        if self.findings:
            pytest.fail("axe found serious or critical violations:\n" + describe(self.findings),
                        pytrace=False)


def test_login_page(page, live_server):
    audit = AxeAudit(page)
    page.goto(f"{live_server}/login")
    expect(page.get_by_role("heading", level=1)).to_have_text("Log in to CPP Manager")
    audit.check("the login page")

    page.get_by_label("Email").fill("nobody@example.org")
    page.get_by_label("Password").fill("wrong password")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("alert").first).to_be_visible()
    audit.check("the login page after a failed log in")
    audit.assert_clean()


def test_staff_pages_as_an_administrator(page, live_server, station):
    north = factories.make_station("NTH", "North Station", area_served="North of the river")
    for number in range(PAGE_SIZE + 5):
        factories.make_member(north if number % 4 == 0 else station,
                              languages=["es", "vi"] if number % 3 == 0 else [],
                              assigned_to_patrol=number % 2 == 0)
    commander = factories.make_member(station, shield="1001", first_name="Ada",
                                      last_name="Okafor")
    station.commander_member_id = commander.id
    factories.fresh_transaction()
    factories.make_user("commander", station=station)
    factories.make_user("staff", station=north)
    factories.make_user("viewer", active=False)
    admin = factories.make_user("admin", name="Dana Admin")
    log_in(page, live_server, admin.email, factories.PASSWORD)
    audit = AxeAudit(page)

    page.goto(f"{live_server}/members")
    expect(page.get_by_role("table", name="Department members")
           .get_by_role("row")).to_have_count(PAGE_SIZE + 1)
    expect(page.get_by_role("navigation", name="Member list pages")).to_be_visible()
    audit.check("the members list")

    page.get_by_role("link", name="Add a member").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("New member")
    audit.check("the member form")
    page.get_by_role("button", name="Save member").click()
    expect(page.get_by_label("Shield number")).to_have_attribute("aria-invalid", "true")
    audit.check("the member form showing errors")

    page.goto(f"{live_server}/manage/stations")
    expect(page.get_by_role("table", name="Patrol stations")
           .get_by_role("row")).to_have_count(3)
    audit.check("the stations list")

    page.goto(f"{live_server}/admin/users?status=all")
    expect(page.get_by_role("table", name="User accounts")
           .get_by_role("row")).to_have_count(5)
    audit.check("the users list")
    audit.assert_clean()


def test_tab_first_reaches_the_skip_link_which_moves_focus_to_the_main_content(
        page, live_server):
    page.goto(f"{live_server}/login")
    page.keyboard.press("Tab")
    skip_link = page.get_by_role("link", name="Skip to main content")
    expect(skip_link).to_be_focused()
    expect(skip_link).to_be_in_viewport()
    page.keyboard.press("Enter")
    expect(page.get_by_role("main")).to_be_focused()


CHOICES = "input[type=radio], input[type=checkbox]"
FIELDS = "input.form-control, select.form-select, textarea.form-control"


def assert_edges_stand_out(page: Page, selector: str, at_least: int = 1) -> None:
    """Every matching control's edge has 3:1 contrast or more against the page."""
    contrasts = boundary_contrasts(page, selector)
    assert len(contrasts) >= at_least, contrasts
    faint = [c for c in contrasts if c["ratio"] < 3]
    assert faint == [], f"{len(faint)} of {len(contrasts)} controls below 3:1: {faint[:3]}"


def test_radio_buttons_checkboxes_and_fields_have_visible_edges(new_page, live_server, station):
    survey = template_survey(station)
    factories.fresh_transaction()
    admin = factories.make_user("admin")
    phone = new_page(viewport={"width": 390, "height": 844})
    phone.goto(f"{live_server}/s/{survey.slug}")
    assert_edges_stand_out(phone, CHOICES, at_least=10)
    assert_edges_stand_out(phone, FIELDS)

    page = new_page(viewport={"width": 1366, "height": 768})
    log_in(page, live_server, admin.email, factories.PASSWORD)
    page.goto(f"{live_server}/members/new")
    assert_edges_stand_out(page, "input[type=checkbox]", at_least=2)
    assert_edges_stand_out(page, FIELDS, at_least=3)
    page.goto(f"{live_server}/surveys/new")
    assert_edges_stand_out(page, "input[type=radio]", at_least=2)
    page.get_by_label("A blank survey").check()
    assert_edges_stand_out(page, "input[type=radio]", at_least=2)
