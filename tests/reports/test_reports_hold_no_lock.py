"""A report renders with no write transaction open: read, release, render, then store.

While the PDF is made, another connection takes SQLite's write lock at once (as the public
survey's submissions must), whether the report is rendered by the queue or the command.
"""

from __future__ import annotations

import sqlite3

import pytest
from flask import current_app
from sqlalchemy import select

from cpp_app.extensions import db
from cpp_app.reports import cli, jobs, pdf
from cpp_app.reports.models import ReportJob
from tests import factories
from tests.factories.public import publish_everything
from tests.helpers import on_postgresql

pytestmark = pytest.mark.skipif(on_postgresql(), reason="SQLite's single write lock")
LOCK_FREE_PDF = b"%PDF-1.7 rendered while the write lock was free"


def pdf_if_the_write_lock_is_free(_html: str) -> bytes:
    """Stand in for WeasyPrint: take the write lock from another connection, without waiting."""
    other = sqlite3.connect(db.engine.url.database, timeout=0, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")  # "database is locked" if the report holds it
        other.rollback()
    finally:
        other.close()
    return LOCK_FREE_PDF


def stand_in_for_weasyprint(monkeypatch) -> None:
    """Make PDFs with `pdf_if_the_write_lock_is_free` wherever the reports look it up."""
    for module in (pdf, jobs, cli):
        monkeypatch.setattr(module, "html_to_pdf", pdf_if_the_write_lock_is_free,
                            raising=False)


@pytest.mark.usefixtures("station")
def test_a_queued_report_renders_with_the_write_lock_free(monkeypatch):
    admin = factories.make_user("admin")
    db.session.add(ReportJob(report="annual", year=2026, requested_by_id=admin.id))
    db.session.commit()
    stand_in_for_weasyprint(monkeypatch)  # the forked child inherits it
    summary = jobs.run_queued_reports(current_app._get_current_object())
    assert (summary.done, summary.failed) == (1, 0)
    db.session.expire_all()
    job = db.session.scalar(select(ReportJob))
    assert job.pdf == LOCK_FREE_PDF
    assert job.pdf_size == len(LOCK_FREE_PDF)


@pytest.mark.parametrize("arguments", [["annual", "--year", "2026"], ["training"],
                                       ["plan", "--station", "CEN"]])
def test_the_report_command_renders_with_the_write_lock_free(app, tmp_path, station,
                                                             monkeypatch, arguments):
    publish_everything(station)
    stand_in_for_weasyprint(monkeypatch)
    out = tmp_path / "report.pdf"
    result = app.test_cli_runner().invoke(args=["cpp", "report", *arguments,
                                                "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_bytes() == LOCK_FREE_PDF
