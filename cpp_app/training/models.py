"""Training courses, the records of who completed them, and remembered import column mappings."""

from __future__ import annotations

from datetime import date

from sqlalchemy import JSON, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cpp_app.enums import LabelledEnum
from cpp_app.extensions import db
from cpp_app.models import IdMixin, TimestampMixin
from cpp_app.stations.models import Member


class TrainingDelivery(LabelledEnum):
    """How a course is delivered."""

    IN_PERSON = "in_person", "In person"
    ONLINE = "online", "Online"


class RecordSource(LabelledEnum):
    """How a training record came in: entered by hand or imported from a file."""

    ENTERED = "entered", "Entered"
    IMPORTED = "imported", "Imported"


class TrainingCourse(IdMixin, TimestampMixin, db.Model):
    """A course, and whether its hours count toward the community policing requirement.

    Two courses may share a title and provider when their codes differ (two offerings in a
    learning system's export).
    """

    __tablename__ = "training_courses"
    __table_args__ = (UniqueConstraint("title", "provider", "code"),)

    title: Mapped[str] = mapped_column(String(255), index=True)
    provider: Mapped[str] = mapped_column(String(120), default="")
    code: Mapped[str] = mapped_column(String(60), default="", index=True)
    delivery: Mapped[str] = mapped_column(String(20), default=TrainingDelivery.IN_PERSON)
    hours: Mapped[float | None]
    counts_toward_requirement: Mapped[bool] = mapped_column(default=True)
    active: Mapped[bool] = mapped_column(default=True)

    @property
    def delivery_label(self) -> str:
        """In person or online."""
        return TrainingDelivery.label_of(self.delivery)

    @property
    def label(self) -> str:
        """Title with provider."""
        return f"{self.title} ({self.provider})" if self.provider else self.title


class TrainingRecord(IdMixin, db.Model):
    """A member's completion of a course, with the hours credited."""

    __tablename__ = "training_records"
    __table_args__ = (
        UniqueConstraint("member_id", "course_id", "completed_on"),
        # Covers the compliance aggregate, so it never has to visit the table itself.
        Index("ix_training_records_completed_member", "completed_on", "member_id", "course_id",
              "hours_credited"),
    )

    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"))
    course_id: Mapped[int] = mapped_column(ForeignKey("training_courses.id"), index=True)
    completed_on: Mapped[date]
    #: The first day of a course that ran over several days, when the source says so.
    started_on: Mapped[date | None]
    hours_credited: Mapped[float]
    source: Mapped[str] = mapped_column(String(10), default=RecordSource.ENTERED)
    external_id: Mapped[str | None] = mapped_column(String(80), index=True)
    import_batch_id: Mapped[int | None] = mapped_column(
        ForeignKey("import_batches.id", ondelete="SET NULL"))

    member: Mapped[Member] = relationship()
    course: Mapped[TrainingCourse] = relationship()

    @property
    def source_label(self) -> str:
        """How the record came in, as people read it."""
        return RecordSource.label_of(self.source)


class ColumnMapping(IdMixin, TimestampMixin, db.Model):
    """How one source system's export columns map to ours, remembered for next time."""

    __tablename__ = "training_column_mappings"

    name: Mapped[str] = mapped_column(String(80), unique=True)
    mapping: Mapped[dict] = mapped_column(JSON, default=dict)
    default_course_id: Mapped[int | None] = mapped_column(
        ForeignKey("training_courses.id", ondelete="SET NULL"))

    default_course: Mapped[TrainingCourse | None] = relationship()
