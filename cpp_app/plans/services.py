"""Plans: drafting, adoption, status moves, version comparison, and the department overview."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any, TypeVar

from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from cpp_app.audit import services as audit
from cpp_app.charts import bar_chart
from cpp_app.enums import LabelledEnum
from cpp_app.errors import ServiceError
from cpp_app.extensions import db
from cpp_app.plans.models import (
    Plan,
    PlanItemMixin,
    PlannedResponse,
    PlanStatus,
    Priority,
    PriorityKind,
    PrioritySource,
    Problem,
    ResponseKind,
    ResponseStatus,
    SaraStage,
)
from cpp_app.plans.schedule import due_date
from cpp_app.stations.models import Member, Station


class PlanError(ServiceError):
    """A plan change that cannot be made, with a message saying why."""


def interval_months() -> int:
    """Months between semi-annual updates (CPP_UPDATE_INTERVAL_MONTHS)."""
    return current_app.config["CPP_UPDATE_INTERVAL_MONTHS"]


def first_update_due(plan: Plan) -> date | None:
    """When an adopted plan's first semi-annual update is due (None before adoption)."""
    if plan.schedule_start_on is None:
        return None
    return due_date(plan.schedule_start_on, 1, interval_months())


# --- Loading ------------------------------------------------------------------------------


def plan_with_items(plan_id: int) -> Plan | None:
    """A plan with its priorities, problems, responses and owners loaded in a few queries."""
    return db.session.scalar(
        select(Plan)
        .where(Plan.id == plan_id)
        .options(
            selectinload(Plan.station),
            selectinload(Plan.priorities),
            selectinload(Plan.problems).selectinload(Problem.priority),
            selectinload(Plan.responses).selectinload(PlannedResponse.owner),
        )
    )


def active_plan(station_id: int) -> Plan | None:
    """The station's adopted plan in force, if any."""
    return db.session.scalar(
        select(Plan).where(Plan.station_id == station_id, Plan.status == PlanStatus.ACTIVE)
    )


def draft_plan(station_id: int) -> Plan | None:
    """The station's plan being drafted, if any."""
    return db.session.scalar(
        select(Plan).where(Plan.station_id == station_id, Plan.status == PlanStatus.DRAFT)
    )


def plan_versions(station_id: int) -> list[Plan]:
    """Every version of the station's plan, newest first."""
    return list(db.session.scalars(
        select(Plan).where(Plan.station_id == station_id).order_by(Plan.version.desc())
    ))


# --- Drafting ------------------------------------------------------------------------------


def start_plan(station: Station, summary: str = "", created_by_id: int | None = None) -> Plan:
    """Open the station's first plan as a draft (later versions come from updates)."""
    if draft_plan(station.id) is not None:
        raise PlanError(f"{station.code} already has a draft plan.")
    if active_plan(station.id) is not None:
        raise PlanError(
            f"{station.code} already has an adopted plan; change it through a semi-annual update."
        )
    version = (db.session.scalar(
        select(func.max(Plan.version)).where(Plan.station_id == station.id)) or 0) + 1
    plan = Plan(station_id=station.id, version=version, status=PlanStatus.DRAFT,
                summary=summary.strip(),
                created_by_id=created_by_id)
    db.session.add(plan)
    audit.record("plan.create", plan, station_id=station.id,
                 summary=f"{station.code} plan v{version}")
    db.session.commit()
    return plan


def update_plan_summary(plan: Plan, summary: str) -> Plan:
    """Change a draft plan's summary."""
    _require_draft(plan)
    before = plan.audit_snapshot()
    plan.summary = summary.strip()
    audit.record("plan.update", plan, before=before, station_id=plan.station_id)
    db.session.commit()
    return plan


@dataclass
class PriorityDetails:
    """What a commander writes for a priority."""

    kind: str
    source: str
    title: str
    description: str = ""
    evidence: str = ""
    internal_notes: str = ""
    source_reference: dict | None = None


@dataclass
class ProblemDetails:
    """What a commander writes for a problem worked with SARA."""

    title: str
    priority_id: int | None = None
    sara_stage: str = SaraStage.SCANNING
    location: str = ""
    scanning_notes: str = ""
    analysis_notes: str = ""
    response_notes: str = ""
    assessment_notes: str = ""
    is_internal: bool = False
    internal_notes: str = ""


@dataclass
class ResponseDetails:
    """What a commander writes for a planned response."""

    problem_id: int
    description: str
    kind: str
    owner_member_id: int | None = None
    start_on: date | None = None
    due_on: date | None = None
    status: str = ResponseStatus.PLANNED
    internal_notes: str = ""


