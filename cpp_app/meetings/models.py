"""Community meetings: who came, which languages were needed and served, and what was said."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy import true as sa_true
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cpp_app.enums import LabelledEnum
from cpp_app.extensions import db
from cpp_app.models import IdMixin, TimestampMixin, UTCDateTime
from cpp_app.stations.models import Member, Station


class MeetingKind(LabelledEnum):
    """What kind of community meeting it was."""

    TOWN_HALL = "town_hall", "Town hall"
    ADVISORY_BOARD = "advisory_board", "Advisory board"
    FAITH_BASED = "faith_based", "Faith-based"
    SCHOOL = "school", "School"
    BUSINESS = "business", "Business"
    NEIGHBOURHOOD = "neighbourhood", "Neighbourhood"
    ONLINE = "online", "Online"
    OTHER = "other", "Other"


class InterpreterStatus(LabelledEnum):
    """Whether a language the meeting needed had an interpreter."""

    PROVIDED = "provided", "Interpreter provided"
    REQUESTED_NOT_PROVIDED = "requested_not_provided", "Requested, not provided"
    NOT_REQUESTED = "not_requested", "Not requested"


class FeedbackTone(LabelledEnum):
    """The tone of something heard at a meeting."""

    CRITICAL = "critical", "Critical"
    NEUTRAL = "neutral", "Neutral"
    SUPPORTIVE = "supportive", "Supportive"


class Meeting(IdMixin, TimestampMixin, db.Model):
    """A community meeting held by a station."""

    __tablename__ = "meetings"

    station_id: Mapped[int] = mapped_column(ForeignKey("stations.id"), index=True)
    held_on: Mapped[date] = mapped_column(index=True)
    starts_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    is_public: Mapped[bool] = mapped_column(default=True, server_default=sa_true())
    title: Mapped[str] = mapped_column(String(200))
    place: Mapped[str] = mapped_column(String(255), default="")
    kind: Mapped[str] = mapped_column(String(20))
    attendance: Mapped[int | None]
    notes: Mapped[str] = mapped_column(Text, default="")

    station: Mapped[Station] = relationship()
    languages: Mapped[list[MeetingLanguage]] = relationship(
        back_populates="meeting", cascade="all, delete-orphan",
        order_by="MeetingLanguage.language_code",
    )
    feedback: Mapped[list[MeetingFeedback]] = relationship(
        back_populates="meeting", cascade="all, delete-orphan", order_by="MeetingFeedback.id"
    )

    @property
    def kind_label(self) -> str:
        """The kind of meeting as shown to people."""
        return MeetingKind.label_of(self.kind)

    @property
    def unserved_languages(self) -> list[str]:
        """Languages needed for which no interpreter was provided."""
        return [lang.language_code for lang in self.languages if not lang.is_served]


class MeetingLanguage(IdMixin, db.Model):
    """A language the meeting needed, and whether an interpreter was provided and by whom."""

    __tablename__ = "meeting_languages"
    __table_args__ = (UniqueConstraint("meeting_id", "language_code"),)

    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"),
                                            index=True)
    language_code: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(30), default=InterpreterStatus.NOT_REQUESTED)
    interpreter_member_id: Mapped[int | None] = mapped_column(
        ForeignKey("members.id", ondelete="SET NULL"))
    interpreter_name: Mapped[str] = mapped_column(String(120), default="")

    meeting: Mapped[Meeting] = relationship(back_populates="languages")
    interpreter_member: Mapped[Member | None] = relationship()

    @property
    def status_label(self) -> str:
        """Provided, requested and not provided, or not requested."""
        return InterpreterStatus.label_of(self.status)

    @property
    def is_served(self) -> bool:
        """Whether an interpreter was provided for the language."""
        return self.status == InterpreterStatus.PROVIDED

    @property
    def interpreter(self) -> str:
        """Who interpreted: the member, or the volunteer's name."""
        if self.interpreter_member is not None:
            return self.interpreter_member.label
        return self.interpreter_name


class MeetingFeedback(IdMixin, db.Model):
    """Something heard at a meeting: a topic, what was said, and its tone."""

    __tablename__ = "meeting_feedback"

    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"),
                                            index=True)
    topic: Mapped[str] = mapped_column(String(200))
    text: Mapped[str] = mapped_column(Text, default="")
    tone: Mapped[str] = mapped_column(String(12), default=FeedbackTone.NEUTRAL)
    promoted_to: Mapped[str] = mapped_column(String(120), default="")

    meeting: Mapped[Meeting] = relationship(back_populates="feedback")

    @property
    def tone_label(self) -> str:
        """Critical, neutral or supportive."""
        return FeedbackTone.label_of(self.tone)
