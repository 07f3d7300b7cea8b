"""Telling people at once when an update is submitted, returned, approved or published.

Each step of the workflow issues one reminder (an in-app notification and, unless the user
turned that kind off, an email through the outbox) under a dedupe key, in the same transaction
as the step itself: the step and its notifications commit together or not at all, and no step
notifies twice.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from sqlalchemy import select

from cpp_app.auth.models import User
from cpp_app.errors import ServiceError
from cpp_app.extensions import db
from cpp_app.reminders.models import ReminderKind
from cpp_app.reminders.rules import DueReminder
from cpp_app.reminders.services import record_once
from cpp_app.roles import Role
from cpp_app.updates.models import PlanUpdate

T = TypeVar("T")

#: The kind of reminder each workflow step issues.
KINDS = {
    "submit": ReminderKind.UPDATE_SUBMITTED,
    "return": ReminderKind.UPDATE_RETURNED,
    "approve": ReminderKind.UPDATE_APPROVED,
    "publish": ReminderKind.UPDATE_PUBLISHED,
}
#: Steps that happen once in an update's life: a second one is refused.
ONCE_ONLY = frozenset({"approve", "publish"})


def update_link(update: PlanUpdate) -> str:
    """Where the notification takes its reader: the update's page."""
    return f"/updates/{update.id}"


def dedupe_key(update: PlanUpdate, action: str) -> str:
    """The key that makes a step notify once.

    Approval and publication happen once per update; a submission (and the return that
    answers it) is told apart from an earlier one by when it was submitted.
    """
    if action in ONCE_ONLY:
        return f"{KINDS[action]}:{update.id}"
    submitted = update.submitted_at.strftime("%Y%m%dT%H%M%S%f") if update.submitted_at else ""
    return f"{KINDS[action]}:{update.id}:{submitted}"


def recipients(update: PlanUpdate, action: str) -> list[User]:
    """Who hears of the step: administrators of a submission; the station of the rest.

    The station's commanders hear of a return, an approval and a publication; its staff
    of a publication too.
    """
    query = select(User).where(User.active).order_by(User.id)
    if action == "submit":
        return list(db.session.scalars(query.where(User.role == Role.ADMIN)))
    roles = [Role.COMMANDER, Role.STAFF] if action == "publish" else [Role.COMMANDER]
    return list(db.session.scalars(
        query.where(User.role.in_(roles), User.station_id == update.station_id)))


def message(update: PlanUpdate, action: str) -> tuple[str, str]:
    """The subject and body of the notification for a step."""
    station = update.station.name if update.station else "A station"
    period = f"{update.period_start:%d %B %Y} to {update.period_end:%d %B %Y}"
    texts = {
        "submit": (f"{station}: update submitted for approval",
                   f"The semi-annual update for {period} was submitted and waits for "
                   "your review."),
        "return": (f"{station}: update returned for changes",
                   f"The semi-annual update for {period} was returned with these comments:"
                   f"\n\n{update.review_comments}"),
        "approve": (f"{station}: update approved",
                    f"The semi-annual update for {period} was approved; the plan's new "
                    "version is in force. It becomes public once it is published."),
        "publish": (f"{station}: update published",
                    f"The semi-annual update for {period} is now on the station's public "
                    "page."),
    }
    return texts[action]


def notify_transition(update: PlanUpdate, action: str) -> None:
    """Record the step's notifications and emails (the caller commits with the step).

    A step that happens once and finds its key taken was already made (by a second tab or
    a second request at the same moment), so it is refused and nothing is changed.
    """
    subject, body = message(update, action)
    issued = record_once(DueReminder(KINDS[action], dedupe_key(update, action),
                                     recipients(update, action), subject, body,
                                     update_link(update)))
    if issued is None and action in ONCE_ONLY:
        raise ServiceError(f"This update was already {_PAST[action]}.")


_PAST = {"approve": "approved", "publish": "published"}


def locked(update: PlanUpdate, step: Callable[[], T]) -> Callable[[], T]:
    """The step, run once the update's row is locked and its status read again.

    Two requests making the same step at the same moment then take turns, and the second
    finds the step made and is refused (SQLite writers already take turns).
    """
    def run() -> T:
        db.session.execute(select(PlanUpdate.id).where(PlanUpdate.id == update.id)
                           .with_for_update())
        db.session.refresh(update, attribute_names=["status", "submitted_at"])
        return step()
    return run
