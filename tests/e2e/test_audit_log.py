"""The audit log fits a 1366-pixel screen, however long its addresses, names and field lists."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from cpp_app.audit import services as audit
from tests import factories
from tests.e2e.browsing import log_in, serious_violations

LAPTOP = {"width": 1366, "height": 768}
IPV6 = "2001:0db8:85a3:0000:0000:8a2e:0370:7334"
OVERFLOWS = """() => {
  const root = document.documentElement;
  const wide = [root, ...document.querySelectorAll('.table-responsive')]
    .filter((box) => box.scrollWidth > box.clientWidth);
  return wide.map((box) => `${box.className || box.tagName}: ${box.scrollWidth} px wide, `
                           + `${box.clientWidth} px shown`);
}"""


def long_history(app) -> int:
    """Events with long, unbroken values, recorded from an IPv6 address; the last one's number."""
    fields = {f"a_rather_long_field_name_number_{n}": n for n in range(12)}
    with app.test_request_context(environ_base={"REMOTE_ADDR": IPV6}), \
            audit.acting_as("cli:import-engagement-records-from-the-quarterly-publication"):
        for number in range(3):
            event = audit.record(
                "plan.update.proposed_priority.promote",
                entity_type="plan_update_proposed_priorities", entity_id=number + 1,
                before=dict.fromkeys(fields), after=fields,
                summary="Promoted-from-the-meeting-feedback-" * 8)
    factories.fresh_transaction()
    return event.sequence


def assert_fits(page: Page) -> None:
    """Neither the page nor any table on it is wider than the window."""
    assert page.evaluate(OVERFLOWS) == []


def test_the_audit_log_fits_a_laptop_screen_and_a_phone(app, new_page, live_server):
    sequence = long_history(app)
    admin = factories.make_user(
        "admin", email="deputy.commissioner.of.community.policing@county-sheriff.example.org")
    page = new_page(viewport=LAPTOP)
    log_in(page, live_server, admin.email, factories.PASSWORD)
    page.goto(f"{live_server}/admin/audit")
    expect(page.get_by_role("cell", name="Proposed priority 3")).to_be_visible()
    assert_fits(page)
    assert "None" not in page.content()
    assert serious_violations(page) == []

    page.goto(f"{live_server}/admin/audit/{sequence}")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Audit event {sequence}")
    assert_fits(page)
    assert "None" not in page.content()

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server}/admin/audit")
    assert page.evaluate("document.documentElement.scrollWidth <= "
                         "document.documentElement.clientWidth")
