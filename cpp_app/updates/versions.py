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
        for number, proposal in enumerate(update.proposed_priorities):
            db.session.add(Priority(
                plan=new, position=len(priority_copies) + number, kind=proposal.kind,
                source=proposal.source, title=proposal.title, description=proposal.description,
                evidence=proposal.evidence, source_reference=proposal.source_reference))
        for change in update.changes:
            if change.is_new:
                copy = PlannedResponse(plan=new, problem=problem_copies[change.problem_id],
                                       position=position,
                                       status=ResponseStatus.PLANNED)
                db.session.add(copy)
                _apply_change(copy, change)
                position += 1
    db.session.flush()
    audit.record("plan.new_version", new, station_id=new.station_id,
                 summary=f"v{new.version} from the update due {update.due_on.isoformat()}")
    return new


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


