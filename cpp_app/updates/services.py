"""The semi-annual update: opening it, its four elements, what it lacks, and the workflow.

The workflow runs draft → submitted → approved (or returned) → published.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from cpp_app.audit import services as audit
from cpp_app.clock import today_local
from cpp_app.errors import ServiceError
from cpp_app.extensions import db
from cpp_app.models import utcnow
from cpp_app.plans.models import Plan, PlannedResponse, ResponseStatus
from cpp_app.plans.schedule import period_for
from cpp_app.plans.services import active_plan, check_response_fields, interval_months
from cpp_app.updates.figures import frozen_figures
from cpp_app.updates.models import (
    AUTOMATIC_SHARING_CHANNELS,
    COMPLETED_UPDATE_STATUSES,
    EDITABLE_UPDATE_STATUSES,
    Assessment,
    ChangeBasis,
    Decision,
    FeedbackSourceKind,
    PlanUpdate,
    ResponseAssessment,
    ResponseChange,
    SharingChannel,
    UpdateFeedbackSource,
    UpdateSharing,
    UpdateStatus,
)
from cpp_app.updates.notifications import notify_transition
from cpp_app.updates.overview import next_update_due, open_update
from cpp_app.updates.versions import apply_update


class UpdateError(ServiceError):
    """An update change that cannot be made, with a message saying why."""


#: Workflow: which status each action moves from, and to.
TRANSITIONS = {
    "submit": (EDITABLE_UPDATE_STATUSES, UpdateStatus.SUBMITTED),
    "return": ({UpdateStatus.SUBMITTED}, UpdateStatus.RETURNED),
    "approve": ({UpdateStatus.SUBMITTED}, UpdateStatus.APPROVED),
    "publish": ({UpdateStatus.APPROVED}, UpdateStatus.PUBLISHED),
}
#: Sharing can be recorded at any time except while the update awaits approval.
SHARING_STATUSES = EDITABLE_UPDATE_STATUSES | COMPLETED_UPDATE_STATUSES
PAST_TENSE = {"submit": "submitted", "return": "returned", "approve": "approved",
              "publish": "published"}


def update_with_elements(update_id: int) -> PlanUpdate | None:
    """An update with its elements and the plan it updates loaded."""
    return db.session.scalar(
        select(PlanUpdate).where(PlanUpdate.id == update_id).options(
            selectinload(PlanUpdate.station),
            selectinload(PlanUpdate.plan).selectinload(Plan.responses)
            .selectinload(PlannedResponse.problem),
            selectinload(PlanUpdate.plan).selectinload(Plan.problems),
            selectinload(PlanUpdate.feedback_sources),
            selectinload(PlanUpdate.assessments),
            selectinload(PlanUpdate.changes).selectinload(ResponseChange.problem),
            selectinload(PlanUpdate.changes).selectinload(ResponseChange.modifies_response),
            selectinload(PlanUpdate.sharing),
            selectinload(PlanUpdate.proposed_priorities),
            selectinload(PlanUpdate.proposed_problems),
            selectinload(PlanUpdate.changes).selectinload(ResponseChange.proposed_problem),
        )
    )


def start_update(station_id: int) -> PlanUpdate:
    """Open the update for the next due date, against the active plan."""
    plan = active_plan(station_id)
    if plan is None:
        raise UpdateError("Adopt a plan before writing its semi-annual update.")
    if open_update(station_id) is not None:
        raise UpdateError("An update is already in progress for this station.")
    due_on = next_update_due(station_id)
    period_start, period_end = period_for(plan.schedule_start_on, due_on, interval_months())
    update = PlanUpdate(station_id=station_id, plan_id=plan.id, due_on=due_on,
                        period_start=period_start, period_end=period_end,
                        status=UpdateStatus.DRAFT)
    db.session.add(update)
    audit.record("update.create", update, station_id=station_id,
                 summary=f"update due {due_on.isoformat()}")
    db.session.commit()
    return update


# --- Elements ------------------------------------------------------------------------------


def save_feedback_summary(update: PlanUpdate, summary: str) -> None:
    """Element 1: the summary of what the community said."""
    _require_editable(update)
    _change(update, "update.feedback", feedback_summary=summary.strip())
    db.session.commit()


def add_feedback_source(update: PlanUpdate, kind: str, reference: str, held_on: date | None,
                        headline: str = "") -> UpdateFeedbackSource:
    """Element 1: a survey, meeting or other source the summary rests on."""
    _require_editable(update)
    if not FeedbackSourceKind.has_value(kind):
        raise UpdateError("Choose survey, meeting or other.", "kind")
    if not reference.strip():
        raise UpdateError("Name the survey or meeting.", "reference")
    source = UpdateFeedbackSource(kind=kind, reference=reference.strip(), held_on=held_on,
                                  headline=headline.strip())
    update.feedback_sources.append(source)
    db.session.flush()
    audit.record("update.feedback_source.create", source, station_id=update.station_id)
    db.session.commit()
    return source


def save_assessment(update: PlanUpdate, response_id: int, assessment: str, evidence: str,
                    decision: str) -> ResponseAssessment:
    """Element 2: how effective one current response was, and whether to keep it."""
    _require_editable(update)
    if not any(r.id == response_id for r in update.plan.responses):
        raise UpdateError("That response is not part of the plan being updated.")
    if not Assessment.has_value(assessment):
        raise UpdateError("Choose an assessment.", "assessment")
    if not Decision.has_value(decision):
        raise UpdateError("Choose keep, modify or drop.", "decision")
    if not evidence.strip():
        raise UpdateError("Give the evidence for the assessment.", "evidence")
    record = next((a for a in update.assessments if a.response_id == response_id), None)
    before = record.audit_snapshot() if record else None
    if record is None:
        record = ResponseAssessment(response_id=response_id)
        update.assessments.append(record)
    record.assessment, record.evidence, record.decision = assessment, evidence.strip(), decision
    db.session.flush()
    audit.record("update.assessment." + ("update" if before else "create"), record,
                 before=before, station_id=update.station_id)
    db.session.commit()
    return record


def save_implementation_decision(update: PlanUpdate, modified: bool, reason: str) -> None:
    """Element 2: whether the implementation plan will be modified, and why."""
    _require_editable(update)
    if not reason.strip():
        raise UpdateError("Say why the implementation plan will or will not change.", "reason")
    _change(update, "update.implementation", implementation_modified=modified,
            implementation_reason=reason.strip())
    db.session.commit()


@dataclass
class ChangeDetails:
    """Element 3: a new or modified response and why."""

    problem_id: int | None
    description: str
    kind: str
    basis: str
    rationale: str
    modifies_response_id: int | None = None
    owner_member_id: int | None = None
    start_on: date | None = None
    due_on: date | None = None
    proposed_problem_id: int | None = None


def add_change(update: PlanUpdate, details: ChangeDetails) -> ResponseChange:
    """Element 3: record a new or modified response, result- or community-input-based."""
    _require_editable(update)
    plan = update.plan
    if details.modifies_response_id is not None:
        modified = next((r for r in plan.responses if r.id == details.modifies_response_id),
                        None)
        if modified is None:
            raise UpdateError("That response is not part of the plan being updated.",
                            "modifies_response_id")
        details.problem_id, details.proposed_problem_id = modified.problem_id, None
    new_problem = details.proposed_problem_id is not None
    if new_problem and not any(p.id == details.proposed_problem_id
                               for p in update.proposed_problems):
        raise UpdateError("Choose a problem of this plan or one new in this update.",
                          "problem_id")
    check_response_fields(plan, details.problem_id, details.description, details.kind,
                          details.owner_member_id, details.start_on, details.due_on,
                          new_problem=new_problem)
    if not ChangeBasis.has_value(details.basis):
        raise UpdateError("Mark the change as result-based or community-input-based.", "basis")
    if not details.rationale.strip():
        raise UpdateError("Explain the rationale for the change.", "rationale")
    change = ResponseChange(**{k: (v.strip() if isinstance(v, str) else v)
                               for k, v in vars(details).items()})
    update.changes.append(change)
    db.session.flush()
    audit.record("update.change.create", change, station_id=update.station_id)
    db.session.commit()
    return change


def remove_change(update: PlanUpdate, change: ResponseChange) -> None:
    """Take a change back out of the update."""
    _require_editable(update)
    if change.update_id != update.id:
        raise UpdateError("That change belongs to another update.")
    before = change.audit_snapshot()
    update.changes.remove(change)
    audit.record("update.change.delete", entity_type="plan_response_changes",
                 entity_id=change.id, before=before, station_id=update.station_id)
    db.session.commit()


def add_sharing(update: PlanUpdate, channel: str, shared_on: date, details: str = ""
                ) -> UpdateSharing:
    """Element 4: how the update is shared with the community."""
    if update.status not in SHARING_STATUSES:
        raise UpdateError("Sharing cannot be recorded while the update awaits approval.")
    if not SharingChannel.has_value(channel) or channel in AUTOMATIC_SHARING_CHANNELS:
        raise UpdateError("Choose meeting, newsletter, social media or other "
                        "(publication is recorded automatically).", "channel")
    sharing = UpdateSharing(channel=channel, shared_on=shared_on, details=details.strip())
    update.sharing.append(sharing)
    db.session.flush()
    audit.record("update.sharing.create", sharing, station_id=update.station_id)
    db.session.commit()
    return sharing


# --- Completeness and workflow ---------------------------------------------------------------


def missing_elements(update: PlanUpdate) -> list[str]:
    """Exactly what the update still lacks before it can be submitted."""
    missing = []
    if not update.feedback_summary.strip():
        missing.append("Element 1: summarise the community feedback")
    if not update.feedback_sources:
        missing.append("Element 1: list at least one survey or meeting the feedback rests on")
    assessed = {a.response_id for a in update.assessments}
    for response in update.plan.responses:
        if response.status != ResponseStatus.CANCELLED and response.id not in assessed:
            missing.append(f"Element 2: assess “{response.description[:60]}”")
    if update.implementation_modified is None:
        missing.append("Element 2: say whether the implementation plan will be modified, and why")
    changed = {c.modifies_response_id for c in update.changes}
    for record in update.assessments:
        if record.decision == Decision.MODIFY and record.response_id not in changed:
            missing.append(f"Element 3: describe the modified response for "
                           f"“{record.response.description[:60]}”")
    if update.implementation_modified and not update.changes and not any(
            a.decision == Decision.DROP for a in update.assessments):
        missing.append("Element 3: the plan will be modified, so record the new or modified "
                       "responses")
    answered = {c.proposed_problem_id for c in update.changes}
    missing += [f"Element 3: plan a response to the new problem “{problem.title[:60]}”"
                for problem in update.proposed_problems if problem.id not in answered]
    if not update.sharing:
        missing.append("Element 4: record how the update is or will be shared with the "
                       "community (meeting, newsletter, social media or other)")
    return missing


def submit(update: PlanUpdate, today: date | None = None) -> PlanUpdate:
    """Commander: send a complete update for approval, freezing the figures it cites."""
    missing = missing_elements(update)
    if missing:
        raise UpdateError("The update is not complete: " + "; ".join(missing) + ".")
    _check_transition(update, "submit")
    _move(update, "submit", submitted_at=utcnow(),
          **frozen_figures(update, today or today_local()))
    db.session.commit()
    return update


def return_with_comments(update: PlanUpdate, comments: str) -> PlanUpdate:
    """Admin: send the update back to the commander with what to change."""
    if not comments.strip():
        raise UpdateError("Say what the commander should change.", "comments")
    _move(update, "return", review_comments=comments.strip())
    db.session.commit()
    return update


def approve(update: PlanUpdate, today: date) -> PlanUpdate:
    """Admin: approve the update; its changes become the plan's next version."""
    _check_transition(update, "approve")
    new_plan = apply_update(update, today)
    _move(update, "approve", approved_at=utcnow(), resulting_plan_id=new_plan.id)
    db.session.commit()
    return update


