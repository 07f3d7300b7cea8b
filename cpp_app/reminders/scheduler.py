"""The scheduler process: the reminder pass, the audit check, the outbox and the report queue.

The reminder pass and the audit check (verify the chain, publish its anchor) run daily, the
outbox sender every minute, and the report PDFs people asked for are made every few seconds.

Only one scheduler may run at a time, even if several are started: on PostgreSQL it holds a
session advisory lock on its own connection; on SQLite, whose database lives on this machine,
it holds an exclusive lock on a file beside the database.
"""

from __future__ import annotations

import fcntl
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.cron import CronTrigger
from flask import Flask
from sqlalchemy import text

from cpp_app.audit.anchors import AnchorError
from cpp_app.audit.services import verify_and_anchor
from cpp_app.clock import today_local
from cpp_app.database import expect_writes
from cpp_app.extensions import db
from cpp_app.importing.cleanup import clean_uploads
from cpp_app.importing.jobs import run_queued_imports
from cpp_app.reminders.services import run_pass, send_outbox
from cpp_app.reports.jobs import run_queued_reports

logger = logging.getLogger(__name__)
SCHEDULER_LOCK_KEY = 7_203_114_002
REPORT_QUEUE_SECONDS = 10


class SchedulerAlreadyRunning(RuntimeError):
    """Another scheduler holds the lock."""


@contextmanager
def scheduler_lock(app: Flask) -> Iterator[None]:
    """Hold the single-scheduler lock for the duration of the block."""
    engine = db.engine
    if engine.dialect.name == "postgresql":
        with engine.connect() as connection:
            got = connection.execute(text("SELECT pg_try_advisory_lock(:key)"),
                                     {"key": SCHEDULER_LOCK_KEY}).scalar()
            if not got:
                raise SchedulerAlreadyRunning("another scheduler holds the advisory lock")
            try:
                yield
            finally:
                connection.execute(text("SELECT pg_advisory_unlock(:key)"),
                                   {"key": SCHEDULER_LOCK_KEY})
        return
    lock_path = Path(app.instance_path) / "scheduler.lock"
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    with lock_path.open("w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as error:
            raise SchedulerAlreadyRunning(f"another scheduler holds {lock_path}") from error
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def check_audit_chain() -> bool:
    """Verify the audit chain and publish its anchor, logging a break; whether it held."""
    try:
        verification = verify_and_anchor()
    except AnchorError as error:
        logger.error("audit check: the anchor cannot be used: %s", error)
        return False
    return verification.report.intact


def build_scheduler(app: Flask, hour: int) -> BlockingScheduler:
    """An APScheduler running the daily pass and audit check, the outbox and the two queues.

    The daily pass runs at `hour`, the audit check half an hour later, the outbox sender every
    minute, the report and import queues every REPORT_QUEUE_SECONDS, and the abandoned-upload
    cleanup every hour.
    """
    def daily_pass() -> None:
        with app.app_context():
            expect_writes()
            report = run_pass(today_local())
            logger.info("reminder pass: %s", report)

    def audit_check() -> None:
        with app.app_context():
            check_audit_chain()

    def outbox() -> None:
        with app.app_context():
            expect_writes()
            report = send_outbox()
            if report.sent or report.retried or report.failed:
                logger.info("outbox: %s", report)

    def import_queue() -> None:
        with app.app_context():
            expect_writes()
            summary = run_queued_imports(app)
            if summary.done or summary.failed:
                logger.info("imports: %s", summary)

    def upload_cleanup() -> None:
        with app.app_context():
            clean_uploads()

    def report_queue() -> None:
        with app.app_context():
            expect_writes()
            summary = run_queued_reports(app)
            if summary.done or summary.failed:
                logger.info("reports: %s", summary)

    scheduler = BlockingScheduler(timezone=app.config["CPP_TIMEZONE"], job_defaults={
        "coalesce": True, "misfire_grace_time": 3600, "max_instances": 1})
    scheduler.add_job(daily_pass, CronTrigger(hour=hour, minute=0), id="reminders")
    scheduler.add_job(audit_check, CronTrigger(hour=hour, minute=30), id="audit")
    scheduler.add_job(outbox, "interval", minutes=1, id="outbox")
    scheduler.add_job(report_queue, "interval", seconds=REPORT_QUEUE_SECONDS, id="reports")
    scheduler.add_job(import_queue, "interval", seconds=REPORT_QUEUE_SECONDS, id="imports")
    scheduler.add_job(upload_cleanup, "interval", hours=1, id="uploads")
    return scheduler
