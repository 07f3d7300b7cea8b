"""A training coordinator imports an export with three bad rows; a member becomes compliant.

The coordinator uploads the export, maps its columns, sees the three rejects with their
reasons, and sees a member move from short to compliant.
"""

from __future__ import annotations

from datetime import date

from playwright.sync_api import expect

from cpp_app.audit.services import acting_as
from cpp_app.clock import today_local
from cpp_app.training import services
from tests import factories
from tests.e2e.browsing import log_in, serious_violations


def test_coordinator_imports_and_a_member_becomes_compliant(page, live_server, station,
                                                            tmp_path):
    factories.make_member(station, shield="5150", first_name="Rosa", last_name="Diaz",
                          start_date=date(2015, 3, 1))
    with acting_as("test"):
        services.save_course(services.CourseDetails(title="Procedural Justice", hours=4))
        services.save_course(services.CourseDetails(title="Implicit Bias", hours=4))
    coordinator = factories.make_user("training")
    today = today_local()  # both good rows fall in this calendar year whatever the date
    future = today.replace(year=today.year + 1, day=min(today.day, 28))
    export = tmp_path / "county-lms.csv"
    export.write_text(
        "Badge,Class,Finished,Credit\n"
        f"5150,Procedural Justice,{today},4\n"
        f"5150,Implicit Bias,{today},4\n"
        f"9999,Procedural Justice,{today},4\n"
        f"5150,Procedural Justice,{today},0\n"
        f"5150,Implicit Bias,{future},4\n")

    log_in(page, live_server, coordinator.email, factories.PASSWORD)
    page.get_by_role("link", name="Training", exact=True).click()
    expect(page.get_by_role("row", name="5150")).to_contain_text("8.0")  # 8 hours to go
    assert serious_violations(page) == []

    page.get_by_role("link", name="Import an export").click()
    page.get_by_label("Export file (.csv or .xlsx)").set_input_files(str(export))
    page.get_by_label("Source system").fill("County LMS")
    page.get_by_role("button", name="Continue to the column mapping").click()
    page.get_by_label("Badge").select_option("shield_number")
    page.get_by_label("Class").select_option("course_title")
    page.get_by_label("Finished").select_option("completed_on")
    page.get_by_label("Credit").select_option("hours")
    assert serious_violations(page) == []
    page.get_by_role("button", name="Import").click()

    expect(page.get_by_role("status")).to_contain_text("2 added")
    expect(page.get_by_role("status")).to_contain_text("3 rejected")
    rejects = page.get_by_role("table", name="Rejected rows")
    expect(rejects).to_contain_text("unknown shield number '9999'")
    expect(rejects).to_contain_text("hours '0' is not a positive number")
    expect(rejects).to_contain_text(f"the completion date {future} is in the future")

    page.get_by_role("link", name="Training dashboard").click()
    expect(page.get_by_role("row", name="5150")).to_have_count(0)
    expect(page.get_by_text("Every member past their grace period has the required hours.")) \
        .to_be_visible()
