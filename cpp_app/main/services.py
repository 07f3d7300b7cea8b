"""The home page: headline counts, and what needs this user's attention now."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask import url_for
from sqlalchemy import case, func, select

from cpp_app.auth.models import User
from cpp_app.extensions import db
from cpp_app.permissions import Action, can, station_scope
from cpp_app.reminders import attention
from cpp_app.reminders.services import unread_count
from cpp_app.roles import Role
from cpp_app.stations.models import EmploymentType, Member, Station
from cpp_app.updates.overview import StationStatus

#: Updates due within this many days (or overdue) show on the home page.
UPDATE_NOTICE_DAYS = 30
#: Roles that watch the training hours from the home page.
TRAINING_WATCHERS = frozenset({Role.ADMIN, Role.TRAINING, Role.COMMANDER})


@dataclass(frozen=True)
class DepartmentSummary:
    """Headline counts for the home page."""

    stations: int
    active_members: int
    patrol_members: int
    sworn_members: int
    stations_without_commander: int
    active_users: int


def department_summary(user: User) -> DepartmentSummary:
    """Counts over the user's reach (their station for commanders and staff), in three queries."""
    scope = station_scope(user)
    member_counts = select(
        func.count(),
        func.coalesce(func.sum(case((Member.assigned_to_patrol, 1), else_=0)), 0),
        func.coalesce(func.sum(case((Member.employment_type == EmploymentType.SWORN, 1),
                                    else_=0)), 0),
    ).where(Member.active)
    station_counts = select(
        func.count(),
        func.coalesce(func.sum(case((Station.commander_member_id.is_(None), 1), else_=0)), 0),
    )
    if scope is not None:
        member_counts = member_counts.where(Member.station_id == scope)
        station_counts = station_counts.where(Station.id == scope)
    active, patrol, sworn = db.session.execute(member_counts).one()
    stations, without_commander = db.session.execute(station_counts).one()
    users = db.session.scalar(select(func.count()).select_from(User).where(User.active))
    return DepartmentSummary(
        stations=stations,
        active_members=active,
        patrol_members=patrol,
        sworn_members=sworn,
        stations_without_commander=without_commander,
        active_users=users,
    )


@dataclass
class AttentionItem:
    """One thing to look at, with where to go."""

    text: str
    link: str
    urgent: bool = False


def attention_items(user: User, today: date) -> list[AttentionItem]:
    """What needs the user's attention now, within their reach.

    That is updates due or overdue, approvals waiting, members short of hours, follow-ups due
    and unread notifications.
    """
    scope = station_scope(user)
    items: list[AttentionItem] = []
    if can(user, Action.WRITE_UPDATES) or can(user, Action.REVIEW_UPDATES):
        items += [_update_item(row, today) for row in attention.updates_due(
            today, None if scope is None else [scope], within_days=UPDATE_NOTICE_DAYS)]
    if can(user, Action.REVIEW_UPDATES):
        waiting = attention.count_of(attention.updates_awaiting_approval())
        if waiting:
            items.append(AttentionItem(f"{waiting} update(s) waiting for your approval",
                                       url_for("updates.department_overview"), True))
    if can(user, Action.VIEW_TRAINING) and user.role in TRAINING_WATCHERS:
        short = len(attention.members_short_of_training(today, scope))
        if short:
            items.append(AttentionItem(f"{short} member(s) short of training hours",
                                       url_for("training.dashboard")))
    follow_ups = attention.count_of(attention.follow_ups_due(
        today, station_id=scope, logged_by_id=user.id if scope is None else None))
    if follow_ups:
        items.append(AttentionItem(f"{follow_ups} outreach follow-up(s) due",
                                   url_for("outreach.outreach_list")))
    unread = unread_count(user.id)
    if unread:
        items.append(AttentionItem(f"{unread} unread notification(s)",
                                   url_for("notifications.notification_list")))
    return items


def _update_item(row: StationStatus, today: date) -> AttentionItem:
    days = row.days_left(today)
    text = (f"{row.station.code}: plan update overdue by {-days} days" if days < 0
            else f"{row.station.code}: plan update due in {days} days")
    return AttentionItem(text, url_for("plans.station_plan", station_id=row.station.id),
                         days < 0)