def publish(update: PlanUpdate, today: date) -> PlanUpdate:
    """Admin: publish the approved update on the public page (recorded as sharing)."""
    _move(update, "publish", published_at=utcnow())
    update.sharing.append(UpdateSharing(
        channel=SharingChannel.PUBLIC_PAGE, shared_on=today,
        details="Published on the station's public page",
        recorded_automatically=True,
    ))
    db.session.commit()
    return update


def _check_transition(update: PlanUpdate, action: str) -> None:
    allowed_from, _target = TRANSITIONS[action]
    if update.status not in allowed_from:
        raise UpdateError(f"An update that is {update.status_label.lower()} cannot be "
                        f"{PAST_TENSE[action]}.")


def _move(update: PlanUpdate, action: str, **changes: object) -> None:
    _check_transition(update, action)
    _change(update, f"update.{action}", status=TRANSITIONS[action][1], **changes)
    notify_transition(update, action)


def _change(update: PlanUpdate, action: str, **changes: object) -> None:
    """Set fields and record the audit event (the caller commits)."""
    before = update.audit_snapshot()
    for name, value in changes.items():
        setattr(update, name, value)
    audit.record(action, update, before=before, station_id=update.station_id)


def require_editable(update: PlanUpdate) -> None:
    """Refuse to change an update that is no longer a draft or returned."""
    _require_editable(update)


def _require_editable(update: PlanUpdate) -> None:
    if not update.is_editable:
        raise UpdateError(f"The update is {update.status_label.lower()} and can no longer be "
                        "edited.")


def add_linked_source(update: PlanUpdate, kind: str, reference: str, held_on: date | None,
                      headline: str, survey_id: int | None = None,
                      meeting_id: int | None = None) -> UpdateFeedbackSource:
    """Element 1: a survey or meeting of the period, linked, with its headline results."""
    _require_editable(update)
    already = any((survey_id and s.survey_id == survey_id) or
                  (meeting_id and s.meeting_id == meeting_id) for s in update.feedback_sources)
    if already:
        raise UpdateError(f"{reference} is already listed.")
    source = UpdateFeedbackSource(kind=kind, reference=reference[:255], held_on=held_on,
                                  headline=headline, survey_id=survey_id, meeting_id=meeting_id)
    update.feedback_sources.append(source)
    db.session.flush()
    audit.record("update.feedback_source.create", source, station_id=update.station_id)
    db.session.commit()
    return source