def save_priority(plan: Plan, details: PriorityDetails, priority: Priority | None = None
                  ) -> Priority:
    """Add a priority to a draft plan, or change one."""
    _require_draft(plan)
    _check_choice(details.kind, PriorityKind, "kind", "Choose public safety or quality of life.")
    _check_choice(details.source, PrioritySource, "source",
                  "Choose where the priority came from.")
    _check_text(details.title, "title", "Give the priority a title.")
    return _save_item(plan, priority, Priority, details, "priority", plan.priorities)


def save_problem(plan: Plan, details: ProblemDetails, problem: Problem | None = None) -> Problem:
    """Add a problem to a draft plan, or change one."""
    _require_draft(plan)
    _check_text(details.title, "title", "Give the problem a title.")
    _check_choice(details.sara_stage, SaraStage, "sara_stage", "Choose a SARA stage.")
    if details.priority_id is not None and not any(
            p.id == details.priority_id for p in plan.priorities):
        raise PlanError("That priority is not part of this plan.", "priority_id")
    return _save_item(plan, problem, Problem, details, "problem", plan.problems)


def save_response(plan: Plan, details: ResponseDetails,
                  response: PlannedResponse | None = None) -> PlannedResponse:
    """Add a planned response to a draft plan, or change one."""
    _require_draft(plan)
    check_response_fields(plan, details.problem_id, details.description, details.kind,
                          details.owner_member_id, details.start_on, details.due_on)
    _check_choice(details.status, ResponseStatus, "status", "Choose a status.")
    return _save_item(plan, response, PlannedResponse, details, "response", plan.responses)


def check_response_fields(plan: Plan, problem_id: int | None, description: str, kind: str,
                          owner_member_id: int | None, start_on: date | None,
                          due_on: date | None, new_problem: bool = False) -> None:
    """Refuse a response that is incomplete or points outside the plan's station.

    A response to a problem new in an update (`new_problem`) has no problem of the plan yet.
    """
    if not new_problem and (problem_id is None
                            or not any(p.id == problem_id for p in plan.problems)):
        raise PlanError("Choose a problem of this plan.", "problem_id")
    _check_text(description, "description", "Describe the response.")
    _check_choice(kind, ResponseKind, "kind", "Choose prevention, partnership or enforcement.")
    if owner_member_id is not None:
        owner = db.session.get(Member, owner_member_id)
        if owner is None or not owner.active:
            raise PlanError("The owner must be an active department member.", "owner_member_id")
    if start_on and due_on and due_on < start_on:
        raise PlanError("The due date cannot be before the start date.", "due_on")


def remove_item(plan: Plan, item: Any) -> None:
    """Remove a priority, problem or response from a draft plan."""
    _require_draft(plan)
    if item.plan_id != plan.id:
        raise PlanError("That item belongs to another plan.")
    before = item.audit_snapshot()
    noun = _noun(item)
    db.session.delete(item)
    audit.record(f"plan.{noun}.delete", entity_type=item.__tablename__, entity_id=item.id,
                 before=before, station_id=plan.station_id)
    db.session.commit()


def adopt_plan(plan: Plan, adopted_on: date) -> Plan:
    """Adopt a draft: it becomes the station's active plan and the update schedule starts."""
    _require_draft(plan)
    missing = adoption_gaps(plan)
    if missing:
        raise PlanError("The plan cannot be adopted yet: " + "; ".join(missing) + ".")
    before = plan.audit_snapshot()
    plan.status = PlanStatus.ACTIVE
    plan.adopted_on = adopted_on
    plan.schedule_start_on = plan.schedule_start_on or adopted_on
    audit.record("plan.adopt", plan, before=before, station_id=plan.station_id,
                 summary=f"v{plan.version} adopted on {adopted_on.isoformat()}")
    db.session.commit()
    return plan


def adoption_gaps(plan: Plan) -> list[str]:
    """What a draft still lacks before it can be adopted."""
    gaps = []
    if not plan.priorities:
        gaps.append("add at least one priority")
    if not plan.problems:
        gaps.append("add at least one problem")
    if not plan.responses:
        gaps.append("add at least one planned response")
    answered = {r.problem_id for r in plan.responses}
    unanswered = [p.title for p in plan.problems if p.id not in answered]
    if unanswered:
        gaps.append("plan a response to " + ", ".join(unanswered))
    return gaps


