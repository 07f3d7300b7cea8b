"""Helpers for the browser journeys: logging in through the form, and axe's findings."""

from __future__ import annotations

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page

SERIOUS_IMPACTS = frozenset({"serious", "critical"})


def log_in(page: Page, base_url: str, email: str, password: str) -> None:
    """Log in through the login form."""
    page.goto(f"{base_url}/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{base_url}/home")


def axe_violations(page: Page) -> list[dict]:
    """The violations of serious or critical impact axe finds on the page, as axe gives them."""
    return [violation for violation in Axe().run(page).response["violations"]
            if violation.get("impact") in SERIOUS_IMPACTS]


def serious_violations(page: Page) -> list[str]:
    """The serious or critical axe violations on the current page, one line of text each."""
    return [f"{v['id']} ({v['impact']}): {v['help']} — "
            f"{', '.join(str(node['target']) for node in v['nodes'][:5])}"
            for v in axe_violations(page)]
