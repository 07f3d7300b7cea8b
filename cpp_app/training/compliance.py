"""The eight-hour rule: who has done enough counting training in the period, computed once.

Compliance comes from one aggregate query (hours per member over the period, joined to every
active member) loaded into pandas; the dashboard's percentages, lists and exports all derive
from that frame, so the page costs the same whatever the number of members or records.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

import pandas as pd
from flask import current_app
from sqlalchemy import ColumnElement, and_, func, select

from cpp_app.charts import bar_chart
from cpp_app.clock import add_months
from cpp_app.extensions import db
from cpp_app.stations.models import Member, Station
from cpp_app.training.models import TrainingCourse, TrainingRecord

PERIODS = {
    "calendar-year": "this calendar year",
    "rolling-12-months": "the last 12 months",
    "career": "their whole career",
}
DUE_SOON_DAYS = 30
FRAME_COLUMNS = ["member_id", "shield_number", "first_name", "last_name", "station_id",
                 "station_code", "start_date", "hours_done"]


@dataclass(frozen=True)
class TrainingRule:
    """Hours required, over which period, and the grace period for new members."""

    hours: float
    period: str
    grace_days: int

    def window(self, today: date) -> tuple[date | None, date]:
        """The first and last day whose training counts (None: since the beginning)."""
        if self.period == "calendar-year":
            return date(today.year, 1, 1), date(today.year, 12, 31)
        if self.period == "rolling-12-months":
            return add_months(today, -12) + timedelta(days=1), today
        return None, today

    def describe(self, today: date) -> str:
        """The rule in plain words."""
        start, end = self.window(today)
        when = PERIODS.get(self.period, self.period)
        span = f" ({start:%d %B %Y} to {end:%d %B %Y})" if start else ""
        return (f"Every active member needs at least {self.hours:g} hours of community policing "
                f"and engagement training from counting courses in {when}{span}. Members who "
                f"started less than {self.grace_days} days ago are in their grace period and "
                "are not yet counted as short.")


def current_rule() -> TrainingRule:
    """The rule configured by CPP_TRAINING_HOURS, CPP_TRAINING_PERIOD, CPP_TRAINING_GRACE_DAYS."""
    config = current_app.config
    period = config.get("CPP_TRAINING_PERIOD", "calendar-year")
    if period not in PERIODS:
        raise RuntimeError(f"CPP_TRAINING_PERIOD must be one of {', '.join(PERIODS)}")
    return TrainingRule(float(config["CPP_TRAINING_HOURS"]), period,
                        int(config.get("CPP_TRAINING_GRACE_DAYS", 90)))


def compliance_frame(rule: TrainingRule, today: date,
                     station_id: int | None = None) -> pd.DataFrame:
    """One row per active member: hours done in the period, remaining, and status flags."""
    hours = (select(TrainingRecord.member_id,
                    func.sum(TrainingRecord.hours_credited).label("hours_done"))
             .join(TrainingCourse, TrainingCourse.id == TrainingRecord.course_id)
             .where(counting_records(rule, today)).group_by(TrainingRecord.member_id)
             .subquery())
    query = (select(Member.id, Member.shield_number, Member.first_name, Member.last_name,
                    Member.station_id, Station.code, Member.start_date,
                    func.coalesce(hours.c.hours_done, 0.0))
             .outerjoin(hours, hours.c.member_id == Member.id)
             .outerjoin(Station, Station.id == Member.station_id)
             .where(Member.active))
    if station_id is not None:
        query = query.where(Member.station_id == station_id)
    rows = db.session.connection().execute(query)
    frame = pd.DataFrame([tuple(row) for row in rows], columns=FRAME_COLUMNS)
    return _with_status(frame, rule, today)


def counting_records(rule: TrainingRule, today: date) -> ColumnElement[bool]:
    """The condition on records (joined to their course) whose hours count in the period."""
    start, end = rule.window(today)
    # A lower bound even for the career period keeps the covering index in use.
    return and_(TrainingCourse.counts_toward_requirement, TrainingRecord.completed_on <= end,
                TrainingRecord.completed_on >= (start or date.min))


def _with_status(frame: pd.DataFrame, rule: TrainingRule, today: date) -> pd.DataFrame:
    frame["hours_done"] = frame["hours_done"].astype(float).round(2)
    frame["hours_remaining"] = (rule.hours - frame["hours_done"]).clip(lower=0).round(2)
    frame["compliant"] = (frame["hours_done"] >= rule.hours).astype(bool)
    starts = pd.to_datetime(frame["start_date"], errors="coerce")
    grace_ends = (starts + pd.Timedelta(days=rule.grace_days)).dt.date
    frame["grace_ends"] = grace_ends
    frame["in_grace"] = pd.Series([bool(end and end > today) if pd.notna(end) else False
                                   for end in grace_ends], index=frame.index, dtype=bool)
    frame["short"] = ~frame["compliant"] & ~frame["in_grace"]
    frame["due_soon"] = pd.Series([
        bool(in_grace and not compliant and (end - today).days <= DUE_SOON_DAYS)
        for in_grace, compliant, end in zip(frame["in_grace"], frame["compliant"],
                                            grace_ends, strict=True)
    ], index=frame.index, dtype=bool)
    return frame


@dataclass
class StationCompliance:
    """Compliance at one station (or the department when station is None)."""

    station_id: int | None
    station_code: str
    members: int
    counted: int
    compliant: int
    in_grace: int

    @property
    def percent(self) -> float | None:
        """Compliant share of the members counted (those past their grace period)."""
        return None if not self.counted else round(100 * self.compliant / self.counted, 1)


def summary_label(station_id: int | None) -> str:
    """What the first row of the compliance table adds up: the chosen station, or the department."""
    station = db.session.get(Station, station_id) if station_id is not None else None
    return station.name if station is not None else "Department"


def summarise(frame: pd.DataFrame, label: str = "Department"
              ) -> tuple[StationCompliance, list[StationCompliance]]:
    """The frame's whole compliance (labelled `label`) and each station's."""
    def summary(part: pd.DataFrame, station_id: int | None, code: str) -> StationCompliance:
        counted = part[~part["in_grace"]]
        return StationCompliance(station_id, code, len(part), len(counted),
                                 int(counted["compliant"].sum()), int(part["in_grace"].sum()))

    department = summary(frame, None, label)
    stations = [summary(part, int(station_id), part["station_code"].iloc[0])
                for station_id, part in frame.dropna(subset=["station_id"])
                .groupby("station_id", sort=False)]
    return department, sorted(stations, key=lambda s: s.station_code or "")


SORTS = {
    "name": (["last_name", "first_name"], True),
    "hours_done": (["hours_done", "last_name"], True),
    "hours_remaining": (["hours_remaining", "last_name"], False),
    "station": (["station_code", "last_name"], True),
}


def short_members(frame: pd.DataFrame, sort: str = "hours_remaining") -> pd.DataFrame:
    """Members past their grace period who are short of the hours, sorted."""
    columns, ascending = SORTS.get(sort, SORTS["hours_remaining"])
    return frame[frame["short"]].sort_values(columns, ascending=ascending, kind="stable")


def due_soon(frame: pd.DataFrame) -> pd.DataFrame:
    """Members whose grace period ends within 30 days and who are still short."""
    return frame[frame["due_soon"]].sort_values(["grace_ends", "last_name"], kind="stable")


def member_hours(member_id: int, rule: TrainingRule, today: date) -> float:
    """Counting hours one member has in the current period."""
    query = (select(func.coalesce(func.sum(TrainingRecord.hours_credited), 0.0))
             .join(TrainingCourse, TrainingCourse.id == TrainingRecord.course_id)
             .where(TrainingRecord.member_id == member_id, counting_records(rule, today)))
    return round(float(db.session.scalar(query)), 2)


def compliance_chart(stations: Sequence[StationCompliance]) -> str:
    """Each station's share of compliant members: on the training dashboard and in its PDF."""
    counted = [s for s in stations if s.percent is not None]
    return bar_chart([s.station_code for s in counted], [s.percent for s in counted],
                     "Compliant members", "%")
