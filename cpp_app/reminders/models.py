"""Reminders sent once each, in-app notifications, the email outbox and email preferences."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cpp_app.auth.models import User
from cpp_app.enums import LabelledEnum
from cpp_app.extensions import db
from cpp_app.models import IdMixin, UTCDateTime, utcnow


class ReminderKind(LabelledEnum):
    """What a reminder is about; each user chooses per kind whether it also comes by email."""

    UPDATE_DUE = "update_due", "A plan update falls due"
    UPDATE_OVERDUE = "update_overdue", "A plan update is overdue"
    APPROVAL_WAITING = "approval_waiting", "An update waits for approval"
    TRAINING_SHORT = "training_short", "Training hours are short"
    TRAINING_DIGEST = "training_digest", "Digest of members short of training"
    FOLLOW_UP_DUE = "follow_up_due", "An outreach follow-up is due"
    SURVEY_CLOSING = "survey_closing", "A survey closes soon"
    UPDATE_SUBMITTED = "update_submitted", "An update is submitted for approval"
    UPDATE_RETURNED = "update_returned", "An update is returned for changes"
    UPDATE_APPROVED = "update_approved", "An update is approved"
    UPDATE_PUBLISHED = "update_published", "An update is published"


class OutboxStatus(LabelledEnum):
    """Where an email in the outbox stands."""

    QUEUED = "queued", "Queued"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed"


class Reminder(IdMixin, db.Model):
    """A reminder that was issued; its dedupe key makes sure it is issued only once."""

    __tablename__ = "reminders"

    dedupe_key: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[str] = mapped_column(String(30), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Notification(IdMixin, db.Model):
    """An in-app message to one user."""

    __tablename__ = "notifications"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    reminder_id: Mapped[int | None] = mapped_column(
        ForeignKey("reminders.id", ondelete="SET NULL"))
    kind: Mapped[str] = mapped_column(String(30))
    subject: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text, default="")
    link: Mapped[str] = mapped_column(String(255), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    user: Mapped[User] = relationship()

    @property
    def kind_label(self) -> str:
        """The kind of reminder as shown to people."""
        return ReminderKind.label_of(self.kind)


class OutboxEmail(IdMixin, db.Model):
    """An email waiting to go out, sent, or failed after its retries."""

    __tablename__ = "outbox_emails"

    reminder_id: Mapped[int | None] = mapped_column(
        ForeignKey("reminders.id", ondelete="SET NULL"))
    recipient: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(10), default=OutboxStatus.QUEUED, index=True)
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    last_error: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    #: The body holds a secret (a password reset link): it is erased once the email is sent.
    erase_after_sending: Mapped[bool] = mapped_column(default=False, server_default=false())

    __table_args__ = (UniqueConstraint("reminder_id", "recipient"),)


class EmailPreference(IdMixin, db.Model):
    """A user's choice to receive no email for one kind of reminder."""

    __tablename__ = "email_preferences"
    __table_args__ = (UniqueConstraint("user_id", "kind"),)

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(30))
    email_enabled: Mapped[bool] = mapped_column(default=False)
