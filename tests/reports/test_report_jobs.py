"""Department-wide reports render outside the web request.

They are queued, run by the scheduler's report queue in a child process with a time limit,
then downloaded.
"""

from __future__ import annotations

import io
import time
from datetime import timedelta

import pytest
from flask import current_app
from pypdf import PdfReader
from sqlalchemy import func, select

from cpp_app.extensions import db
from cpp_app.models import utcnow
from cpp_app.reminders.scheduler import build_scheduler
from cpp_app.reports import jobs, services
from cpp_app.reports.models import ReportJob
from tests import factories
from tests.factories.public import publish_everything
from tests.factories.reports import request_report


def run_queue(time_limit: float | None = None):
    """Render the queued reports as the scheduler's report job does."""
    return jobs.run_queued_reports(current_app._get_current_object(), time_limit)


def job_count() -> int:
    """Report requests stored."""
    return db.session.scalar(select(func.count()).select_from(ReportJob))


@pytest.mark.usefixtures("station")
def test_a_request_waits_then_downloads(client, login):
    login(factories.make_user("admin"))
    response = request_report(client, "annual", 2026)
    assert response.status_code == 303
    job_url = response.headers["Location"]
    waiting = client.get(job_url).get_data(as_text=True)
    assert "waiting for the report worker" in waiting
    assert "Check again" in waiting
    assert client.get(f"{job_url}.pdf").status_code == 404  # nothing to download yet
    again = request_report(client, "annual", 2026)
    assert again.headers["Location"] == job_url
    assert job_count() == 1

    assert run_queue().done == 1
    done = client.get(job_url).get_data(as_text=True)
    assert "Download annual-report-2026.pdf" in done
    download = client.get(f"{job_url}.pdf")
    assert download.mimetype == "application/pdf"
    assert "attachment" in download.headers["Content-Disposition"]
    text = PdfReader(io.BytesIO(download.data)).pages[0].extract_text()
    assert "Community policing annual report 2026" in text
    listing = client.get("/reports").get_data(as_text=True)
    assert "Annual report 2026" in listing
    assert "Done" in listing
    assert run_queue().done == 0  # rendered once


def test_bad_requests_are_refused_beside_the_field(client, login):
    login(factories.make_user("admin"))
    next_year = utcnow().year + 2
    page = request_report(client, "annual", next_year)
    assert page.status_code == 200
    assert "Choose a year from 2000 to" in page.get_data(as_text=True)
    unknown = request_report(client, "payroll", 2026)
    assert "Not a valid choice" in unknown.get_data(as_text=True)
    assert job_count() == 0


def test_station_bound_users_neither_request_nor_see_the_training_report(client, login,
                                                                          station):
    login(factories.make_user("commander", station=station))
    refused = request_report(client, "training")
    assert "Not a valid choice" in refused.get_data(as_text=True)
    assert job_count() == 0
    job = ReportJob(report="training", status="done", pdf=b"%PDF", pdf_size=4)
    db.session.add(job)
    db.session.commit()
    assert client.get(f"/reports/requests/{job.id}").status_code == 403
    assert client.get(f"/reports/requests/{job.id}.pdf").status_code == 403


def test_a_report_past_its_time_limit_is_stopped(client, login, monkeypatch):
    login(factories.make_user("admin"))
    job_url = request_report(client, "annual", 2026).headers["Location"]

    def never_finishes(*_args):
        time.sleep(30)

    monkeypatch.setattr(jobs, "report_pdf", never_finishes)  # inherited by the forked child
    started = time.monotonic()
    summary = run_queue(time_limit=0.5)
    assert summary.failed == 1
    assert time.monotonic() - started < 20
    page = client.get(job_url).get_data(as_text=True)
    assert "Stopped after 0.5 seconds" in page
    assert "Ask for it again" in page


def test_a_report_that_fails_says_so_and_the_worker_goes_on(client, login, monkeypatch):
    login(factories.make_user("admin"))
    failing_url = request_report(client, "annual", 2025).headers["Location"]
    request_report(client, "annual", 2026)

    def fails_for_2025(_report, year, _today):
        if year == 2025:
            raise RuntimeError("boom")
        return b"%PDF-1.7 fine"

    monkeypatch.setattr(jobs, "report_pdf", fails_for_2025)
    summary = run_queue()
    assert (summary.done, summary.failed) == (1, 1)
    page = client.get(failing_url).get_data(as_text=True)
    assert "could not be rendered" in page
    assert "boom" not in page


@pytest.mark.usefixtures("station")
def test_abandoned_and_old_requests_are_tidied():
    long_ago = utcnow() - timedelta(days=30)
    abandoned = ReportJob(report="annual", year=2026, status="running", started_at=long_ago)
    old = ReportJob(report="annual", year=2025, status="done", pdf=b"%PDF",
                    finished_at=long_ago)
    recent = ReportJob(report="annual", year=2024, status="done", pdf=b"%PDF",
                       finished_at=utcnow())
    db.session.add_all([abandoned, old, recent])
    db.session.commit()
    ids = (abandoned.id, old.id, recent.id)
    run_queue()
    db.session.expire_all()
    assert db.session.get(ReportJob, ids[0]).status == "failed"
    assert db.session.get(ReportJob, ids[1]) is None
    assert db.session.get(ReportJob, ids[2]).status == "done"


@pytest.mark.usefixtures("station")
def test_the_cli_runs_the_queue(app):
    admin = factories.make_user("admin")
    db.session.add(ReportJob(report="training", requested_by_id=admin.id))
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["cpp", "report-jobs"])
    assert result.exit_code == 0, result.output
    assert "Prepared 1 report(s); 0 failed." in result.output
    assert db.session.scalar(select(ReportJob.status)) == "done"


def test_the_scheduler_runs_the_report_queue(app):
    scheduler = build_scheduler(app, hour=6)
    assert {job.id for job in scheduler.get_jobs()} == {"reminders", "audit", "outbox",
                                                        "reports", "imports", "uploads"}


def test_the_annual_page_shows_the_same_charts_as_the_pdf(client, login, station):
    publish_everything(station)
    login(factories.make_user("viewer"))
    page = client.get("/reports/annual/2026").get_data(as_text=True)
    context = services.annual_context(2026)
    assert context["type_chart"].startswith("data:image/svg+xml;base64,")
    assert f'src="{context["type_chart"]}"' in page
    assert f'src="{context["station_chart"]}"' in page
    assert "<h1>Community policing annual report 2026</h1>" in page
    assert "Engagement activities by call type, 2026" in page  # the chart's figures as a table
    assert client.get("/reports/annual/1999").status_code == 404
