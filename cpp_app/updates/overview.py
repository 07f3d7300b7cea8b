"""Where each station stands with its plan and updates.

The next due date, the department overview (overdue first), and the update panel of a station's
plan page.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select

from cpp_app.clock import department_zone
from cpp_app.extensions import db
from cpp_app.plans.models import Plan, PlanStatus
from cpp_app.plans.schedule import next_due_date
from cpp_app.plans.services import active_plan, interval_months
from cpp_app.stations.models import Station
from cpp_app.updates.models import (
    COMPLETED_UPDATE_STATUSES,
    OPEN_UPDATE_STATUSES,
    PlanUpdate,
    UpdateStatus,
)


def station_updates(station_id: int) -> list[PlanUpdate]:
    """Every update of a station, newest due date first."""
    return list(db.session.scalars(
        select(PlanUpdate).where(PlanUpdate.station_id == station_id)
        .order_by(PlanUpdate.due_on.desc())
    ))


def open_update(station_id: int) -> PlanUpdate | None:
    """The station's update in progress (draft, submitted or returned), if any."""
    return db.session.scalar(
        select(PlanUpdate).where(PlanUpdate.station_id == station_id,
                                 PlanUpdate.status.in_(OPEN_UPDATE_STATUSES))
    )


@dataclass
class UpdatePanel:
    """What a station's plan page shows of its updates.

    When the next is due, the one in progress, and every update so far.
    """

    next_due: date | None
    in_progress: PlanUpdate | None
    updates: list[PlanUpdate]


def update_panel(station_id: int) -> UpdatePanel:
    """The station's update schedule and history, for its plan and station pages."""
    history = station_updates(station_id)
    in_progress = next((u for u in history if u.status in OPEN_UPDATE_STATUSES), None)
    return UpdatePanel(next_update_due(station_id), in_progress, history)


def next_update_due(station_id: int) -> date | None:
    """When the station's next update is due, or None before a plan is adopted."""
    plan = active_plan(station_id)
    if plan is None or plan.schedule_start_on is None:
        return None
    completed = set(db.session.scalars(
        select(PlanUpdate.due_on).where(PlanUpdate.station_id == station_id,
                                        PlanUpdate.status.in_(COMPLETED_UPDATE_STATUSES))
    ))
    return next_due_date(plan.schedule_start_on, completed, interval_months())




@dataclass
class StationStatus:
    """One row of the department overview.

    `last_update_on` is the due date of the last completed update; `last_published_on` the
    day (in the department's zone) the last update was published.
    """

    station: Station
    plan: Plan | None
    has_draft: bool
    last_update_on: date | None
    next_due_on: date | None
    open_update_status: str | None
    last_published_on: date | None = None

    @property
    def open_update_status_label(self) -> str | None:
        """The open update's status as people read it, or None when there is none."""
        return UpdateStatus.label_of(self.open_update_status) if self.open_update_status else None

    def days_left(self, today: date) -> int | None:
        """Days until the next update is due (negative when overdue)."""
        return None if self.next_due_on is None else (self.next_due_on - today).days

    def is_overdue(self, today: date) -> bool:
        """Whether the next update's due date has passed."""
        return self.next_due_on is not None and self.next_due_on < today


def station_statuses(station_ids: list[int] | None = None) -> list[StationStatus]:
    """Plan and update status for stations, in four queries whatever the number of stations."""
    station_query = select(Station).order_by(Station.code)
    if station_ids is not None:
        station_query = station_query.where(Station.id.in_(station_ids))
    stations = list(db.session.scalars(station_query))
    ids = [station.id for station in stations]
    active = {plan.station_id: plan for plan in db.session.scalars(
        select(Plan).where(Plan.status == PlanStatus.ACTIVE, Plan.station_id.in_(ids)))}
    drafts = set(db.session.scalars(
        select(Plan.station_id).where(Plan.status == PlanStatus.DRAFT,
                                      Plan.station_id.in_(ids))))
    completed: dict[int, set[date]] = {}
    last_update: dict[int, date] = {}
    open_status: dict[int, str] = {}
    published: dict[int, datetime] = {}
    for station_id, due_on, status, published_at in db.session.execute(
        select(PlanUpdate.station_id, PlanUpdate.due_on, PlanUpdate.status,
               PlanUpdate.published_at)
        .where(PlanUpdate.station_id.in_(ids))
    ):
        if published_at is not None:
            published[station_id] = max(published.get(station_id, published_at), published_at)
        if status in COMPLETED_UPDATE_STATUSES:
            completed.setdefault(station_id, set()).add(due_on)
            last_update[station_id] = max(last_update.get(station_id, due_on), due_on)
        else:
            open_status[station_id] = status
    months = interval_months()
    rows = []
    for station in stations:
        plan = active.get(station.id)
        next_due = None
        if plan is not None and plan.schedule_start_on is not None:
            next_due = next_due_date(plan.schedule_start_on, completed.get(station.id, set()),
                                     months)
        rows.append(StationStatus(station, plan, station.id in drafts,
                                  last_update.get(station.id), next_due,
                                  open_status.get(station.id),
                                  _local_day(published.get(station.id))))
    return rows


def _local_day(instant: datetime | None) -> date | None:
    return None if instant is None else instant.astimezone(department_zone()).date()


def overview_order(rows: list[StationStatus], today: date) -> list[StationStatus]:
    """Overdue stations first (most overdue first), then by next due date, then no plan."""
    def key(row: StationStatus) -> tuple[int, date, str]:
        if row.next_due_on is None:
            return (2, date.max, row.station.code)
        return (0 if row.is_overdue(today) else 1, row.next_due_on, row.station.code)

    return sorted(rows, key=key)
