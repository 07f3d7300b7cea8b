"""An administrator reads the annual report on screen and downloads it as a PDF.

They ask for the PDF, wait for the report worker, and download it; every step passes axe.
"""

from __future__ import annotations

from flask import current_app
from playwright.sync_api import expect

from cpp_app.clock import today_local
from cpp_app.reports.jobs import run_queued_reports
from tests import factories
from tests.e2e.browsing import log_in, serious_violations
from tests.factories.public import publish_everything


def test_admin_reads_then_prepares_and_downloads_the_annual_report(page, live_server,
                                                                   station):
    publish_everything(station)
    admin = factories.make_user("admin")
    year = today_local().year
    log_in(page, live_server, admin.email, factories.PASSWORD)

    page.goto(f"{live_server}/reports")
    expect(page.get_by_role("heading", level=1)).to_have_text("Reports")
    assert serious_violations(page) == []
    page.get_by_role("link", name=f"Annual report {year}").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Community policing annual report {year}")
    expect(page.get_by_role("img", name="Bar chart of engagement activities by type; "
                                        "the figures are in the table below.")).to_be_visible()
    assert serious_violations(page) == []

    page.goto(f"{live_server}/reports")
    page.get_by_label("Report", exact=True).select_option("annual")
    page.get_by_label("Year (annual report)").fill(str(year))
    page.get_by_role("button", name="Prepare the PDF").click()
    expect(page.get_by_role("status")).to_contain_text("waiting for the report worker")
    assert serious_violations(page) == []

    assert run_queued_reports(current_app._get_current_object()).done == 1
    page.get_by_role("link", name="Check again").click()
    download_link = page.get_by_role("link", name=f"Download annual-report-{year}.pdf")
    expect(download_link).to_be_visible()
    assert serious_violations(page) == []
    with page.expect_download() as download:
        download_link.click()
    assert download.value.suggested_filename == f"annual-report-{year}.pdf"
