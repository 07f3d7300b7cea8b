"""The public portal's pages pass axe with no serious or critical violation."""

from __future__ import annotations

from tests.e2e.browsing import serious_violations
from tests.factories.public import publish_everything


def test_public_pages_are_accessible(page, live_server, station):
    publish_everything(station)
    for path in ("/portal", "/portal/dashboard", "/open-data", f"/stations/{station.code}"):
        page.goto(f"{live_server}{path}")
        assert serious_violations(page) == [], path


def test_translated_public_pages_are_accessible(page, live_server, station):
    publish_everything(station)
    for language in ("es", "zh", "vi", "ko"):
        for path in ("/portal", "/portal/dashboard", "/open-data", f"/stations/{station.code}",
                     "/stations/NOWHERE"):  # the last is the portal's translated "not found"
            page.goto(f"{live_server}{path}?lang={language}")
            assert page.locator("html").get_attribute("lang") == language, (language, path)
            assert serious_violations(page) == [], (language, path)
