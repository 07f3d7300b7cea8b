"""Abandoned uploads are deleted after CPP_UPLOAD_MAX_AGE_HOURS, by the scheduler and a command."""

from __future__ import annotations

import contextvars
import os
import shutil
import time
from pathlib import Path

import pytest

from cpp_app.extensions import db
from cpp_app.importing.cleanup import clean_uploads
from cpp_app.importing.models import ImportJob, ImportJobStatus
from cpp_app.importing.uploads import upload_folder
from cpp_app.reminders.scheduler import build_scheduler

HOUR = 3600


def aged_file(path: Path, hours_old: float, size: int = 10) -> Path:
    """A file of `size` bytes last modified `hours_old` hours ago."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"x" * size)
    moment = time.time() - hours_old * HOUR
    os.utime(path, (moment, moment))
    return path


@pytest.fixture
def uploads() -> dict[str, Path]:
    """An uploads folder with a crashed request's file, mappings old and new, and the queue."""
    shutil.rmtree(upload_folder(), ignore_errors=True)
    files = {
        "crashed": aged_file(upload_folder() / "tmpabc123.csv", 30, size=1024 * 1024),
        "old_mapping": aged_file(upload_folder("training") / "3-oldtoken.xlsx", 25),
        "new_mapping": aged_file(upload_folder("training") / "3-newtoken.csv", 1),
        "waiting": aged_file(upload_folder("queued") / "aaaa.csv", 48),
        "running": aged_file(upload_folder("queued") / "bbbb.csv", 48),
        "finished": aged_file(upload_folder("queued") / "cccc.csv", 48),
    }
    for stored_name, status in (("aaaa.csv", ImportJobStatus.QUEUED),
                                ("bbbb.csv", ImportJobStatus.RUNNING),
                                ("cccc.csv", ImportJobStatus.DONE)):
        db.session.add(ImportJob(kind="members", filename="roster.csv", stored_name=stored_name,
                                 status=status))
    db.session.commit()
    return files


def test_uploads_older_than_the_limit_are_deleted_unless_a_queued_import_needs_them(uploads):
    sweep = clean_uploads()
    assert sweep.max_age_hours == 24
    gone = {name for name, path in uploads.items() if not path.exists()}
    assert gone == {"crashed", "old_mapping", "finished"}
    assert (sweep.deleted, sweep.kept_recent, sweep.kept_queued) == (3, 1, 2)
    assert sweep.freed_bytes == 1024 * 1024 + 20


def test_the_age_limit_comes_from_the_setting(app, uploads, monkeypatch):
    monkeypatch.setitem(app.config, "CPP_UPLOAD_MAX_AGE_HOURS", 72)
    assert clean_uploads().deleted == 0
    assert all(path.exists() for path in uploads.values())


def test_the_command_shows_progress_and_a_summary(app, uploads):
    runner = app.test_cli_runner()
    result = contextvars.copy_context().run(
        runner.invoke, args=["cpp", "clean-uploads", "--max-age-hours", "0"])
    assert result.exit_code == 0, result.output
    assert "Deleting abandoned uploads" in result.stderr
    assert ("Deleted 4 abandoned upload(s) older than 0 hours (1.0 MB freed); kept 0 recent "
            "and 2 waiting for a queued import.") in result.stdout
    assert not uploads["new_mapping"].exists()
    assert uploads["waiting"].exists()


def test_the_scheduler_cleans_uploads_every_hour(app):
    job = build_scheduler(app, hour=6).get_job("uploads")
    assert job.trigger.interval.total_seconds() == HOUR
