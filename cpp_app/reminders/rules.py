"""The reminder rules: what falls due on a given day, for whom, and under which dedupe key."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select

from cpp_app.auth.models import User
from cpp_app.extensions import db
from cpp_app.outreach.models import OutreachContact
from cpp_app.reminders import attention
from cpp_app.reminders.models import ReminderKind
from cpp_app.roles import Role
from cpp_app.training.compliance import current_rule

UPDATE_THRESHOLDS = (30, 14, 7, 1)
TRAINING_THRESHOLDS = (60, 30, 7)
APPROVAL_WAIT_DAYS = 7
SURVEY_CLOSING_DAYS = 3


@dataclass
class DueReminder:
    """A reminder a rule says is due today."""

    kind: str
    dedupe_key: str
    recipients: list[User]
    subject: str
    body: str
    link: str = ""


def due_reminders(today: date) -> Iterator[DueReminder]:
    """Every reminder due on `today`, from every rule."""
    people = _people()
    yield from _update_reminders(today, people)
    yield from _approval_reminders(today, people)
    yield from _training_reminders(today, people)
    yield from _follow_up_reminders(today)
    yield from _survey_reminders(today)


@dataclass
class People:
    """Who receives what: admins, coordinators, commanders by station, users by member."""

    admins: list[User]
    coordinators: list[User]
    commanders: dict[int, list[User]]
    by_member: dict[int, User]


def _people() -> People:
    users = list(db.session.scalars(select(User).where(User.active)))
    commanders: dict[int, list[User]] = {}
    for user in users:
        if user.role == Role.COMMANDER and user.station_id is not None:
            commanders.setdefault(user.station_id, []).append(user)
    return People(
        admins=[u for u in users if u.role == Role.ADMIN],
        coordinators=[u for u in users if u.role == Role.TRAINING],
        commanders=commanders,
        by_member={u.member_id: u for u in users if u.member_id is not None},
    )


def _update_reminders(today: date, people: People) -> Iterator[DueReminder]:
    for row in attention.updates_due(today):
        station, due_on = row.station, row.next_due_on
        days = (due_on - today).days
        commanders = people.commanders.get(station.id, [])
        link = f"/manage/stations/{station.id}/plan"
        if days < 0:
            week = (-days - 1) // 7
            yield DueReminder(
                ReminderKind.UPDATE_OVERDUE, f"update_overdue:{station.id}:{due_on}:week{week}",
                _unique(commanders + people.admins),
                f"{station.code}: the plan update is overdue",
                f"The semi-annual update of {station.name}'s plan was due on {due_on:%d %B %Y} "
                f"and is {-days} day{'s' if -days != 1 else ''} overdue.", link)
            continue
        crossed = [t for t in UPDATE_THRESHOLDS if days <= t]
        if crossed and commanders:
            threshold = min(crossed)
            yield DueReminder(
                ReminderKind.UPDATE_DUE, f"update_due:{station.id}:{due_on}:{threshold}",
                commanders,
                f"{station.code}: the plan update is due in {days} day{'s' if days != 1 else ''}",
                f"The semi-annual update of {station.name}'s plan is due on {due_on:%d %B %Y}.",
                link)


def _approval_reminders(today: date, people: People) -> Iterator[DueReminder]:
    waiting = db.session.scalars(attention.updates_awaiting_approval(
        submitted_by=today - timedelta(days=APPROVAL_WAIT_DAYS)))
    for update in waiting:
        submitted = update.submitted_at
        yield DueReminder(
            ReminderKind.APPROVAL_WAITING, f"approval_waiting:{update.id}:{submitted:%Y%m%d%H%M%S}",
            people.admins, f"{update.station.code}: an update waits for approval",
            f"{update.station.name}'s update due {update.due_on:%d %B %Y} was submitted on "
            f"{submitted:%d %B %Y} and still waits for approval.", f"/updates/{update.id}")


def _training_reminders(today: date, people: People) -> Iterator[DueReminder]:
    rule = current_rule()
    start, end = rule.window(today)
    if start is None or rule.period != "calendar-year":
        return  # only a fixed period has an end to count down to
    days = (end - today).days
    crossed = [t for t in TRAINING_THRESHOLDS if 0 <= days <= t]
    if not crossed:
        return
    threshold = min(crossed)
    short = attention.members_short_of_training(today)
    for row in short.itertuples():
        user = people.by_member.get(row.member_id)
        if user is None:
            continue
        yield DueReminder(
            ReminderKind.TRAINING_SHORT, f"training_short:{row.member_id}:{end}:{threshold}",
            [user],
            f"{row.hours_remaining:g} training hours to go by {end:%d %B}",
            f"You have {row.hours_done:g} of the {rule.hours:g} required hours of community "
            f"policing training this year; the year ends in {days} days.",
            f"/training/members/{row.member_id}")
    if len(short) and people.coordinators:
        names = ", ".join(f"{r.last_name} (#{r.shield_number})" for r in short.head(50)
                          .itertuples())
        yield DueReminder(
            ReminderKind.TRAINING_DIGEST, f"training_digest:{end}:{threshold}", people.coordinators,
            f"{len(short)} members are short of training hours",
            f"{days} days before the period ends, {len(short)} members are short: {names}"
            + ("…" if len(short) > 50 else "."), "/training")


def _follow_up_reminders(today: date) -> Iterator[DueReminder]:
    due = db.session.scalars(attention.follow_ups_due(today).where(
        OutreachContact.logged_by_id.is_not(None)))
    for contact in due:
        if not contact.logged_by.active:
            continue
        yield DueReminder(
            ReminderKind.FOLLOW_UP_DUE, f"follow_up:{contact.id}:{contact.follow_up_on}",
            [contact.logged_by], f"Follow up with {contact.stakeholder.name}",
            f"You planned to follow up with {contact.stakeholder.name} by "
            f"{contact.follow_up_on:%d %B %Y} ({contact.purpose[:120]}).",
            f"/stakeholders/{contact.stakeholder_id}")


def _survey_reminders(today: date) -> Iterator[DueReminder]:
    closing = db.session.scalars(attention.surveys_closing(today, SURVEY_CLOSING_DAYS))
    for survey in closing:
        if survey.owner is None or not survey.owner.active:
            continue
        yield DueReminder(
            ReminderKind.SURVEY_CLOSING, f"survey_closing:{survey.id}:{survey.closes_on}",
            [survey.owner],
            f"Your survey closes on {survey.closes_on:%d %B}",
            f"“{survey.display_title}” closes on {survey.closes_on:%d %B %Y}.",
            f"/surveys/{survey.id}")


def _unique(users: list[User]) -> list[User]:
    seen, result = set(), []
    for user in users:
        if user.id not in seen:
            seen.add(user.id)
            result.append(user)
    return result
