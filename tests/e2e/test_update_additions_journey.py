"""An adopted plan gets a new SARA problem and a new priority through its semi-annual update.

The commander types them on the update's additions page, plans a response to the new problem
in element 3 and submits; the administrator approves and publishes; the plan's new version and
the public page show them.
"""

from __future__ import annotations

from playwright.sync_api import expect

from cpp_app.audit.services import acting_as
from cpp_app.updates import services as updates
from tests import factories
from tests.e2e.browsing import log_in, serious_violations
from tests.factories.plans import adopted_plan, complete_update


def test_a_new_problem_and_priority_reach_the_plan_through_the_update(
        new_page, page, live_server, station):
    plan = adopted_plan(station)
    update = complete_update(plan, modify=False)
    with acting_as("test"):
        updates.save_implementation_decision(update, True, "A new problem came up")
    commander = factories.make_user("commander", station=station, email="cmd@example.org")
    admin = factories.make_user("admin", email="chief@example.org")

    log_in(page, live_server, commander.email, factories.PASSWORD)
    page.goto(f"{live_server}/updates/{update.id}")
    page.get_by_role("link", name="Add a new priority or problem").click()
    assert serious_violations(page) == []
    priority = page.locator("form[action$='/new-priorities']")
    priority.get_by_label("Priority", exact=True).fill("Vehicle break-ins downtown")
    priority.get_by_label("Public safety").check()
    priority.get_by_label("Where it came from").select_option("meeting")
    priority.get_by_label("Community-input-based").check()
    priority.get_by_label("Rationale").fill("Twelve residents raised it at the town hall")
    priority.get_by_role("button", name="Add the priority").click()
    expect(page.get_by_text("Vehicle break-ins downtown").first).to_be_visible()

    page.get_by_role("link", name="Add a new priority or problem").click()
    problem = page.locator("form[action$='/new-problems']")
    problem.get_by_role("button", name="Add the problem").click()
    expect(page.get_by_text("Mark it as result-based or community-input-based.",
                            exact=True)).to_be_visible()
    problem = page.locator("form[action$='/new-problems']")
    problem.get_by_label("Problem", exact=True).fill("Break-ins at the Civic Center garage")
    problem.get_by_label("Priority it serves").select_option(
        label="New: Vehicle break-ins downtown")
    problem.get_by_label("Result-based").check()
    problem.get_by_label("Rationale").fill("Calls from the garage tripled since June")
    problem.get_by_role("button", name="Add the problem").click()
    expect(page.get_by_text("No response planned yet")).to_be_visible()

    change = page.locator("form:has(input[name='form_action'][value$='/changes'])")
    change.get_by_label("Response", exact=True).fill("Lighting audit with the garage operator")
    change.get_by_label("Problem (for a new response)").select_option(
        label="New: Break-ins at the Civic Center garage")
    change.get_by_label("Partnership").check()
    change.get_by_label("Result-based").check()
    change.get_by_label("Rationale").fill("Lighting cut break-ins at the Elm garage")
    change.get_by_role("button", name="Add the change").click()
    expect(page.get_by_text("All four elements are complete.")).to_be_visible()
    assert serious_violations(page) == []
    page.get_by_role("button", name="Submit for approval").click()
    expect(page.get_by_text("Status: Submitted")).to_be_visible()

    admin_page = new_page()
    log_in(admin_page, live_server, admin.email, factories.PASSWORD)
    admin_page.goto(f"{live_server}/updates/{update.id}")
    admin_page.get_by_role("link", name="Preview and approve").click()
    expect(admin_page.get_by_text("Preview — not yet public")).to_be_visible()
    expect(admin_page.get_by_text("Break-ins at the Civic Center garage").first).to_be_visible()
    admin_page.get_by_role("button", name="Approve the update").click()
    admin_page.get_by_role("link", name="Preview and publish").click()
    admin_page.get_by_role("button", name="Publish on the public page").click()
    expect(admin_page.get_by_text("Status: Published")).to_be_visible()
    admin_page.goto(f"{live_server}/manage/stations/{station.id}/plan")
    expect(admin_page.get_by_role("heading", name="Break-ins at the Civic Center garage")
           ).to_be_visible()
    expect(admin_page.get_by_text("Lighting audit with the garage operator")).to_be_visible()

    public = new_page()
    public.goto(f"{live_server}/stations/{station.code}")
    expect(public.get_by_text("New problem: Break-ins at the Civic Center garage")).to_be_visible()
    expect(public.get_by_text("New priority: Vehicle break-ins downtown")).to_be_visible()
    assert serious_violations(public) == []
