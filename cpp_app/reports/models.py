"""Report requests: large reports are queued and rendered outside the web request.

Each rendered report is kept for download for a while.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship

from cpp_app.auth.models import User
from cpp_app.enums import LabelledEnum
from cpp_app.extensions import db
from cpp_app.models import IdMixin, UTCDateTime, utcnow


class QueuedReport(LabelledEnum):
    """The reports that render outside the request, with how people name them."""

    ANNUAL = "annual", "Annual report"
    TRAINING = "training", "Training compliance report"


class ReportJobStatus(LabelledEnum):
    """Where a report request stands."""

    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"


#: A request still waiting or being rendered.
PENDING_JOB_STATUSES = frozenset({ReportJobStatus.QUEUED, ReportJobStatus.RUNNING})
#: A request that has ended, with its PDF or its error.
FINISHED_JOB_STATUSES = frozenset({ReportJobStatus.DONE, ReportJobStatus.FAILED})


class ReportJob(IdMixin, db.Model):
    """One request for a report PDF: queued, running, done (with the PDF) or failed."""

    __tablename__ = "report_jobs"

    report: Mapped[str] = mapped_column(String(20))
    year: Mapped[int | None] = mapped_column()
    requested_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True)
    status: Mapped[str] = mapped_column(String(10), default=ReportJobStatus.QUEUED)
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    error: Mapped[str] = mapped_column(Text, default="")
    pdf_size: Mapped[int | None] = mapped_column()
    pdf: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))

    requested_by: Mapped[User | None] = relationship()

    __table_args__ = (Index("ix_report_jobs_status_requested_at", "status", "requested_at"),)

    @property
    def title(self) -> str:
        """What the report is, as shown to people."""
        label = QueuedReport.label_of(self.report)
        return f"{label} {self.year}" if self.year else label

    @property
    def filename(self) -> str:
        """The file name the PDF downloads under."""
        stem = {QueuedReport.ANNUAL: f"annual-report-{self.year}",
                QueuedReport.TRAINING: "training-compliance"}
        return f"{stem.get(self.report, self.report)}.pdf"

    @property
    def is_pending(self) -> bool:
        """Whether the report is still waiting or being rendered."""
        return self.status in PENDING_JOB_STATUSES
