"""The department's clock and calendar: today's date, local times, month arithmetic."""

from __future__ import annotations

import calendar
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from flask import current_app


def department_zone() -> ZoneInfo:
    """The department's time zone (CPP_TIMEZONE)."""
    return ZoneInfo(current_app.config["CPP_TIMEZONE"])


def today_local() -> date:
    """Today's date in the department's time zone."""
    return datetime.now(department_zone()).date()


def local_time(instant: datetime | None, fmt: str = "%Y-%m-%d %H:%M") -> str:
    """A UTC instant shown in the department's time zone (empty for none)."""
    if instant is None:
        return ""
    return instant.astimezone(department_zone()).strftime(fmt)


def start_of_local_day(day: date) -> datetime:
    """Midnight at the start of a local date, as an aware instant."""
    return datetime.combine(day, time.min, tzinfo=department_zone())


def add_months(start: date, months: int) -> date:
    """The same day `months` later, clamped to the month's last day (31 Aug + 6 → 28/29 Feb)."""
    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    last_day = calendar.monthrange(year, month)[1]
    return date(year, month, min(start.day, last_day))
