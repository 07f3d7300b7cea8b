"""Large uploads are imported outside the web request, as large reports are rendered.

An upload whose contents (uncompressed, for a workbook) pass CPP_IMPORT_BACKGROUND_MB is saved
and queued as an `ImportJob`; the scheduler imports queued jobs one at a time, each in a
child process stopped at CPP_IMPORT_TIME_LIMIT_SECONDS, for the user who uploaded it (with
their reach). The upload page lists the user's queued imports, and each job's page shows
its result once done.
"""

from __future__ import annotations

import logging
import multiprocessing
import secrets
import shutil
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from flask import Flask, current_app
from sqlalchemy import select, update

from cpp_app.audit.services import acting_as
from cpp_app.database import expect_writes, writing
from cpp_app.errors import ServiceError
from cpp_app.extensions import db
from cpp_app.importing.limits import (
    MEGABYTE,
    FileTooLargeError,
    check_workbook,
    import_limits,
    work_size,
)
from cpp_app.importing.models import ImportJob, ImportJobStatus
from cpp_app.importing.outcomes import ImportResult
from cpp_app.importing.pipeline import ImportFileError
from cpp_app.importing.readers import EXCEL_SUFFIXES
from cpp_app.importing.services import run_import_file
from cpp_app.importing.uploads import upload_folder
from cpp_app.models import utcnow
from cpp_app.permissions import Action, can

logger = logging.getLogger(__name__)
QUEUE_FOLDER = "queued"
#: The most planned changes a queued dry run keeps for its page.
MAX_CHANGES_KEPT = 5_000


@dataclass
class RunSummary:
    """What one pass over the queue did."""

    done: int = 0
    failed: int = 0


def belongs_in_background(path: Path) -> bool:
    """Whether reading the file is more work than a web request should do."""
    return work_size(path) > current_app.config["CPP_IMPORT_BACKGROUND_MB"] * MEGABYTE


def refuse_oversized_workbook(path: Path) -> None:
    """ImportFileError now for a workbook that reading would refuse for its size."""
    if path.suffix.lower() in EXCEL_SUFFIXES:
        try:
            check_workbook(path, import_limits())
        except FileTooLargeError as error:
            raise ImportFileError(str(error)) from error


def queue_import(kind: str, path: Path, filename: str, *, actor: Any, dry_run: bool = False,
                 options: dict[str, Any] | None = None,
                 column_mapping: dict[str, str] | None = None) -> ImportJob:
    """Keep the file in the queue folder and queue its import for `actor`."""
    stored_name = f"{secrets.token_hex(16)}{path.suffix.lower()}"
    shutil.copyfile(path, upload_folder(QUEUE_FOLDER) / stored_name)
    job = ImportJob(kind=kind, filename=filename[:255], stored_name=stored_name,
                    dry_run=dry_run, options=_encoded(options or {}),
                    column_mapping=column_mapping, requested_by_id=actor.id)
    db.session.add(job)
    db.session.commit()
    return job


def recent_jobs(user_id: int, kind: str, limit: int = 5) -> list[ImportJob]:
    """The user's latest queued imports of a kind, newest first."""
    return list(db.session.scalars(
        select(ImportJob).where(ImportJob.requested_by_id == user_id, ImportJob.kind == kind)
        .order_by(ImportJob.id.desc()).limit(limit)))


def may_view_job(user: Any, job: ImportJob) -> bool:
    """Administrators see every queued import; anyone else their own."""
    return can(user, Action.VIEW_IMPORTS) or job.requested_by_id == user.id


def run_queued_imports(app: Flask, time_limit: float | None = None) -> RunSummary:
    """Import every queued upload, oldest first, each within the time limit."""
    limit = time_limit or app.config["CPP_IMPORT_TIME_LIMIT_SECONDS"]
    summary = RunSummary()
    db.session.commit()  # a read snapshot left open could not be upgraded to a write
    with writing():
        _fail_abandoned_jobs(limit)
        while (job_id := _claim_next_job()) is not None:
            _import_in_child(app, job_id, limit)
            status = db.session.scalar(select(ImportJob.status).where(ImportJob.id == job_id))
            db.session.commit()
            summary.done += status == ImportJobStatus.DONE
            summary.failed += status != ImportJobStatus.DONE
    return summary


def _claim_next_job() -> int | None:
    """Mark the oldest queued job running and return its id (None when the queue is empty)."""
    while True:
        job_id = db.session.scalar(select(ImportJob.id).where(
            ImportJob.status == ImportJobStatus.QUEUED).order_by(ImportJob.id).limit(1))
        if job_id is None:
            db.session.commit()
            return None
        claimed = db.session.execute(
            update(ImportJob).where(ImportJob.id == job_id,
                                    ImportJob.status == ImportJobStatus.QUEUED)
            .values(status=ImportJobStatus.RUNNING, started_at=utcnow()))
        db.session.commit()
        if claimed.rowcount == 1:
            return job_id


