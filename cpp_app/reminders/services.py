"""Issuing reminders exactly once, delivering them in the app and by email, and the outbox."""

from __future__ import annotations

import logging
import smtplib
import ssl
from dataclasses import dataclass
from datetime import date, timedelta
from email.message import EmailMessage

from flask import current_app
from sqlalchemy import Select, func, select, update
from sqlalchemy.exc import IntegrityError

from cpp_app.extensions import db
from cpp_app.links import absolute_link
from cpp_app.models import utcnow
from cpp_app.reminders.models import (
    EmailPreference,
    Notification,
    OutboxEmail,
    OutboxStatus,
    Reminder,
    ReminderKind,
)
from cpp_app.reminders.rules import DueReminder, due_reminders

logger = logging.getLogger(__name__)
MAX_ATTEMPTS = 6
CLAIM_SECONDS = 300
ERASED_BODY = "(erased once sent: it held a secret link)"


@dataclass
class PassReport:
    """What one reminder pass did."""

    due: int = 0
    issued: int = 0
    already_issued: int = 0
    notifications: int = 0
    emails_queued: int = 0


def run_pass(today: date, dry_run: bool = False) -> PassReport:
    """Issue every reminder due today that was not issued before.

    Each reminder is recorded under its unique dedupe key in the same transaction as its
    notifications and queued emails; a second pass, or a second process at the same time,
    finds the key taken and issues nothing.
    """
    report = PassReport()
    for due in list(due_reminders(today)):
        report.due += 1
        if dry_run:
            if _already_issued(due.dedupe_key):
                report.already_issued += 1
            else:
                report.issued += 1
            continue
        issued = _issue(due)
        if issued is None:
            report.already_issued += 1
            continue
        report.issued += 1
        report.notifications += issued[0]
        report.emails_queued += issued[1]
    db.session.rollback() if dry_run else db.session.commit()
    return report


def _already_issued(key: str) -> bool:
    return db.session.scalar(select(Reminder.id).where(Reminder.dedupe_key == key)) is not None


def _issue(due: DueReminder) -> tuple[int, int] | None:
    """Record and deliver one reminder, and commit; None when its key was already taken."""
    issued = record_once(due)
    db.session.commit()
    return issued


def record_once(due: DueReminder) -> tuple[int, int] | None:
    """Record one reminder under its dedupe key with its notifications and queued emails.

    Returns (notifications, emails), or None when the key was already taken (nothing is
    added). The caller commits, so a reminder about a change commits with the change.
    """
    try:
        with db.session.begin_nested():
            reminder = Reminder(dedupe_key=due.dedupe_key, kind=due.kind)
            db.session.add(reminder)
            db.session.flush()
    except IntegrityError:
        return None
    muted = _muted(due.kind, [user.id for user in due.recipients])
    emails = 0
    for user in due.recipients:
        db.session.add(Notification(user_id=user.id, reminder_id=reminder.id, kind=due.kind,
                                    subject=due.subject, body=due.body, link=due.link))
        if user.id not in muted:
            db.session.add(OutboxEmail(reminder_id=reminder.id, recipient=user.email,
                                       subject=due.subject, body=_email_body(due)))
            emails += 1
    return len(due.recipients), emails


def _muted(kind: str, user_ids: list[int]) -> set[int]:
    return set(db.session.scalars(select(EmailPreference.user_id).where(
        EmailPreference.kind == kind, EmailPreference.user_id.in_(user_ids),
        EmailPreference.email_enabled.is_(False))))


def _email_body(due: DueReminder) -> str:
    link = f"\n\nOpen it in CPP Manager: {absolute_link(due.link)}" if due.link else ""
    return f"{due.body}{link}\n\nYou can turn these emails off under Notifications."


# --- The outbox ----------------------------------------------------------------------------


@dataclass
class SendReport:
    """What one run of the outbox sender did."""

    sent: int = 0
    retried: int = 0
    failed: int = 0


def queue_email(recipient: str, subject: str, body: str, secret: bool = False) -> None:
    """Put one email (not a reminder) in the outbox; the caller commits.

    The body of a `secret` email (one holding a password reset link) is erased once sent.
    """
    db.session.add(OutboxEmail(recipient=recipient, subject=subject[:200], body=body,
                               erase_after_sending=secret))


