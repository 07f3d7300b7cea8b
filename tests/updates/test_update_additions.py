"""Element 3 adds new SARA problems (with responses) and typed priorities to an adopted plan."""

from __future__ import annotations

import re
from datetime import date

import pytest

from cpp_app.audit.models import AuditEvent
from cpp_app.audit.services import acting_as
from cpp_app.extensions import db
from cpp_app.plans.models import Plan
from cpp_app.updates import additions
from cpp_app.updates import services as updates
from cpp_app.updates.models import ProposedProblem, ResponseChange
from tests import factories
from tests.factories.plans import adopted_plan, complete_update
from tests.helpers import csrf_token, post_form


def new_problem_and_priority(update):
    """A typed result-based priority, and a community-input-based problem under it."""
    priority = additions.add_new_priority(update, additions.NewPriorityDetails(
        kind="public_safety", source="crime_data", title="Catalytic converter thefts",
        basis="result_based", rationale="Thefts doubled in the period's calls for service"))
    problem = additions.add_new_problem(update, additions.NewProblemDetails(
        title="Thefts in the Civic Center garage", basis="community_input_based",
        rationale="Residents raised the garage at the November town hall",
        sara_stage="analysis", location="Civic Center garage",
        proposed_priority_id=priority.id))
    return priority, problem


def test_an_adopted_plan_gets_a_new_problem_and_a_typed_priority_through_the_update(station):
    plan = adopted_plan(station)
    update = complete_update(plan, modify=False)
    with acting_as("test"):
        _priority, problem = new_problem_and_priority(update)
        assert any("plan a response to the new problem" in item
                   for item in updates.missing_elements(update))
        with pytest.raises(updates.UpdateError, match="not complete"):
            updates.submit(update, date(2027, 2, 1))
        updates.add_change(update, updates.ChangeDetails(
            problem_id=None, proposed_problem_id=problem.id,
            description="Etch catalytic converters with owners' plates", kind="prevention",
            basis="community_input_based", rationale="Asked for at the town hall"))
        assert updates.missing_elements(update) == []
        updates.submit(update, date(2027, 2, 1))
        updates.approve(update, date(2027, 2, 10))
    new_plan = db.session.get(Plan, update.resulting_plan_id)
    titles = [p.title for p in new_plan.priorities]
    assert titles == ["Speeding on Elm Street", "Catalytic converter thefts"]
    added = next(p for p in new_plan.problems if p.title == "Thefts in the Civic Center garage")
    assert added.priority.title == "Catalytic converter thefts"
    assert added.location == "Civic Center garage"
    assert added.sara_stage == "analysis"
    responses = [r.description for r in new_plan.responses if r.problem_id == added.id]
    assert responses == ["Etch catalytic converters with owners' plates"]
    assert len(new_plan.problems) == 2
    actions = set(db.session.scalars(db.select(AuditEvent.action)))
    assert {"update.priority.add", "update.problem.add"} <= actions


def test_a_response_cannot_point_at_another_updates_new_problem(station):
    plan = adopted_plan(station)
    update = complete_update(plan, modify=False)
    with acting_as("test"):
        _priority, problem = new_problem_and_priority(update)
        with pytest.raises(updates.UpdateError, match="one new in this update"):
            updates.add_change(update, updates.ChangeDetails(
                problem_id=None, proposed_problem_id=problem.id + 1000, description="X",
                kind="prevention", basis="result_based", rationale="Y"))
        with pytest.raises(updates.UpdateError, match="result-based or community"):
            additions.add_new_problem(update, additions.NewProblemDetails(
                title="No basis", basis="", rationale="Because"))


def test_removing_a_new_problem_takes_its_responses_out(station):
    plan = adopted_plan(station)
    update = complete_update(plan, modify=False)
    with acting_as("test"):
        _priority, problem = new_problem_and_priority(update)
        updates.add_change(update, updates.ChangeDetails(
            problem_id=None, proposed_problem_id=problem.id, description="Etching day",
            kind="prevention", basis="result_based", rationale="Works elsewhere"))
        additions.remove_new_problem(update, problem)
    assert db.session.scalar(db.select(db.func.count()).select_from(ProposedProblem)) == 0
    assert db.session.scalar(db.select(db.func.count()).select_from(ResponseChange)) == 0


def test_the_commander_adds_them_on_the_update_page_and_they_reach_the_public_page(
        client, login, station):
    plan = adopted_plan(station)
    update = complete_update(plan, modify=False)
    login(factories.make_user("commander", station=station))
    page = f"/updates/{update.id}/additions"
    response = post_form(client, f"/updates/{update.id}/new-priorities", {
        "npr-title": "Noise from late-night parties", "npr-kind": "quality_of_life",
        "npr-source": "meeting", "npr-basis": "community_input_based",
        "npr-rationale": "Neighbours asked at two meetings",
        "npr-csrf_token": csrf_token(client, page)}, form_page=page)
    assert response.status_code == 302
    priority_id = update.proposed_priorities[0].id
    response = post_form(client, f"/updates/{update.id}/new-problems", {
        "np-title": "Party houses on Oak Row", "np-priority": f"new-{priority_id}",
        "np-sara_stage": "scanning", "np-basis": "community_input_based",
        "np-rationale": "Twelve complaints from Oak Row residents",
        "np-csrf_token": csrf_token(client, page)}, form_page=page)
    assert response.status_code == 302
    problem_id = db.session.scalar(db.select(ProposedProblem.id))
    response = post_form(client, f"/updates/{update.id}/changes", {
        "target": "new", "problem_id": f"new-{problem_id}",
        "description": "Landlord meetings about party houses", "kind": "partnership",
        "basis": "community_input_based", "rationale": "Residents asked for it"},
        form_page=f"/updates/{update.id}")
    assert response.status_code == 302
    text = client.get(f"/updates/{update.id}").get_data(as_text=True)
    assert "Party houses on Oak Row" in text
    assert "Noise from late-night parties" in text
    assert "Landlord meetings about party houses" in text
    missing = post_form(client, f"/updates/{update.id}/new-problems", {
        "np-title": "", "np-sara_stage": "scanning", "np-rationale": "x",
        "np-csrf_token": csrf_token(client, page)}, form_page=page)
    assert missing.status_code == 400
    assert "Mark it as result-based or community-input-based." in missing.get_data(as_text=True)
    with acting_as("test"):
        db.session.refresh(update)
        updates.submit(update, date(2027, 2, 1))
        updates.approve(update, date(2027, 2, 10))
        updates.publish(update, date(2027, 2, 11))
    public = client.get(f"/stations/{station.code}").get_data(as_text=True)
    shown = re.sub(r"<[^>]+>", "", public)
    assert "New problem: Party houses on Oak Row" in shown
    assert "New priority: Noise from late-night parties" in shown
    assert "Landlord meetings about party houses" in public
