"""A long import commits chunk by chunk, so other writers (the public survey) get their turn.

Between chunks the write lock is free and the rows so far are committed; a run that stops
part-way is run again safely (the imports are idempotent), and the batch says so.
"""

from __future__ import annotations

import sqlite3

import pytest
from sqlalchemy import func, select

from cpp_app.audit.services import acting_as
from cpp_app.database import reading, writing
from cpp_app.engagement.importing import EngagementImportSpec
from cpp_app.engagement.models import EngagementRecord
from cpp_app.extensions import db
from cpp_app.importing.models import ImportBatch, ImportStatus
from cpp_app.importing.pipeline import run_import
from tests.helpers import on_postgresql

HEADER = "Date,Time,CallType,ShieldNumber,Location\n"
ROWS = 10


@pytest.fixture
def engagement_file(tmp_path):
    """An engagement export of ROWS distinct rows."""
    path = tmp_path / "q1.csv"
    path.write_text(HEADER + "".join(f"2017-01-03,13:{minute:02d},COP Activity,1001,"
                                     f"{minute} Main St\n" for minute in range(ROWS)))
    return path


def import_file(path, chunk_size=2, progress=None):
    """Import the file as the command line and the queue do: transactions take the lock."""
    with acting_as("test:import"), writing():
        return run_import(EngagementImportSpec(), path, chunk_size=chunk_size,
                          progress=progress)


def committed_records() -> int:
    """Engagement records another connection sees (committed ones only)."""
    with reading(), db.engine.connect() as other:
        return other.scalar(select(func.count()).select_from(EngagementRecord))


def test_between_chunks_the_rows_are_committed_and_the_write_lock_is_free(engagement_file):
    seen, lock_taken = [], []

    def after_chunk(_rows: int) -> None:
        seen.append(committed_records())
        if on_postgresql():
            return
        other = sqlite3.connect(db.engine.url.database, timeout=0, isolation_level=None)
        try:
            other.execute("BEGIN IMMEDIATE")  # fails at once while the import holds the lock
            other.rollback()
            lock_taken.append(True)
        finally:
            other.close()

    result = import_file(engagement_file, chunk_size=3, progress=after_chunk)
    assert seen == [3, 6, 9, 10]
    assert lock_taken == ([] if on_postgresql() else [True] * 4)
    batch = db.session.get(ImportBatch, result.batch.id)
    assert batch.status == ImportStatus.COMPLETED
    assert batch.message.startswith("Committed in chunks of 3 rows; a stopped import can be "
                                    "run again")


def test_a_stopped_import_keeps_its_chunks_and_is_run_again_safely(engagement_file,
                                                                   monkeypatch, admin_client):
    writes = []
    write_frame = EngagementImportSpec.write_frame

    def stop_at_the_third_chunk(spec, frame):
        writes.append(len(frame))
        if len(writes) == 3:
            raise RuntimeError("the worker was stopped")
        return write_frame(spec, frame)

    monkeypatch.setattr(EngagementImportSpec, "write_frame", stop_at_the_third_chunk)
    with pytest.raises(RuntimeError, match="stopped"):
        import_file(engagement_file)
    db.session.rollback()
    monkeypatch.setattr(EngagementImportSpec, "write_frame", write_frame)
    assert committed_records() == 4
    stopped = db.session.scalar(select(ImportBatch))
    assert (stopped.status, stopped.rows_read, stopped.rows_inserted) == (
        ImportStatus.RUNNING, 4, 4)
    page = admin_client.get(f"/imports/{stopped.id}").get_data(as_text=True)
    assert "Running, or stopped part-way" in page
    assert "Committed in chunks of 2 rows; a stopped import can be run again" in page

    again = import_file(engagement_file)
    assert again.summary == {"read": ROWS, "inserted": ROWS - 4, "updated": 0, "unchanged": 4,
                             "rejected": 0}
    assert committed_records() == ROWS


def test_a_dry_run_commits_nothing(engagement_file):
    with acting_as("test:import"), writing():
        result = run_import(EngagementImportSpec(), engagement_file, chunk_size=3,
                            dry_run=True)
    assert result.summary["inserted"] == ROWS
    assert committed_records() == 0
    assert "Committed in chunks" not in (result.batch.message or "")
