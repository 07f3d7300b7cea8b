"""Department-wide reports asked for through the Reports page.

The queue is run as the scheduler would run it.
"""

from __future__ import annotations

from flask import current_app

from cpp_app.reports.jobs import run_queued_reports
from tests.helpers import csrf_token


def request_report(client, report: str, year: int | None = None):
    """POST the Reports form; returns the response (a redirect to the request's page)."""
    form = {"csrf_token": csrf_token(client, "/reports"), "report": report,
            "year": "" if year is None else str(year)}
    return client.post("/reports", data=form)


def prepared_pdf(client, report: str, year: int | None = None):
    """Request a report, render the queue, and download the PDF."""
    response = request_report(client, report, year)
    assert response.status_code == 303, response.get_data(as_text=True)[:500]
    job_url = response.headers["Location"]
    summary = run_queued_reports(current_app._get_current_object())
    assert summary.done == 1, summary
    return client.get(f"{job_url}.pdf")
