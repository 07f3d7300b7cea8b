"""Element 3: new SARA problems and new priorities an update adds to an adopted plan.

The commander types them in the update, each marked result-based or community-input-based with
its rationale; responses to a new problem are ordinary changes of the update. They join the
plan's next version when the update is approved.
"""

from __future__ import annotations

from dataclasses import dataclass

from cpp_app.audit import services as audit
from cpp_app.extensions import db
from cpp_app.plans.models import PriorityKind, PrioritySource, SaraStage
from cpp_app.updates.models import ChangeBasis, PlanUpdate, ProposedPriority, ProposedProblem
from cpp_app.updates.services import UpdateError, require_editable


@dataclass
class NewPriorityDetails:
    """A priority the commander adds in the update, and why."""

    kind: str
    source: str
    title: str
    basis: str
    rationale: str
    description: str = ""


@dataclass
class NewProblemDetails:
    """A SARA problem the commander adds in the update, and why.

    It serves a priority of the plan (`priority_id`) or one new in the update
    (`proposed_priority_id`), or none.
    """

    title: str
    basis: str
    rationale: str
    sara_stage: str = SaraStage.SCANNING
    location: str = ""
    analysis_notes: str = ""
    priority_id: int | None = None
    proposed_priority_id: int | None = None


def add_new_priority(update: PlanUpdate, details: NewPriorityDetails) -> ProposedPriority:
    """Add a priority typed by the commander to the update."""
    require_editable(update)
    _check_choice(details.kind, PriorityKind, "kind", "Choose public safety or quality of life.")
    _check_choice(details.source, PrioritySource, "source", "Choose where the priority came from.")
    _check_text(details.title, "title", "Give the priority a title.")
    _check_basis(details.basis, details.rationale)
    item = ProposedPriority(
        kind=details.kind, source=details.source, title=details.title.strip()[:200],
        description=details.description.strip(), evidence=details.rationale.strip(),
        basis=details.basis, rationale=details.rationale.strip(), source_reference=None)
    update.proposed_priorities.append(item)
    db.session.flush()
    audit.record("update.priority.add", item, station_id=update.station_id, summary=item.title)
    db.session.commit()
    return item


def add_new_problem(update: PlanUpdate, details: NewProblemDetails) -> ProposedProblem:
    """Add a new SARA problem to the update; its responses are added as changes."""
    require_editable(update)
    _check_text(details.title, "title", "Give the problem a title.")
    _check_choice(details.sara_stage, SaraStage, "sara_stage", "Choose a SARA stage.")
    if details.priority_id is not None and not any(
            p.id == details.priority_id for p in update.plan.priorities):
        raise UpdateError("Choose a priority of this plan or one new in this update.",
                          "priority")
    if details.proposed_priority_id is not None and not any(
            p.id == details.proposed_priority_id for p in update.proposed_priorities):
        raise UpdateError("Choose a priority of this plan or one new in this update.",
                          "priority")
    _check_basis(details.basis, details.rationale)
    item = ProposedProblem(**{k: (v.strip() if isinstance(v, str) else v)
                              for k, v in vars(details).items()})
    update.proposed_problems.append(item)
    db.session.flush()
    audit.record("update.problem.add", item, station_id=update.station_id, summary=item.title)
    db.session.commit()
    return item


def remove_new_priority(update: PlanUpdate, item: ProposedPriority) -> None:
    """Take a new priority back out of the update (new problems under it keep no priority)."""
    require_editable(update)
    if item.update_id != update.id:
        raise UpdateError("That priority belongs to another update.")
    before = item.audit_snapshot()
    for problem in update.proposed_problems:
        if problem.proposed_priority_id == item.id:
            problem.proposed_priority_id = None
    update.proposed_priorities.remove(item)
    audit.record("update.priority.delete", entity_type=item.__tablename__, entity_id=item.id,
                 before=before, station_id=update.station_id)
    db.session.commit()


def remove_new_problem(update: PlanUpdate, item: ProposedProblem) -> None:
    """Take a new problem, and the responses planned for it, back out of the update."""
    require_editable(update)
    if item.update_id != update.id:
        raise UpdateError("That problem belongs to another update.")
    before = item.audit_snapshot()
    for change in [c for c in update.changes if c.proposed_problem_id == item.id]:
        audit.record("update.change.delete", entity_type=change.__tablename__,
                     entity_id=change.id, before=change.audit_snapshot(),
                     station_id=update.station_id)
        update.changes.remove(change)
    update.proposed_problems.remove(item)
    audit.record("update.problem.delete", entity_type=item.__tablename__, entity_id=item.id,
                 before=before, station_id=update.station_id)
    db.session.commit()


def _check_basis(basis: str, rationale: str) -> None:
    _check_choice(basis, ChangeBasis, "basis",
                  "Mark it as result-based or community-input-based.")
    _check_text(rationale, "rationale", "Explain the rationale.")


def _check_choice(value: str, choices: type[ChangeBasis] | type[PriorityKind]
                  | type[PrioritySource] | type[SaraStage], field: str, message: str) -> None:
    if not choices.has_value(value):
        raise UpdateError(message, field)


def _check_text(value: str, field: str, message: str) -> None:
    if not (value or "").strip():
        raise UpdateError(message, field)
