"""What needs attention on a day: updates, training, outreach follow-ups and closing surveys.

That is plan updates falling due or overdue, updates waiting for approval, members short of
training hours, outreach follow-ups due and surveys about to close.

The home page and the reminder rules both start from these facts, so what a user is shown
and what they are reminded of cannot drift apart.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pandas as pd
from sqlalchemy import Select, func, select
from sqlalchemy.orm import selectinload

from cpp_app.extensions import db
from cpp_app.outreach.models import OutreachContact
from cpp_app.surveys.models import Survey, SurveyStatus
from cpp_app.training.compliance import compliance_frame, current_rule
from cpp_app.updates.models import PlanUpdate, UpdateStatus
from cpp_app.updates.overview import StationStatus, overview_order, station_statuses


def updates_due(today: date, station_ids: list[int] | None = None,
                within_days: int | None = None) -> list[StationStatus]:
    """Stations with a next update due, overdue first.

    With `within_days`, only those due within that many days (overdue ones included).
    """
    rows = overview_order(station_statuses(station_ids), today)
    return [row for row in rows if row.next_due_on is not None
            and (within_days is None or row.days_left(today) <= within_days)]


def updates_awaiting_approval(submitted_by: date | None = None) -> Select:
    """Submitted updates waiting for approval, with their stations.

    With `submitted_by`, only those submitted on or before that day (UTC).
    """
    query = (select(PlanUpdate).options(selectinload(PlanUpdate.station))
             .where(PlanUpdate.status == UpdateStatus.SUBMITTED).order_by(PlanUpdate.submitted_at))
    if submitted_by is not None:
        latest = datetime.combine(submitted_by, time.max, tzinfo=UTC)
        query = query.where(PlanUpdate.submitted_at <= latest)
    return query


def members_short_of_training(today: date, station_id: int | None = None) -> pd.DataFrame:
    """The members short of the training hours in the period of the rule in force."""
    frame = compliance_frame(current_rule(), today, station_id)
    return frame[frame["short"]]


def follow_ups_due(today: date, station_id: int | None = None,
                   logged_by_id: int | None = None) -> Select:
    """Outreach follow-ups due by today and not done, of a station or of who logged them.

    Their stakeholders and loggers are loaded with them.
    """
    query = (select(OutreachContact)
             .options(selectinload(OutreachContact.stakeholder),
                      selectinload(OutreachContact.logged_by))
             .where(OutreachContact.follow_up_on <= today,
                    OutreachContact.follow_up_done.is_(False)))
    if station_id is not None:
        query = query.where(OutreachContact.station_id == station_id)
    if logged_by_id is not None:
        query = query.where(OutreachContact.logged_by_id == logged_by_id)
    return query


def surveys_closing(today: date, within_days: int) -> Select:
    """Open surveys that close between today and `within_days` from now, with their owners."""
    return (select(Survey).options(selectinload(Survey.owner))
            .where(Survey.status == SurveyStatus.OPEN, Survey.closes_on.is_not(None),
                   Survey.closes_on >= today,
                   Survey.closes_on <= today + timedelta(days=within_days)))


def count_of(query: Select) -> int:
    """How many rows a query gives, counted in the database."""
    return db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
