"""Large reports render outside the web request.

A request is queued as a `ReportJob`; the scheduler process renders queued jobs one at a time,
each in a child process with a time limit, so a slow report never ties up a web worker and a
runaway one is stopped. Finished PDFs are kept for `KEEP_FINISHED` and then deleted.
"""

from __future__ import annotations

import logging
import multiprocessing
from dataclasses import dataclass
from datetime import date, timedelta

from flask import Flask, current_app
from sqlalchemy import delete, select, update

from cpp_app.clock import today_local
from cpp_app.database import reading, writing
from cpp_app.errors import ServiceError
from cpp_app.extensions import db
from cpp_app.models import utcnow
from cpp_app.reports import services
from cpp_app.reports.models import (
    FINISHED_JOB_STATUSES,
    PENDING_JOB_STATUSES,
    QueuedReport,
    ReportJob,
    ReportJobStatus,
)
from cpp_app.reports.pdf import html_to_pdf, render_page_then_release

logger = logging.getLogger(__name__)
KEEP_FINISHED = timedelta(days=7)
FIRST_REPORT_YEAR = 2000


class ReportRequestError(ServiceError):
    """A report request that cannot be queued (unknown report, year out of range)."""


@dataclass
class RunSummary:
    """What one pass over the queue did."""

    done: int = 0
    failed: int = 0


def report_pdf(report: str, year: int | None, today: date) -> bytes:
    """Render a department-wide report to PDF bytes (the CLI and the jobs share this).

    Its reads never take the write lock, and end before the slow part, making the PDF, so a
    report holds no lock at all while it renders (see `render_page_then_release`).
    """
    with reading():
        if report == QueuedReport.ANNUAL:
            template, context = "reports/annual.html", services.annual_context(
                year or today.year)
        elif report == QueuedReport.TRAINING:
            template, context = "reports/training.html", services.training_context(today)
        else:
            raise ReportRequestError(f"There is no report called {report!r}.")
        with current_app.test_request_context():
            page = render_page_then_release(template, generated_on=today.isoformat(),
                                            **context)
    return html_to_pdf(page)


def check_request(report: str, year: int | None, today: date) -> int | None:
    """The year the request is for (None for reports without one), or a clear refusal."""
    if not QueuedReport.has_value(report):
        raise ReportRequestError("Choose one of the reports listed.", field="report")
    if report != QueuedReport.ANNUAL:
        return None
    if year is None or not FIRST_REPORT_YEAR <= year <= today.year:
        raise ReportRequestError(
            f"Choose a year from {FIRST_REPORT_YEAR} to {today.year}.", field="year")
    return year


def request_report(user_id: int, report: str, year: int | None, today: date) -> ReportJob:
    """Queue a report, or return the same report already waiting or rendering."""
    year = check_request(report, year, today)
    same_year = ReportJob.year.is_(None) if year is None else ReportJob.year == year
    waiting = db.session.scalar(
        select(ReportJob).where(ReportJob.report == report, same_year,
                                ReportJob.status.in_(PENDING_JOB_STATUSES))
        .order_by(ReportJob.id).limit(1))
    if waiting is not None:
        return waiting
    job = ReportJob(report=report, year=year, requested_by_id=user_id)
    db.session.add(job)
    db.session.commit()
    return job


def recent_jobs(user_id: int, limit: int = 10) -> list[ReportJob]:
    """The user's latest report requests, newest first."""
    return list(db.session.scalars(
        select(ReportJob).where(ReportJob.requested_by_id == user_id)
        .order_by(ReportJob.requested_at.desc(), ReportJob.id.desc()).limit(limit)))


def run_queued_reports(app: Flask, time_limit: float | None = None) -> RunSummary:
    """Render every queued report, oldest first, each within the time limit."""
    limit = time_limit or app.config["CPP_REPORT_TIME_LIMIT_SECONDS"]
    summary = RunSummary()
    db.session.commit()  # a read snapshot left open could not be upgraded to a write
    with writing():
        _fail_abandoned_jobs(limit)
        _delete_old_jobs()
        while (job_id := _claim_next_job()) is not None:
            _render_in_child(app, job_id, limit)
            status = db.session.scalar(select(ReportJob.status).where(ReportJob.id == job_id))
            db.session.commit()
            if status == ReportJobStatus.DONE:
                summary.done += 1
            else:
                summary.failed += 1
    return summary


