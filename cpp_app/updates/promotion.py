"""Community findings promoted to plan priorities.

Survey results and meeting feedback go to the draft plan, or to the update in progress once the
plan is adopted.
"""

from __future__ import annotations

from dataclasses import dataclass

from cpp_app.audit import services as audit
from cpp_app.extensions import db
from cpp_app.meetings.models import MeetingFeedback
from cpp_app.plans.models import PrioritySource
from cpp_app.plans.services import PriorityDetails, draft_plan, save_priority
from cpp_app.surveys.models import Survey
from cpp_app.updates.models import ProposedPriority
from cpp_app.updates.services import UpdateError, open_update


@dataclass
class PriorityProposal:
    """A priority that community feedback suggests, with a link back to that feedback."""

    kind: str
    source: str
    title: str
    description: str
    evidence: str
    source_reference: dict


def promote_to_priority(station_id: int, proposal: PriorityProposal) -> str:
    """Add a priority raised by feedback: to the draft plan, or to the update in progress.

    Returns where it went ('plan' or 'update'). An adopted plan changes only through an
    update, so with neither a draft nor an editable update the promotion is refused.
    """
    draft = draft_plan(station_id)
    if draft is not None:
        save_priority(draft, PriorityDetails(
            kind=proposal.kind, source=proposal.source, title=proposal.title,
            description=proposal.description, evidence=proposal.evidence,
            source_reference=proposal.source_reference))
        return "plan"
    update = open_update(station_id)
    if update is None or not update.is_editable:
        raise UpdateError("Start the station's plan or its semi-annual update first; an "
                          "adopted plan takes new priorities through an update.")
    if not proposal.title.strip():
        raise UpdateError("Give the priority a title.", "title")
    item = ProposedPriority(**{k: (v.strip() if isinstance(v, str) else v)
                               for k, v in vars(proposal).items()})
    update.proposed_priorities.append(item)
    db.session.flush()
    audit.record("update.priority.propose", item, station_id=station_id, summary=item.title)
    db.session.commit()
    return "update"


def promote_survey_finding(survey: Survey, title: str, kind: str, evidence: str,
                           question_id: int | None = None) -> str:
    """Make a survey finding (a top issue, a question's result) a priority of the station's plan.

    The link to the survey is kept as the priority's source.
    """
    if survey.station_id is None:
        raise UpdateError("A department-wide survey's findings are promoted from a station's "
                          "update; open the station's plan instead.")
    if question_id is not None and not any(q.id == question_id for q in survey.questions):
        raise UpdateError("That question is not part of this survey.")
    proposal = PriorityProposal(
        kind=kind, source=PrioritySource.SURVEY, title=title.strip()[:200], description="",
        evidence=evidence.strip(),
        source_reference={"type": "survey_result", "survey_id": survey.id,
                          "question_id": question_id, "label": survey.display_title},
    )
    return promote_to_priority(survey.station_id, proposal)


def promote_meeting_feedback(item: MeetingFeedback, kind: str) -> str:
    """Make a feedback item a plan priority, keeping the link to the meeting as its source."""
    meeting = item.meeting
    proposal = PriorityProposal(
        kind=kind, source=PrioritySource.MEETING, title=item.topic, description=item.text,
        evidence=f"Raised at “{meeting.title}” on {meeting.held_on.isoformat()} "
                 f"({item.tone_label.lower()}).",
        source_reference={"type": "meeting_feedback", "meeting_id": meeting.id,
                          "feedback_id": item.id, "label": meeting.title},
    )
    where = promote_to_priority(meeting.station_id, proposal)
    item.promoted_to = "the draft plan" if where == "plan" else "the update in progress"
    db.session.commit()
    return where
