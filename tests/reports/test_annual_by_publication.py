"""The annual report counts community-input-based changes by the day their update was published."""

from __future__ import annotations

from datetime import UTC, date, datetime

from cpp_app.audit.services import acting_as
from cpp_app.extensions import db
from cpp_app.reports.services import annual_figures
from cpp_app.updates import services as updates
from tests.factories.plans import adopted_plan, complete_update


def test_a_change_published_this_year_counts_this_year_though_due_last_year(station):
    plan = adopted_plan(station, adopted_on=date(2025, 6, 30))
    update = complete_update(plan)
    assert update.due_on.year == 2025
    with acting_as("test"):
        updates.submit(update, date(2026, 1, 5))
        updates.approve(update, date(2026, 1, 10))
        updates.publish(update, date(2026, 1, 15))
    update.published_at = datetime(2026, 1, 15, 18, tzinfo=UTC)
    db.session.commit()
    this_year = [change.description for change in annual_figures(2026)["changes"]]
    assert this_year == ["School-zone outreach plus evening speed watch"]
    assert annual_figures(2025)["changes"] == []
