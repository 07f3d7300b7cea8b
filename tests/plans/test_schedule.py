"""Update due dates: every six months from adoption, with month-end arithmetic."""

from __future__ import annotations

from datetime import date

import pytest

from cpp_app.clock import add_months
from cpp_app.plans.schedule import due_date, next_due_date, period_for


@pytest.mark.parametrize(("start", "months", "expected"), [
    (date(2026, 8, 31), 6, date(2027, 2, 28)),
    (date(2027, 8, 31), 6, date(2028, 2, 29)),
    (date(2026, 1, 15), 6, date(2026, 7, 15)),
    (date(2026, 12, 31), 2, date(2027, 2, 28)),
    (date(2026, 3, 31), 1, date(2026, 4, 30)),
    (date(2026, 5, 1), 12, date(2027, 5, 1)),
])
def test_add_months_clamps_to_month_end(start, months, expected):
    assert add_months(start, months) == expected


def test_due_dates_count_from_adoption_so_the_day_does_not_drift():
    adopted = date(2026, 8, 31)
    assert [due_date(adopted, n, 6) for n in (1, 2, 3, 4)] == [
        date(2027, 2, 28), date(2027, 8, 31), date(2028, 2, 29), date(2028, 8, 31),
    ]


def test_next_due_skips_completed_updates():
    adopted = date(2026, 8, 31)
    assert next_due_date(adopted, set(), 6) == date(2027, 2, 28)
    assert next_due_date(adopted, {date(2027, 2, 28)}, 6) == date(2027, 8, 31)


def test_period_runs_from_previous_due_date():
    adopted = date(2026, 8, 31)
    assert period_for(adopted, date(2027, 2, 28), 6) == (adopted, date(2027, 2, 28))
    assert period_for(adopted, date(2027, 8, 31), 6) == (date(2027, 2, 28), date(2027, 8, 31))
