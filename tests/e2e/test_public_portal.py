"""The public portal's pages pass axe with no serious or critical violation."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.e2e.browsing import serious_violations
from tests.factories.public import publish_everything


def test_public_pages_are_accessible(page, live_server, station):
    publish_everything(station)
    headings = {"/portal": "Community Policing Plans", "/portal/dashboard": "Department dashboard",
                "/open-data": "Open data",
                f"/stations/{station.code}": f"{station.name}: Community Policing Plan"}
    for path, heading in headings.items():
        page.goto(f"{live_server}{path}")
        expect(page.get_by_role("heading", level=1)).to_have_text(heading)
        assert serious_violations(page) == [], path


def test_translated_public_pages_are_accessible(page, live_server, station):
    publish_everything(station)
    for language in ("es", "zh", "vi", "ko"):
        for path in ("/portal", "/portal/dashboard", "/open-data", f"/stations/{station.code}",
                     "/stations/NOWHERE"):  # the last is the portal's translated "not found"
            page.goto(f"{live_server}{path}?lang={language}")
            assert page.locator("html").get_attribute("lang") == language, (language, path)
            expect(page.get_by_role("heading", level=1)).not_to_be_empty()
            assert serious_violations(page) == [], (language, path)
