"""An administrator finds another user's API token, confirms, and revokes it; the API refuses it."""

from __future__ import annotations

from playwright.sync_api import expect

from tests import factories
from tests.e2e.browsing import log_in
from tests.factories.api import bearer, make_api_token


def test_admin_revokes_another_users_token_after_confirming(page, live_server, app):
    station = factories.make_station("N1")
    owner = factories.make_user("commander", station=station, name="Casey Owner")
    _, secret = make_api_token(owner, ["engagement:read"], name="Night CAD", days=30)
    admin = factories.make_user("admin")
    log_in(page, live_server, admin.email, factories.PASSWORD)

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Users",
                                                             exact=True).click()
    page.get_by_role("link", name="Every user's API tokens").click()
    row = page.get_by_role("row").filter(has_text="Night CAD")
    expect(row).to_contain_text(owner.email)
    expect(row).to_contain_text("Working")
    row.get_by_role("link", name="Revoke").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Revoke the token “Night CAD” of Casey Owner?")
    page.get_by_role("button", name="Revoke Night CAD").click()
    expect(page.get_by_role("status").or_(page.get_by_role("alert")).first).to_contain_text(
        f"Token “Night CAD” of {owner.email} revoked.")
    expect(page.get_by_role("row").filter(has_text="Night CAD")).to_contain_text("Revoked")

    refused = app.test_client().get("/api/v1/engagement-records", headers=bearer(secret))
    assert refused.status_code == 401