def _import_in_child(app: Flask, job_id: int, time_limit: float) -> None:
    """Run one claimed job in a forked child; stop it when it runs past the limit."""
    child = multiprocessing.get_context("fork").Process(
        target=_run_job, args=(app, job_id), name=f"import-job-{job_id}", daemon=True)
    child.start()
    child.join(time_limit)
    if child.is_alive():
        child.kill()
        child.join()
        _finish_failed(job_id, f"Stopped after {time_limit:g} seconds, the time limit for an "
                               "import. The chunks committed so far stay: upload the same "
                               "file again to add the rest, split it, or ask an "
                               "administrator to raise CPP_IMPORT_TIME_LIMIT_SECONDS.")
    elif child.exitcode != 0:
        _finish_failed(job_id, f"The import stopped unexpectedly (exit code {child.exitcode}).")
    job = db.session.get(ImportJob, job_id)
    (upload_folder(QUEUE_FOLDER) / job.stored_name).unlink(missing_ok=True)


def _run_job(app: Flask, job_id: int) -> None:
    """In the child: import the job's file for its user, and store what came of it."""
    with app.app_context():
        db.engine.dispose(close=False)  # never share the parent's connections
        expect_writes()
        job = db.session.get(ImportJob, job_id)
        actor = job.requested_by
        try:
            if actor is None or not actor.active:
                raise ServiceError("The account that queued this import is no longer active.")
            with acting_as(actor.email):
                result = run_import_file(
                    job.kind, upload_folder(QUEUE_FOLDER) / job.stored_name,
                    filename=job.filename, dry_run=job.dry_run, options=_decoded(job.options),
                    column_mapping=job.column_mapping, actor=actor)
        except ServiceError as error:
            db.session.rollback()
            _finish_failed(job_id, str(error))
            return
        except Exception:  # noqa: BLE001 - any failure is recorded on the job, not lost
            logger.exception("import job %s failed", job_id)
            db.session.rollback()
            _finish_failed(job_id, "The import failed; the error is in the scheduler's log.")
            return
        _finish_done(job_id, result)


def _finish_done(job_id: int, result: ImportResult) -> None:
    """Record the finished job with its batch, notes and (for a dry run) planned changes."""
    job = db.session.get(ImportJob, job_id)
    job.batch_id = result.batch.id
    job.outcome = {"notes": [note.text for note in result.notes],
                   "changes": [[c.line_number, c.action, c.text]
                               for c in result.changes[:MAX_CHANGES_KEPT]],
                   "changes_total": len(result.changes)}
    job.status, job.finished_at = ImportJobStatus.DONE, utcnow()
    db.session.commit()


def _finish_failed(job_id: int, reason: str) -> None:
    """Record that a running job failed, and why."""
    db.session.execute(
        update(ImportJob).where(ImportJob.id == job_id,
                                ImportJob.status == ImportJobStatus.RUNNING)
        .values(status=ImportJobStatus.FAILED, error=reason, finished_at=utcnow()))
    db.session.commit()


def _fail_abandoned_jobs(time_limit: float) -> None:
    """Jobs left running by a runner that died are failed, so they can be uploaded again."""
    cutoff = utcnow() - timedelta(seconds=time_limit + 60)
    db.session.execute(
        update(ImportJob).where(ImportJob.status == ImportJobStatus.RUNNING,
                                ImportJob.started_at < cutoff)
        .values(status=ImportJobStatus.FAILED, finished_at=utcnow(),
                error="The import worker stopped while importing it; upload the file again."))
    db.session.commit()


def _encoded(options: dict[str, Any]) -> dict[str, Any]:
    """Options as JSON: dates as {"date": "YYYY-MM-DD"}."""
    return {name: {"date": value.isoformat()} if isinstance(value, date) else value
            for name, value in options.items()}


def _decoded(options: dict[str, Any]) -> dict[str, Any]:
    """Options read back from JSON."""
    return {name: date.fromisoformat(value["date"])
            if isinstance(value, dict) and set(value) == {"date"} else value
            for name, value in options.items()}


def import_now_or_later(kind: str, path: Path, filename: str, *, actor: Any,
                        dry_run: bool = False, options: dict[str, Any] | None = None,
                        column_mapping: dict[str, str] | None = None
                        ) -> ImportResult | ImportJob:
    """Import the file in this request, or queue it when it is too much work for one.

    A workbook beyond the limits is refused at once, never queued.
    """
    if belongs_in_background(path):
        refuse_oversized_workbook(path)
        return queue_import(kind, path, filename, actor=actor, dry_run=dry_run,
                            options=options, column_mapping=column_mapping)
    return run_import_file(kind, path, filename=filename, dry_run=dry_run, options=options,
                           column_mapping=column_mapping, actor=actor)
