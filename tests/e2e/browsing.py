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


#: For each visible form control matching the selector: its id, state and the contrast of its
#: edge (computed border colour, blended over what lies behind it) against the background.
BOUNDARY_CONTRASTS = """(selector) => {
  const channels = (colour) => (colour.match(/[\\d.]+/g) || []).map(Number);
  const behind = (element) => {
    for (let box = element.parentElement; box; box = box.parentElement) {
      const colour = channels(getComputedStyle(box).backgroundColor);
      if (colour.length === 3 || colour[3] > 0) return colour.slice(0, 3);
    }
    return [255, 255, 255];
  };
  const luminance = (rgb) => {
    const [r, g, b] = rgb.map((value) => {
      const v = value / 255;
      return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  return [...document.querySelectorAll(selector)].filter((e) => e.offsetParent).map((e) => {
    const background = behind(e);
    const border = channels(getComputedStyle(e).borderTopColor);
    const alpha = border.length === 4 ? border[3] : 1;
    const edge = border.slice(0, 3).map((v, i) => v * alpha + background[i] * (1 - alpha));
    const [light, dark] = [luminance(edge), luminance(background)].sort((x, y) => y - x);
    return {id: e.id, checked: e.checked, ratio: (light + 0.05) / (dark + 0.05)};
  });
}"""


def boundary_contrasts(page: Page, selector: str) -> list[dict]:
    """The edge contrast of each visible control matching `selector` (WCAG 1.4.11 asks 3:1)."""
    return page.evaluate(BOUNDARY_CONTRASTS, selector)
