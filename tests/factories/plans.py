"""Plans and semi-annual updates, built through the services as a commander would."""

from __future__ import annotations

from datetime import date

from cpp_app.audit.services import acting_as
from cpp_app.extensions import db
from cpp_app.plans import services
from cpp_app.plans.models import Plan, PlannedResponse, Priority, Problem
from cpp_app.updates import services as updates
from cpp_app.updates.models import PlanUpdate
from tests.factories.stations import make_member


def adopted_plan(station, adopted_on: date = date(2026, 8, 31), responses: int = 1) -> Plan:
    """A station plan with a priority, a problem and `responses` responses, adopted."""
    owner = make_member(station)
    with acting_as("test"):
        plan = services.start_plan(station, "Our plan")
        priority = services.save_priority(plan, services.PriorityDetails(
            kind="quality_of_life", source="survey", title="Speeding on Elm Street",
            evidence="Survey: 62% named speeding"))
        problem = services.save_problem(plan, services.ProblemDetails(
            title="Speeding near the school", priority_id=priority.id, sara_stage="analysis",
            location="Elm St & 5th Ave", is_internal=False))
        for number in range(responses):
            services.save_response(plan, services.ResponseDetails(
                problem_id=problem.id, description=f"Response {number}: school-zone outreach",
                kind="prevention" if number % 2 == 0 else "enforcement",
                owner_member_id=owner.id))
        services.adopt_plan(plan, adopted_on)
    return plan


def complete_update(plan: Plan, modify: bool = True) -> PlanUpdate:
    """An update with all four elements filled in, still a draft."""
    with acting_as("test"):
        update = updates.start_update(plan.station_id)
        updates.save_feedback_summary(update, "Residents still worry about speeding.")
        updates.add_feedback_source(update, "survey", "Spring survey", date(2027, 1, 10),
                                    "120 responses")
        for number, response in enumerate(plan.responses):
            decision = "modify" if (modify and number == 0) else "keep"
            updates.save_assessment(update, response.id, "partly", "Speeds down 5%", decision)
        updates.save_implementation_decision(update, modify, "Add evening patrols")
        if modify:
            first = plan.responses[0]
            updates.add_change(update, updates.ChangeDetails(
                problem_id=None, modifies_response_id=first.id,
                description="School-zone outreach plus evening speed watch",
                kind="partnership", basis="community_input_based",
                owner_member_id=first.owner_member_id,
                rationale="Parents asked for evening coverage at the spring meeting"))
            updates.add_change(update, updates.ChangeDetails(
                problem_id=first.problem_id, description="Radar feedback signs",
                kind="prevention", basis="result_based",
                rationale="Speeds fell where signs were tried"))
        updates.add_sharing(update, "meeting", date(2027, 2, 20), "Town hall")
    return update


def station_history(station, versions: int, responses: int, owner) -> Plan:
    """`versions` plan versions written straight to the tables, the last of them active.

    Each has `responses` responses owned by `owner`.
    """
    plan = None
    for version in range(1, versions + 1):
        plan = Plan(station_id=station.id, version=version,
                    status="active" if version == versions else "superseded",
                    adopted_on=date(2020, 1, 31), schedule_start_on=date(2020, 1, 31),
                    previous_plan_id=plan.id if plan else None)
        db.session.add(plan)
        db.session.flush()
        priority = Priority(plan_id=plan.id, kind="public_safety", source="survey", title="P")
        db.session.add(priority)
        db.session.flush()
        problem = Problem(plan_id=plan.id, priority_id=priority.id, title="Problem")
        db.session.add(problem)
        db.session.flush()
        db.session.add_all(
            PlannedResponse(plan_id=plan.id, problem_id=problem.id, description=f"R{n}",
                            kind="prevention", owner_member_id=owner.id, position=n)
            for n in range(responses)
        )
    db.session.commit()
    return plan
