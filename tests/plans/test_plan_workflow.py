"""Plans and updates through the services: drafting, adoption, the update workflow, versions."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from cpp_app.audit.models import AuditEvent
from cpp_app.audit.services import acting_as
from cpp_app.extensions import db
from cpp_app.plans import services
from cpp_app.plans.models import Plan
from cpp_app.updates import services as updates
from cpp_app.updates.overview import next_update_due, overview_order, station_statuses
from tests import factories
from tests.factories.plans import adopted_plan, complete_update


def test_a_draft_cannot_be_adopted_until_every_problem_has_a_response(station):
    with acting_as("test"):
        plan = services.start_plan(station)
        with pytest.raises(services.PlanError, match="at least one priority"):
            services.adopt_plan(plan, date(2026, 8, 31))
        priority = services.save_priority(plan, services.PriorityDetails(
            kind="public_safety", source="staff", title="Break-ins"))
        answered, unanswered = (services.save_problem(plan, services.ProblemDetails(
            title=title, priority_id=priority.id)) for title in ("Car break-ins", "Burglaries"))
        services.save_response(plan, services.ResponseDetails(
            problem_id=answered.id, description="Lighting audit", kind="prevention"))
        with pytest.raises(services.PlanError, match="plan a response to Burglaries"):
            services.adopt_plan(plan, date(2026, 8, 31))
        assert plan.status == "draft"
        services.save_response(plan, services.ResponseDetails(
            problem_id=unanswered.id, description="Block watch", kind="partnership"))
        services.adopt_plan(plan, date(2026, 8, 31))
    assert plan.status == "active"


def test_adoption_makes_the_plan_active_and_starts_the_schedule(station):
    plan = adopted_plan(station)
    assert plan.status == "active"
    assert plan.schedule_start_on == date(2026, 8, 31)
    assert next_update_due(station.id) == date(2027, 2, 28)
    with pytest.raises(services.PlanError, match="only through a semi-annual update"):
        services.save_priority(plan, services.PriorityDetails(
            kind="public_safety", source="staff", title="Late change"))


def test_only_one_plan_per_station_can_be_started(station):
    adopted_plan(station)
    with pytest.raises(services.PlanError, match="already has an adopted plan"):
        services.start_plan(station)


def test_prevention_share_counts_prevention_and_partnership(station):
    plan = adopted_plan(station, responses=4)
    assert plan.prevention_share == 0.5


def test_update_lists_exactly_what_is_missing(station):
    plan = adopted_plan(station, responses=2)
    with acting_as("test"):
        update = updates.start_update(station.id)
    missing = updates.missing_elements(update)
    assert len(missing) == 6
    assert missing[0].startswith("Element 1: summarise")
    assert sum(item.startswith("Element 2: assess") for item in missing) == 2
    assert missing[-1].startswith("Element 4")
    with pytest.raises(updates.UpdateError, match="not complete"):
        updates.submit(update)
    assert plan.status == "active"


def test_modify_decision_requires_the_modified_response(station):
    plan = adopted_plan(station)
    with acting_as("test"):
        update = updates.start_update(station.id)
        updates.save_assessment(update, plan.responses[0].id, "not_effective", "No change",
                                "modify")
    assert any(item.startswith("Element 3: describe the modified response")
               for item in updates.missing_elements(update))


def test_change_needs_a_basis_and_rationale(station):
    plan = adopted_plan(station)
    with acting_as("test"):
        update = updates.start_update(station.id)
        with pytest.raises(updates.UpdateError, match="result-based or community-input-based"):
            updates.add_change(update, updates.ChangeDetails(
                problem_id=plan.problems[0].id, description="Something", kind="prevention",
                basis="", rationale="Because"))


def test_full_workflow_creates_a_new_version_and_records_sharing(station):
    plan = adopted_plan(station, responses=2)
    update = complete_update(plan)
    with acting_as("commander"):
        updates.submit(update)
    with pytest.raises(updates.UpdateError, match="cannot be published"):
        updates.publish(update, date(2027, 3, 1))
    with acting_as("admin"):
        updates.return_with_comments(update, "Add the radar data")
    assert update.status == "returned"
    assert update.is_editable
    with acting_as("commander"):
        updates.submit(update)
    with acting_as("admin"):
        updates.approve(update, date(2027, 3, 1))
        updates.publish(update, date(2027, 3, 2))
    new_plan = db.session.get(Plan, update.resulting_plan_id)
    assert (plan.status, new_plan.status, new_plan.version) == ("superseded", "active", 2)
    descriptions = sorted(r.description for r in new_plan.responses)
    assert descriptions == ["Radar feedback signs", "Response 1: school-zone outreach",
                            "School-zone outreach plus evening speed watch"]
    assert [s.channel for s in update.sharing] == ["meeting", "public_page"]
    assert next_update_due(station.id) == date(2027, 8, 31)
    actions = set(db.session.scalars(select(AuditEvent.action)))
    assert {"update.submit", "update.return", "update.approve", "update.publish",
            "plan.new_version"} <= actions


def test_dropped_responses_leave_the_new_version(station):
    plan = adopted_plan(station, responses=2)
    with acting_as("test"):
        update = updates.start_update(station.id)
        updates.save_feedback_summary(update, "Fine")
        updates.add_feedback_source(update, "meeting", "Town hall", None)
        updates.save_assessment(update, plan.responses[0].id, "effective", "Done", "keep")
        updates.save_assessment(update, plan.responses[1].id, "not_effective", "No", "drop")
        updates.save_implementation_decision(update, True, "Drop what does not work")
        updates.add_sharing(update, "newsletter", date(2027, 2, 1))
        updates.submit(update)
        updates.approve(update, date(2027, 3, 1))
    new_plan = db.session.get(Plan, update.resulting_plan_id)
    comparison = services.compare_versions(plan, new_plan)
    assert [c.change for c in comparison.responses] == ["dropped"]
    assert comparison.priorities == []
    assert comparison.problems == []


def test_version_comparison_reports_added_and_changed(station):
    plan = adopted_plan(station, responses=2)
    update = complete_update(plan)
    with acting_as("test"):
        updates.submit(update)
        updates.approve(update, date(2027, 3, 1))
    comparison = services.compare_versions(plan, db.session.get(Plan, update.resulting_plan_id))
    changes = {(c.change, c.label) for c in comparison.responses}
    assert ("added", "Radar feedback signs") in changes
    changed = [c for c in comparison.responses if c.change == "changed"]
    assert len(changed) == 1
    assert set(changed[0].fields) == {"description", "kind"}


def test_overview_lists_overdue_first(station):
    late = factories.make_station("LATE", "Late Station")
    adopted_plan(station, adopted_on=date(2026, 10, 1))
    adopted_plan(late, adopted_on=date(2025, 1, 31))
    factories.make_station("NONE", "No Plan Yet")
    today = date(2026, 11, 22)
    rows = overview_order(station_statuses(), today)
    assert [row.station.code for row in rows] == ["LATE", "CEN", "NONE"]
    assert rows[0].next_due_on == date(2025, 7, 31)
    assert rows[0].is_overdue(today)
    assert rows[1].days_left(today) == (date(2027, 4, 1) - today).days
    count = db.session.scalar(select(func.count()).select_from(Plan))
    assert count == 2


@pytest.mark.parametrize(("status", "refused"), [
    ("draft", ["return", "approve", "publish"]),
    ("returned", ["return", "approve", "publish"]),
    ("submitted", ["submit", "publish"]),
    ("approved", ["submit", "return", "approve"]),
    ("published", ["submit", "return", "approve", "publish"]),
])
def test_every_transition_not_in_the_workflow_is_refused(station, status, refused):
    plan = adopted_plan(station)
    update = complete_update(plan)
    update.status = status
    db.session.commit()
    actions = {
        "submit": lambda: updates.submit(update),
        "return": lambda: updates.return_with_comments(update, "Please revise"),
        "approve": lambda: updates.approve(update, date(2027, 3, 1)),
        "publish": lambda: updates.publish(update, date(2027, 3, 1)),
    }
    for action in refused:
        with acting_as("test"), pytest.raises(updates.UpdateError, match="cannot be"):
            actions[action]()
        db.session.rollback()
        assert db.session.get(type(update), update.id).status == status
    assert db.session.scalar(select(func.count()).select_from(Plan)) == 1