def send_outbox(limit: int = 100) -> SendReport:
    """Send queued emails whose time has come; back off and retry on failure."""
    report = SendReport()
    now = utcnow()
    candidates = list(db.session.scalars(
        select(OutboxEmail.id).where(OutboxEmail.status == OutboxStatus.QUEUED,
                                     OutboxEmail.next_attempt_at <= now)
        .order_by(OutboxEmail.id).limit(limit)))
    db.session.commit()
    for email_id in candidates:
        email = _claim(email_id)
        if email is None:
            continue  # another sender took it
        try:
            deliver(email)
        except (OSError, smtplib.SMTPException) as error:
            _record_failure(email, str(error), report)
        else:
            email.status, email.sent_at, email.last_error = OutboxStatus.SENT, utcnow(), ""
            if email.erase_after_sending:
                email.body = ERASED_BODY
            report.sent += 1
        db.session.commit()
    return report


def _claim(email_id: int) -> OutboxEmail | None:
    """Take an email for sending, so a second sender at the same time leaves it alone."""
    now = utcnow()
    claimed = db.session.execute(
        update(OutboxEmail)
        .where(OutboxEmail.id == email_id, OutboxEmail.status == OutboxStatus.QUEUED,
               OutboxEmail.next_attempt_at <= now)
        .values(next_attempt_at=now + timedelta(seconds=CLAIM_SECONDS),
                attempts=OutboxEmail.attempts + 1)
        .execution_options(synchronize_session=False)).rowcount
    db.session.commit()
    return db.session.get(OutboxEmail, email_id) if claimed else None


def _record_failure(email: OutboxEmail, message: str, report: SendReport) -> None:
    email.last_error = message[:1000]
    if email.attempts >= MAX_ATTEMPTS:
        email.status = OutboxStatus.FAILED
        report.failed += 1
    else:
        email.next_attempt_at = utcnow() + timedelta(minutes=2 ** email.attempts)
        report.retried += 1


def deliver(email: OutboxEmail) -> None:
    """Send one email over SMTP, or write it to the log when no mail server is configured."""
    config = current_app.config
    if not config.get("MAIL_SERVER"):
        logger.info("Email to %s: %s\n%s", email.recipient, email.subject, email.body)
        return
    message = EmailMessage()
    message["From"] = config["MAIL_DEFAULT_SENDER"]
    message["To"] = email.recipient
    message["Subject"] = email.subject
    message.set_content(email.body)
    connection_class = smtplib.SMTP_SSL if config.get("MAIL_USE_SSL") else smtplib.SMTP
    with connection_class(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=15) as smtp:
        if config.get("MAIL_USE_TLS"):
            smtp.starttls(context=ssl.create_default_context())
        if config.get("MAIL_USERNAME"):
            smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
        smtp.send_message(message)


# --- In-app notifications and preferences --------------------------------------------------


def unread_count(user_id: int) -> int:
    """How many notifications the user has not read."""
    return db.session.scalar(select(func.count()).select_from(Notification).where(
        Notification.user_id == user_id, Notification.read_at.is_(None)))


def notification_query(user_id: int) -> Select:
    """The user's notifications, newest first."""
    return select(Notification).where(Notification.user_id == user_id) \
        .order_by(Notification.created_at.desc(), Notification.id.desc())


def mark_read(user_id: int, notification_id: int | None = None) -> int:
    """Mark one (or every) unread notification of the user as read."""
    query = update(Notification).where(Notification.user_id == user_id,
                                       Notification.read_at.is_(None))
    if notification_id is not None:
        query = query.where(Notification.id == notification_id)
    changed = db.session.execute(query.values(read_at=utcnow())
                                 .execution_options(synchronize_session=False)).rowcount
    db.session.commit()
    return changed


def email_preferences(user_id: int) -> dict[str, bool]:
    """Whether the user gets email for each kind of reminder (on unless turned off)."""
    off = set(db.session.scalars(select(EmailPreference.kind).where(
        EmailPreference.user_id == user_id, EmailPreference.email_enabled.is_(False))))
    return {kind: kind not in off for kind in ReminderKind}


def save_email_preferences(user_id: int, enabled_kinds: set[str]) -> None:
    """Turn email on for the kinds given and off for the others."""
    existing = {p.kind: p for p in db.session.scalars(
        select(EmailPreference).where(EmailPreference.user_id == user_id))}
    for kind in ReminderKind:
        preference = existing.get(kind) or EmailPreference(user_id=user_id, kind=kind)
        preference.email_enabled = kind in enabled_kinds
        db.session.add(preference)
    db.session.commit()