def _claim_next_job() -> int | None:
    """Mark the oldest queued job running and return its id (None when the queue is empty).

    The conditional update makes the claim safe even if two runners look at once.
    """
    while True:
        job_id = db.session.scalar(
            select(ReportJob.id).where(ReportJob.status == ReportJobStatus.QUEUED)
            .order_by(ReportJob.requested_at, ReportJob.id).limit(1))
        if job_id is None:
            db.session.commit()
            return None
        claimed = db.session.execute(
            update(ReportJob)
            .where(ReportJob.id == job_id, ReportJob.status == ReportJobStatus.QUEUED)
            .values(status=ReportJobStatus.RUNNING, started_at=utcnow()))
        db.session.commit()
        if claimed.rowcount == 1:
            return job_id


def _render_in_child(app: Flask, job_id: int, time_limit: float) -> None:
    """Render one claimed job in a forked child; stop it when it runs past the limit."""
    child = multiprocessing.get_context("fork").Process(
        target=_render_job, args=(app, job_id), name=f"report-job-{job_id}", daemon=True)
    child.start()
    child.join(time_limit)
    if child.is_alive():
        child.kill()
        child.join()
        _finish_failed(job_id, f"Stopped after {time_limit:g} seconds, the time limit for a "
                               "report. Ask an administrator to raise "
                               "CPP_REPORT_TIME_LIMIT_SECONDS.")
    elif child.exitcode != 0:
        _finish_failed(job_id, f"The report stopped unexpectedly (exit code {child.exitcode}).")


def _render_job(app: Flask, job_id: int) -> None:
    """In the child: render the job's PDF and store it (or the reason it failed).

    Read the job, render without any write transaction open, then store the PDF in a short
    one: an hour-long render never keeps the survey or an import from writing.
    """
    with app.app_context():
        db.engine.dispose(close=False)  # never share the parent's connections
        with reading():
            report, year = db.session.execute(
                select(ReportJob.report, ReportJob.year).where(ReportJob.id == job_id)).one()
            db.session.rollback()
        try:
            pdf = report_pdf(report, year, today_local())
        except Exception:  # noqa: BLE001 - any failure is recorded on the job, not lost
            logger.exception("report job %s failed", job_id)
            db.session.rollback()
            _finish_failed(job_id, "The report could not be rendered; the error is in the "
                                   "scheduler's log.")
            return
        with writing():
            db.session.execute(
                update(ReportJob).where(ReportJob.id == job_id).values(
                    pdf=pdf, pdf_size=len(pdf), status=ReportJobStatus.DONE,
                    finished_at=utcnow()))
            db.session.commit()


def _finish_failed(job_id: int, reason: str) -> None:
    """Record that a running job failed, and why."""
    with writing():
        db.session.execute(
            update(ReportJob)
            .where(ReportJob.id == job_id, ReportJob.status == ReportJobStatus.RUNNING)
            .values(status=ReportJobStatus.FAILED, error=reason, finished_at=utcnow()))
        db.session.commit()


def _fail_abandoned_jobs(time_limit: float) -> None:
    """Jobs left running by a runner that died are failed, so they can be asked for again."""
    cutoff = utcnow() - timedelta(seconds=time_limit + 60)
    db.session.execute(
        update(ReportJob)
        .where(ReportJob.status == ReportJobStatus.RUNNING, ReportJob.started_at < cutoff)
        .values(status=ReportJobStatus.FAILED, finished_at=utcnow(),
                error="The report worker stopped while rendering it; ask for it again."))
    db.session.commit()


def _delete_old_jobs() -> None:
    """Finished requests older than KEEP_FINISHED are deleted with their PDFs."""
    db.session.execute(delete(ReportJob).where(
        ReportJob.status.in_(FINISHED_JOB_STATUSES),
        ReportJob.finished_at < utcnow() - KEEP_FINISHED))
    db.session.commit()
