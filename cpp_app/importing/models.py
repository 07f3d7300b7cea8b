"""Import batches and the rows they rejected."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cpp_app.enums import LabelledEnum
from cpp_app.extensions import db
from cpp_app.models import UTCDateTime, utcnow


class ImportStatus(LabelledEnum):
    """How an import run ended: the file was read (rows may still be rejected), or not.

    A run still marked running has not finished: it is in progress, or it stopped part-way
    with the chunks it committed kept (running the file again adds only the rest).
    """

    RUNNING = "running", "Running, or stopped part-way"
    COMPLETED = "completed", "Completed"
    FAILED = "failed", "Failed"


class ImportBatch(db.Model):
    """One run of an import: which file, by whom, and what came of each row."""

    __tablename__ = "import_batches"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(30), index=True)
    filename: Mapped[str] = mapped_column(String(255))
    file_sha256: Mapped[str] = mapped_column(String(64))
    dry_run: Mapped[bool] = mapped_column(default=False)
    status: Mapped[str] = mapped_column(String(20), default=ImportStatus.COMPLETED)
    message: Mapped[str] = mapped_column(Text, default="")
    started_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    actor_label: Mapped[str] = mapped_column(String(254), default="system")
    rows_read: Mapped[int] = mapped_column(default=0)
    rows_inserted: Mapped[int] = mapped_column(default=0)
    rows_updated: Mapped[int] = mapped_column(default=0)
    rows_unchanged: Mapped[int] = mapped_column(default=0)
    rows_rejected: Mapped[int] = mapped_column(default=0)

    # The users' table belongs to auth: SQLAlchemy finds "User" by name in the model registry.
    user: Mapped[User | None] = relationship("User")  # noqa: F821
    rejects: Mapped[list[ImportReject]] = relationship(
        back_populates="batch", cascade="all, delete-orphan", order_by="ImportReject.line_number"
    )

    def __repr__(self) -> str:
        return f"<ImportBatch {self.id} {self.kind} {self.filename}>"

    @property
    def status_label(self) -> str:
        """The status as people read it."""
        return ImportStatus.label_of(self.status)

    @property
    def succeeded(self) -> bool:
        """Whether the file could be read at all (rows may still have been rejected)."""
        return self.status == ImportStatus.COMPLETED


class ImportReject(db.Model):
    """A row an import refused, with its line number in the file and the reason."""

    __tablename__ = "import_rejects"

    id: Mapped[int] = mapped_column(primary_key=True)
    batch_id: Mapped[int] = mapped_column(
        ForeignKey("import_batches.id", ondelete="CASCADE"), index=True
    )
    line_number: Mapped[int]
    reason: Mapped[str] = mapped_column(Text)
    values: Mapped[dict] = mapped_column(JSON, default=dict)

    batch: Mapped[ImportBatch] = relationship(back_populates="rejects")


class ImportJobStatus(LabelledEnum):
    """Where a queued import stands."""

    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"


class ImportJob(db.Model):
    """A large upload waiting to be imported outside the web request, and what came of it."""

    __tablename__ = "import_jobs"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(30))
    filename: Mapped[str] = mapped_column(String(255))
    #: The saved upload, a file name inside the instance's queued-uploads folder.
    stored_name: Mapped[str] = mapped_column(String(80))
    dry_run: Mapped[bool] = mapped_column(default=False)
    options: Mapped[dict] = mapped_column(JSON, default=dict)
    column_mapping: Mapped[dict | None] = mapped_column(JSON)
    requested_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True)
    status: Mapped[str] = mapped_column(String(10), default=ImportJobStatus.QUEUED, index=True)
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    error: Mapped[str] = mapped_column(Text, default="")
    batch_id: Mapped[int | None] = mapped_column(
        ForeignKey("import_batches.id", ondelete="SET NULL"))
    #: The notes and, for a dry run, the planned changes, as the result page shows them.
    outcome: Mapped[dict] = mapped_column(JSON, default=dict)

    requested_by: Mapped[User | None] = relationship("User")  # noqa: F821
    batch: Mapped[ImportBatch | None] = relationship()

    @property
    def is_pending(self) -> bool:
        """Whether the import is still waiting or running."""
        return self.status in (ImportJobStatus.QUEUED, ImportJobStatus.RUNNING)

    @property
    def status_label(self) -> str:
        """The status as people read it."""
        return ImportJobStatus.label_of(self.status)
