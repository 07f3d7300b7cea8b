"""The annual report counts community-input-based changes by the day their update was published."""

from __future__ import annotations

from datetime import UTC, date, datetime

from cpp_app.audit.services import acting_as
from cpp_app.extensions import db
from cpp_app.reports.services import annual_figures
from cpp_app.updates import additions
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


def test_community_input_based_new_problems_and_priorities_count_in_the_year_published(station):
    plan = adopted_plan(station)
    update = complete_update(plan, modify=False)
    with acting_as("test"):
        priority = additions.add_new_priority(update, additions.NewPriorityDetails(
            kind="quality_of_life", source="meeting", title="Late-night noise",
            basis="community_input_based", rationale="Raised at the spring meeting"))
        problem = additions.add_new_problem(update, additions.NewProblemDetails(
            title="Party houses on Oak Row", basis="result_based", rationale="Calls doubled",
            proposed_priority_id=priority.id))
        updates.add_change(update, updates.ChangeDetails(
            problem_id=None, proposed_problem_id=problem.id, description="Landlord meetings",
            kind="partnership", basis="result_based", rationale="Worked on Pine Row"))
        updates.submit(update, date(2027, 2, 1))
        updates.approve(update, date(2027, 2, 5))
        updates.publish(update, date(2027, 2, 6))
    update.published_at = datetime(2027, 2, 6, 18, tzinfo=UTC)
    db.session.commit()
    figures = annual_figures(2027)
    assert [item.title for item in figures["additions"]["priorities"]] == ["Late-night noise"]
    assert figures["additions"]["problems"] == []
    assert annual_figures(2026)["additions"] == {"priorities": [], "problems": []}
