"""What needs the user's attention now, for the home page."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select

from cpp_app.extensions import db
from cpp_app.outreach.models import OutreachContact
from cpp_app.permissions import Action, can, station_scope
from cpp_app.reminders.services import unread_count
from cpp_app.roles import Role
from cpp_app.training.compliance import compliance_frame, current_rule
from cpp_app.updates.models import PlanUpdate, UpdateStatus
from cpp_app.updates.overview import overview_order, station_statuses

#: Who is told how many members are short of training hours.
TRAINING_SHORTFALL_ROLES = frozenset({Role.ADMIN, Role.TRAINING, Role.COMMANDER})


@dataclass
class AttentionItem:
    """One thing to look at, with where to go."""

    text: str
    link: str
    urgent: bool = False


def attention_items(user, today: date) -> list[AttentionItem]:
    """Updates due or overdue, approvals waiting, members short of hours, follow-ups due."""
    items: list[AttentionItem] = []
    scope = station_scope(user)
    if can(user, Action.WRITE_UPDATES) or can(user, Action.REVIEW_UPDATES):
        rows = station_statuses(None if scope is None else [scope])
        for row in overview_order(rows, today):
            days = row.days_left(today)
            if days is None or days > 30:
                continue
            text = (f"{row.station.code}: plan update overdue by {-days} days" if days < 0
                    else f"{row.station.code}: plan update due in {days} days")
            items.append(AttentionItem(text, f"/manage/stations/{row.station.id}/plan",
                                       days < 0))
    if can(user, Action.REVIEW_UPDATES):
        waiting = db.session.scalar(select(func.count()).select_from(PlanUpdate)
                                    .where(PlanUpdate.status == UpdateStatus.SUBMITTED))
        if waiting:
            items.append(AttentionItem(f"{waiting} update(s) waiting for your approval",
                                       "/plans", True))
    if can(user, Action.VIEW_TRAINING) and user.role in TRAINING_SHORTFALL_ROLES:
        frame = compliance_frame(current_rule(), today, scope)
        short = int(frame["short"].sum())
        if short:
            items.append(AttentionItem(f"{short} member(s) short of training hours",
                                       "/training"))
    follow_ups = select(func.count()).select_from(OutreachContact).where(
        OutreachContact.follow_up_on <= today, OutreachContact.follow_up_done.is_(False))
    follow_ups = follow_ups.where(OutreachContact.station_id == scope) if scope is not None \
        else follow_ups.where(OutreachContact.logged_by_id == user.id)
    due = db.session.scalar(follow_ups)
    if due:
        items.append(AttentionItem(f"{due} outreach follow-up(s) due", "/outreach/log"))
    unread = unread_count(user.id)
    if unread:
        items.append(AttentionItem(f"{unread} unread notification(s)", "/notifications"))
    return items
