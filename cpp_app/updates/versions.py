"""Applying an approved update: the plan's next version, with its drops, changes and additions."""

from __future__ import annotations

from datetime import date
from typing import TypeVar

from cpp_app.audit import services as audit
from cpp_app.extensions import db
from cpp_app.plans.models import (
    Plan,
    PlanItemMixin,
    PlannedResponse,
    PlanStatus,
    Priority,
    Problem,
    ResponseStatus,
)
from cpp_app.updates.models import Decision, PlanUpdate, ResponseChange


def apply_update(update: PlanUpdate, today: date) -> Plan:
    """Copy the plan into a new active version, applying drops, modifications and additions."""
    old = update.plan
    new = Plan(station_id=old.station_id, version=old.version + 1,
               status=PlanStatus.ACTIVE,
               summary=old.summary, translations=dict(old.translations or {}),
               adopted_on=today, schedule_start_on=old.schedule_start_on,
               previous_plan_id=old.id, created_by_id=old.created_by_id)
    old.status = PlanStatus.SUPERSEDED
    db.session.flush()
    db.session.add(new)
    with db.session.no_autoflush:
        priority_copies = {p.id: _copy(p, Priority, plan=new) for p in old.priorities}
        problem_copies = {
            p.id: _copy(p, Problem, plan=new, priority=priority_copies.get(p.priority_id))
            for p in old.problems
        }
        decisions = {a.response_id: a.decision for a in update.assessments}
        modifications = {c.modifies_response_id: c for c in update.changes
                         if c.modifies_response_id is not None}
        position = 0
        for response in old.responses:
            if decisions.get(response.id) == Decision.DROP:
                continue
            copy = _copy(response, PlannedResponse, plan=new,
                         problem=problem_copies[response.problem_id], position=position)
            change = modifications.get(response.id)
            if change is not None:
                _apply_change(copy, change)
            position += 1
        new_priorities = _add_new_priorities(update, new, len(priority_copies))
        new_problems = _add_new_problems(update, new, len(problem_copies),
                                         priority_copies | new_priorities)
        for change in update.changes:
            if change.is_new:
                problem = (problem_copies[change.problem_id] if change.problem_id is not None
                           else new_problems[change.proposed_problem_id])
                copy = PlannedResponse(plan=new, problem=problem, position=position,
                                       status=ResponseStatus.PLANNED)
                db.session.add(copy)
                _apply_change(copy, change)
                position += 1
    db.session.flush()
    audit.record("plan.new_version", new, station_id=new.station_id,
                 summary=f"v{new.version} from the update due {update.due_on.isoformat()}")
    return new


def _add_new_priorities(update: PlanUpdate, plan: Plan, first: int) -> dict[str, Priority]:
    """The update's new priorities in the new version, keyed 'new-<id>' of their proposal."""
    added = {}
    for number, proposal in enumerate(update.proposed_priorities):
        priority = Priority(
            plan=plan, position=first + number, kind=proposal.kind, source=proposal.source,
            title=proposal.title, description=proposal.description, evidence=proposal.evidence,
            source_reference=proposal.source_reference)
        db.session.add(priority)
        added[f"new-{proposal.id}"] = priority
    return added


def _add_new_problems(update: PlanUpdate, plan: Plan, first: int,
                      priorities: dict[int | str, Priority]) -> dict[int, Problem]:
    """The update's new problems in the new version, keyed by the id of their proposal."""
    added = {}
    for number, proposal in enumerate(update.proposed_problems):
        key = (proposal.priority_id if proposal.priority_id is not None
               else f"new-{proposal.proposed_priority_id}")
        problem = Problem(
            plan=plan, position=first + number, title=proposal.title,
            sara_stage=proposal.sara_stage, location=proposal.location,
            analysis_notes=proposal.analysis_notes, priority=priorities.get(key),
            is_internal=False)
        db.session.add(problem)
        added[proposal.id] = problem
    return added


def _apply_change(response: PlannedResponse, change: ResponseChange) -> None:
    response.description = change.description
    response.kind = change.kind
    response.owner_member_id = change.owner_member_id
    response.start_on = change.start_on
    response.due_on = change.due_on


Item = TypeVar("Item", bound=PlanItemMixin)


def _copy(item: Item, model: type[Item], **overrides: object) -> Item:
    columns = {column.key for column in model.__table__.columns} - {"id", "plan_id"}
    values = {key: getattr(item, key) for key in columns}
    for relation_key in ("priority_id", "problem_id"):
        if relation_key in values and relation_key.removesuffix("_id") in overrides:
            values.pop(relation_key)
    values.update(overrides)
    copy = model(**values)
    db.session.add(copy)
    return copy


