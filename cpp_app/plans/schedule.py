"""Semi-annual update due dates, with month-end arithmetic."""

from __future__ import annotations

from datetime import date

from cpp_app.clock import add_months


def due_date(schedule_start: date, number: int, interval_months: int) -> date:
    """The `number`-th update's due date (1 = the first), always counted from the start.

    Counting from the start rather than from the previous due date keeps the day of month
    from drifting (31 Aug → 28 Feb → 31 Aug, not 28 Aug).
    """
    return add_months(schedule_start, number * interval_months)


def next_due_date(
    schedule_start: date, completed_due_dates: set[date], interval_months: int
) -> date:
    """The earliest due date whose update is not yet approved or published."""
    number = 1
    while due_date(schedule_start, number, interval_months) in completed_due_dates:
        number += 1
    return due_date(schedule_start, number, interval_months)


def period_for(schedule_start: date, due_on: date, interval_months: int) -> tuple[date, date]:
    """The period an update covers: from the previous due date (or adoption) to its due date."""
    number = 1
    while due_date(schedule_start, number, interval_months) < due_on:
        number += 1
    start = schedule_start if number == 1 else due_date(schedule_start, number - 1,
                                                        interval_months)
    return start, due_on