def set_response_status(response: PlannedResponse, status: str) -> PlannedResponse:
    """Move a response on the active (or draft) plan to another status."""
    _check_choice(status, ResponseStatus, "status", "Choose a status.")
    if response.plan.status == PlanStatus.SUPERSEDED:
        raise PlanError("Responses of an earlier plan version can no longer change.")
    before = response.audit_snapshot()
    response.status = status
    audit.record("plan.response.status", response, before=before,
                 station_id=response.plan.station_id, summary=f"{before['status']} → {status}")
    db.session.commit()
    return response


def _save_item(plan: Plan, item: Any, model: type, details: Any, noun: str,
               siblings: list) -> Any:
    before = item.audit_snapshot() if item is not None else None
    if item is None:
        item = model(plan_id=plan.id, position=len(siblings))
        siblings.append(item)
    elif item.plan_id != plan.id:
        raise PlanError("That item belongs to another plan.")
    for name, value in vars(details).items():
        setattr(item, name, value.strip() if isinstance(value, str) else value)
    db.session.flush()
    audit.record(f"plan.{noun}.{'update' if before else 'create'}", item, before=before,
                 station_id=plan.station_id)
    db.session.commit()
    return item


def _noun(item: Any) -> str:
    return {Priority: "priority", Problem: "problem", PlannedResponse: "response"}[type(item)]


def _require_draft(plan: Plan) -> None:
    if not plan.is_draft:
        raise PlanError(
            "An adopted plan changes only through a semi-annual update; this version is "
            f"{plan.status_label.lower()}."
        )


def _check_choice(value: str, choices: type[LabelledEnum], field_name: str, message: str
                  ) -> None:
    if not choices.has_value(value):
        raise PlanError(message, field_name)


def _check_text(value: str, field_name: str, message: str) -> None:
    if not (value or "").strip():
        raise PlanError(message, field_name)


def response_kinds_chart(plan: Plan) -> str:
    """The plan's planned responses by kind: the chart on the plan page and in its PDF."""
    kinds: dict[str, int] = {}
    for response in plan.responses:
        kinds[response.kind_label] = kinds.get(response.kind_label, 0) + 1
    return bar_chart(list(kinds), list(kinds.values()), "Planned responses by kind",
                     counts=True)


# --- Version comparison --------------------------------------------------------------------


@dataclass
class ItemChange:
    """One item added, changed or dropped between two versions, with changed fields."""

    label: str
    change: str
    fields: list[str] = field(default_factory=list)


@dataclass
class VersionComparison:
    """What priorities, problems and responses differ between an older and a newer version."""

    older: Plan
    newer: Plan
    priorities: list[ItemChange]
    problems: list[ItemChange]
    responses: list[ItemChange]

    @property
    def is_empty(self) -> bool:
        """Whether the two versions hold the same items."""
        return not (self.priorities or self.problems or self.responses)


COMPARED_FIELDS = {
    "priorities": ("kind", "source", "title", "description", "evidence"),
    "problems": ("title", "sara_stage", "location", "scanning_notes", "analysis_notes",
                 "response_notes", "assessment_notes", "is_internal"),
    "responses": ("description", "kind", "owner_member_id", "start_on", "due_on", "status"),
}


def compare_versions(older: Plan, newer: Plan) -> VersionComparison:
    """Match items across versions by lineage and list what was added, changed or dropped."""
    return VersionComparison(
        older=older,
        newer=newer,
        priorities=_diff(older.priorities, newer.priorities, COMPARED_FIELDS["priorities"],
                         lambda item: item.title),
        problems=_diff(older.problems, newer.problems, COMPARED_FIELDS["problems"],
                       lambda item: item.title),
        responses=_diff(older.responses, newer.responses, COMPARED_FIELDS["responses"],
                        lambda item: item.description[:80]),
    )


Item = TypeVar("Item", bound=PlanItemMixin)


def _diff(old_items: Iterable[Item], new_items: Iterable[Item], compared: tuple[str, ...],
          label: Callable[[Item], str]) -> list[ItemChange]:
    old_by_key = {item.lineage_key: item for item in old_items}
    new_by_key = {item.lineage_key: item for item in new_items}
    changes = []
    for key, item in new_by_key.items():
        previous = old_by_key.get(key)
        if previous is None:
            changes.append(ItemChange(label(item), "added"))
            continue
        differing = [name for name in compared if getattr(previous, name) != getattr(item, name)]
        if differing:
            changes.append(ItemChange(label(item), "changed", differing))
    changes.extend(ItemChange(label(item), "dropped")
                   for key, item in old_by_key.items() if key not in new_by_key)
    return changes
