"""Abandoned uploads are deleted: files left in the uploads folder past CPP_UPLOAD_MAX_AGE_HOURS.

An upload lives in the instance's uploads folder while a request reads it, while a training
export waits for its columns to be mapped, or while a large file waits in the import queue.
A request that crashed, or a mapping page nobody came back to, leaves its file behind; the
scheduler and `flask cpp clean-uploads` delete those once they are older than the limit. A
file still waiting for (or being read by) a queued import is always kept.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from flask import current_app
from sqlalchemy import select

from cpp_app.extensions import db
from cpp_app.importing.jobs import QUEUE_FOLDER
from cpp_app.importing.models import ImportJob, ImportJobStatus
from cpp_app.importing.uploads import upload_folder
from cpp_app.models import utcnow

logger = logging.getLogger(__name__)


@dataclass
class UploadSweep:
    """What a sweep of the uploads folder found, and what deleting it did."""

    max_age_hours: int
    abandoned: list[Path] = field(default_factory=list)
    kept_recent: int = 0
    kept_queued: int = 0
    deleted: int = 0
    freed_bytes: int = 0

    @property
    def summary(self) -> str:
        """One line saying what was deleted and what was kept."""
        return (f"Deleted {self.deleted} abandoned upload(s) older than {self.max_age_hours} "
                f"hours ({self.freed_bytes / 1024 / 1024:.1f} MB freed); kept "
                f"{self.kept_recent} recent and {self.kept_queued} waiting for a queued import.")


def find_abandoned_uploads(max_age_hours: int | None = None,
                           now: datetime | None = None) -> UploadSweep:
    """The uploads older than the limit, except those a queued or running import still needs."""
    hours = current_app.config["CPP_UPLOAD_MAX_AGE_HOURS"] if max_age_hours is None \
        else max_age_hours
    cutoff = ((now or utcnow()) - timedelta(hours=hours)).timestamp()
    waiting = set(db.session.scalars(select(ImportJob.stored_name).where(
        ImportJob.status.in_([ImportJobStatus.QUEUED, ImportJobStatus.RUNNING]))))
    queue = upload_folder(QUEUE_FOLDER)
    sweep = UploadSweep(max_age_hours=hours)
    for path in sorted(upload_folder().rglob("*")):
        if not path.is_file():
            continue
        if path.parent == queue and path.name in waiting:
            sweep.kept_queued += 1
        elif path.stat().st_mtime >= cutoff:
            sweep.kept_recent += 1
        else:
            sweep.abandoned.append(path)
    return sweep


def delete_upload(sweep: UploadSweep, path: Path) -> None:
    """Delete one abandoned upload, counting it (a file already gone is skipped)."""
    try:
        size = path.stat().st_size
        path.unlink()
    except FileNotFoundError:
        return
    sweep.deleted += 1
    sweep.freed_bytes += size


def clean_uploads(max_age_hours: int | None = None, now: datetime | None = None) -> UploadSweep:
    """Find and delete every abandoned upload (the scheduler's job)."""
    sweep = find_abandoned_uploads(max_age_hours, now)
    for path in sweep.abandoned:
        delete_upload(sweep, path)
    if sweep.deleted:
        logger.info("uploads: %s", sweep.summary)
    return sweep
