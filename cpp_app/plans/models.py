"""A station's Community Policing Plan: versions, priorities, SARA problems, planned responses,
and the semi-annual updates that change it."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cpp_app.auth.models import User
from cpp_app.extensions import db
from cpp_app.models import IdMixin, TimestampMixin, UTCDateTime
from cpp_app.stations.models import Member, Station

PRIORITY_KINDS = {"public_safety": "Public safety", "quality_of_life": "Quality of life"}
PRIORITY_SOURCES = {
    "survey": "Community survey",
    "meeting": "Community meeting",
    "crime_data": "Crime data",
    "staff": "Station staff",
    "stakeholder": "Stakeholder",
}
SARA_STAGES = {
    "scanning": "Scanning",
    "analysis": "Analysis",
    "response": "Response",
    "assessment": "Assessment",
}
RESPONSE_KINDS = {
    "prevention": "Prevention",
    "partnership": "Partnership",
    "enforcement": "Enforcement",
}
PREVENTION_FIRST_KINDS = frozenset({"prevention", "partnership"})
RESPONSE_STATUSES = {
    "planned": "Planned",
    "in_progress": "In progress",
    "done": "Done",
    "on_hold": "On hold",
    "cancelled": "Cancelled",
}
PLAN_STATUSES = {"draft": "Draft", "active": "Active", "superseded": "Superseded"}


def new_lineage_key() -> str:
    """A key that follows an item from one plan version to the next."""
    return uuid.uuid4().hex


class Plan(IdMixin, TimestampMixin, db.Model):
    """One version of a station's plan: a draft until adopted, then active until superseded."""

    __tablename__ = "plans"
    __table_args__ = (
        UniqueConstraint("station_id", "version"),
        Index(
            "uq_plans_one_active_per_station", "station_id", unique=True,
            sqlite_where=text("status = 'active'"), postgresql_where=text("status = 'active'"),
        ),
    )

    station_id: Mapped[int] = mapped_column(ForeignKey("stations.id"), index=True)
    version: Mapped[int] = mapped_column(default=1)
    status: Mapped[str] = mapped_column(String(20), default="draft", index=True)
    summary: Mapped[str] = mapped_column(Text, default="")
    adopted_on: Mapped[date | None]
    schedule_start_on: Mapped[date | None]
    previous_plan_id: Mapped[int | None] = mapped_column(ForeignKey("plans.id"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    station: Mapped[Station] = relationship()
    previous_plan: Mapped[Plan | None] = relationship(remote_side="Plan.id")
    created_by: Mapped[User | None] = relationship()
    priorities: Mapped[list[Priority]] = relationship(
        back_populates="plan", cascade="all, delete-orphan", order_by="Priority.position"
    )
    problems: Mapped[list[Problem]] = relationship(
        back_populates="plan", cascade="all, delete-orphan", order_by="Problem.position"
    )
    responses: Mapped[list[PlannedResponse]] = relationship(
        back_populates="plan", cascade="all, delete-orphan", order_by="PlannedResponse.position"
    )

    def __repr__(self) -> str:
        return f"<Plan station={self.station_id} v{self.version} {self.status}>"

    @property
    def is_draft(self) -> bool:
        """Whether the plan can still be edited directly."""
        return self.status == "draft"

    @property
    def status_label(self) -> str:
        """The status as shown to people."""
        return PLAN_STATUSES.get(self.status, self.status)

    @property
    def prevention_share(self) -> float | None:
        """Share of live responses that are prevention or partnership (None if none)."""
        live = [r for r in self.responses if r.status != "cancelled"]
        if not live:
            return None
        return sum(1 for r in live if r.kind in PREVENTION_FIRST_KINDS) / len(live)


class PlanItemMixin:
    """What priorities, problems and responses share: a position and a lineage key."""

    position: Mapped[int] = mapped_column(default=0)
    lineage_key: Mapped[str] = mapped_column(String(32), default=new_lineage_key, index=True)
    internal_notes: Mapped[str] = mapped_column(Text, default="")


class PriorityFieldsMixin:
    """What a priority says, shared by plan priorities and priorities proposed in an update."""

    kind: Mapped[str] = mapped_column(String(20))
    source: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    evidence: Mapped[str] = mapped_column(Text, default="")
    source_reference: Mapped[dict | None] = mapped_column(JSON)

    @property
    def kind_label(self) -> str:
        """Public safety or quality of life."""
        return PRIORITY_KINDS.get(self.kind, self.kind)

    @property
    def source_label(self) -> str:
        """Where the priority came from, as shown to people."""
        return PRIORITY_SOURCES.get(self.source, self.source)


class Priority(PriorityFieldsMixin, IdMixin, PlanItemMixin, db.Model):
    """A public safety or quality-of-life priority chosen with community input."""

    __tablename__ = "plan_priorities"

    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), index=True)

    plan: Mapped[Plan] = relationship(back_populates="priorities")


class Problem(IdMixin, PlanItemMixin, db.Model):
    """A problem worked with SARA (scanning, analysis, response, assessment)."""

    __tablename__ = "plan_problems"

    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    priority_id: Mapped[int | None] = mapped_column(
        ForeignKey("plan_priorities.id", ondelete="SET NULL"), index=True
    )
    title: Mapped[str] = mapped_column(String(200))
    sara_stage: Mapped[str] = mapped_column(String(20), default="scanning")
    location: Mapped[str] = mapped_column(String(255), default="")
    scanning_notes: Mapped[str] = mapped_column(Text, default="")
    analysis_notes: Mapped[str] = mapped_column(Text, default="")
    response_notes: Mapped[str] = mapped_column(Text, default="")
    assessment_notes: Mapped[str] = mapped_column(Text, default="")
    is_internal: Mapped[bool] = mapped_column(default=False)

    plan: Mapped[Plan] = relationship(back_populates="problems")
    priority: Mapped[Priority | None] = relationship()

    @property
    def stage_label(self) -> str:
        """The SARA stage as shown to people."""
        return SARA_STAGES.get(self.sara_stage, self.sara_stage)


class PlannedResponse(IdMixin, PlanItemMixin, db.Model):
    """A planned response to a problem: prevention, partnership or enforcement."""

    __tablename__ = "plan_responses"

    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    problem_id: Mapped[int] = mapped_column(
        ForeignKey("plan_problems.id", ondelete="CASCADE"), index=True
    )
    description: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(20))
    owner_member_id: Mapped[int | None] = mapped_column(
        ForeignKey("members.id", ondelete="SET NULL"), index=True
    )
    start_on: Mapped[date | None]
    due_on: Mapped[date | None]
    status: Mapped[str] = mapped_column(String(20), default="planned")

    plan: Mapped[Plan] = relationship(back_populates="responses")
    problem: Mapped[Problem] = relationship()
    owner: Mapped[Member | None] = relationship()

    @property
    def kind_label(self) -> str:
        """Prevention, partnership or enforcement."""
        return RESPONSE_KINDS.get(self.kind, self.kind)

    @property
    def status_label(self) -> str:
        """The status as shown to people."""
        return RESPONSE_STATUSES.get(self.status, self.status)

    @property
    def is_prevention_first(self) -> bool:
        """Whether the response is prevention or partnership rather than enforcement."""
        return self.kind in PREVENTION_FIRST_KINDS


UPDATE_STATUSES = {
    "draft": "Draft",
    "submitted": "Submitted",
    "returned": "Returned with comments",
    "approved": "Approved",
    "published": "Published",
}
ASSESSMENTS = {
    "effective": "Effective",
    "partly": "Partly effective",
    "not_effective": "Not effective",
    "too_early": "Too early to tell",
}
DECISIONS = {"keep": "Keep", "modify": "Modify", "drop": "Drop"}
CHANGE_BASES = {
    "result_based": "Result-based",
    "community_input_based": "Community-input-based",
}
SHARING_CHANNELS = {
    "public_page": "Public page",
    "meeting": "Community meeting",
    "newsletter": "Newsletter",
    "social_media": "Social media",
    "other": "Other",
}
FEEDBACK_SOURCE_KINDS = {"survey": "Survey", "meeting": "Meeting", "other": "Other"}


class PlanUpdate(IdMixin, TimestampMixin, db.Model):
    """The semi-annual update of a station's plan, with the policy's four elements."""

    __tablename__ = "plan_updates"
    __table_args__ = (UniqueConstraint("station_id", "due_on"),)

    station_id: Mapped[int] = mapped_column(ForeignKey("stations.id"), index=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id"), index=True)
    due_on: Mapped[date]
    period_start: Mapped[date]
    period_end: Mapped[date]
    status: Mapped[str] = mapped_column(String(20), default="draft", index=True)
    # Element 1: community feedback.
    feedback_summary: Mapped[str] = mapped_column(Text, default="")
    # Element 2: effectiveness.
    implementation_modified: Mapped[bool | None]
    implementation_reason: Mapped[str] = mapped_column(Text, default="")
    # Workflow.
    review_comments: Mapped[str] = mapped_column(Text, default="")
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    resulting_plan_id: Mapped[int | None] = mapped_column(ForeignKey("plans.id"))

    station: Mapped[Station] = relationship()
    plan: Mapped[Plan] = relationship(foreign_keys=[plan_id])
    resulting_plan: Mapped[Plan | None] = relationship(foreign_keys=[resulting_plan_id])
    feedback_sources: Mapped[list[UpdateFeedbackSource]] = relationship(
        back_populates="update", cascade="all, delete-orphan", order_by="UpdateFeedbackSource.id"
    )
    assessments: Mapped[list[ResponseAssessment]] = relationship(
        back_populates="update", cascade="all, delete-orphan", order_by="ResponseAssessment.id"
    )
    changes: Mapped[list[ResponseChange]] = relationship(
        back_populates="update", cascade="all, delete-orphan", order_by="ResponseChange.id"
    )
    sharing: Mapped[list[UpdateSharing]] = relationship(
        back_populates="update", cascade="all, delete-orphan", order_by="UpdateSharing.shared_on"
    )
    proposed_priorities: Mapped[list[ProposedPriority]] = relationship(
        back_populates="update", cascade="all, delete-orphan", order_by="ProposedPriority.id"
    )

    @property
    def status_label(self) -> str:
        """The status as shown to people."""
        return UPDATE_STATUSES.get(self.status, self.status)

    @property
    def is_editable(self) -> bool:
        """Whether the commander can still change the update."""
        return self.status in {"draft", "returned"}


class UpdateFeedbackSource(IdMixin, db.Model):
    """A survey, meeting or other source that element 1's summary rests on."""

    __tablename__ = "plan_update_feedback_sources"

    update_id: Mapped[int] = mapped_column(
        ForeignKey("plan_updates.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(20))
    reference: Mapped[str] = mapped_column(String(255))
    held_on: Mapped[date | None]
    headline: Mapped[str] = mapped_column(Text, default="")
    survey_id: Mapped[int | None] = mapped_column(ForeignKey("surveys.id", ondelete="SET NULL"))
    meeting_id: Mapped[int | None] = mapped_column(
        ForeignKey("meetings.id", ondelete="SET NULL"))

    update: Mapped[PlanUpdate] = relationship(back_populates="feedback_sources")

    @property
    def kind_label(self) -> str:
        """Survey, meeting or other."""
        return FEEDBACK_SOURCE_KINDS.get(self.kind, self.kind)


class ResponseAssessment(IdMixin, db.Model):
    """Element 2: how effective a current response has been, and what to do with it."""

    __tablename__ = "plan_response_assessments"
    __table_args__ = (UniqueConstraint("update_id", "response_id"),)

    update_id: Mapped[int] = mapped_column(
        ForeignKey("plan_updates.id", ondelete="CASCADE"), index=True
    )
    response_id: Mapped[int] = mapped_column(ForeignKey("plan_responses.id"), index=True)
    assessment: Mapped[str] = mapped_column(String(20))
    evidence: Mapped[str] = mapped_column(Text, default="")
    decision: Mapped[str] = mapped_column(String(10))

    update: Mapped[PlanUpdate] = relationship(back_populates="assessments")
    response: Mapped[PlannedResponse] = relationship()

    @property
    def assessment_label(self) -> str:
        """The assessment as shown to people."""
        return ASSESSMENTS.get(self.assessment, self.assessment)

    @property
    def decision_label(self) -> str:
        """Keep, modify or drop."""
        return DECISIONS.get(self.decision, self.decision)


class ResponseChange(IdMixin, db.Model):
    """Element 3: a new or modified planned response, result-based or community-input-based."""

    __tablename__ = "plan_response_changes"

    update_id: Mapped[int] = mapped_column(
        ForeignKey("plan_updates.id", ondelete="CASCADE"), index=True
    )
    modifies_response_id: Mapped[int | None] = mapped_column(ForeignKey("plan_responses.id"))
    problem_id: Mapped[int] = mapped_column(ForeignKey("plan_problems.id"))
    description: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(20))
    owner_member_id: Mapped[int | None] = mapped_column(
        ForeignKey("members.id", ondelete="SET NULL")
    )
    start_on: Mapped[date | None]
    due_on: Mapped[date | None]
    basis: Mapped[str] = mapped_column(String(30))
    rationale: Mapped[str] = mapped_column(Text)

    update: Mapped[PlanUpdate] = relationship(back_populates="changes")
    modifies_response: Mapped[PlannedResponse | None] = relationship()
    problem: Mapped[Problem] = relationship()
    owner: Mapped[Member | None] = relationship()

    @property
    def is_new(self) -> bool:
        """Whether the change adds a response rather than modifying one."""
        return self.modifies_response_id is None

    @property
    def basis_label(self) -> str:
        """Result-based or community-input-based."""
        return CHANGE_BASES.get(self.basis, self.basis)

    @property
    def kind_label(self) -> str:
        """Prevention, partnership or enforcement."""
        return RESPONSE_KINDS.get(self.kind, self.kind)


class UpdateSharing(IdMixin, db.Model):
    """Element 4: how and when the update was shared with the community."""

    __tablename__ = "plan_update_sharing"

    update_id: Mapped[int] = mapped_column(
        ForeignKey("plan_updates.id", ondelete="CASCADE"), index=True
    )
    channel: Mapped[str] = mapped_column(String(20))
    shared_on: Mapped[date]
    details: Mapped[str] = mapped_column(Text, default="")
    recorded_automatically: Mapped[bool] = mapped_column(default=False)

    update: Mapped[PlanUpdate] = relationship(back_populates="sharing")

    @property
    def channel_label(self) -> str:
        """The channel as shown to people."""
        return SHARING_CHANNELS.get(self.channel, self.channel)


class ProposedPriority(PriorityFieldsMixin, IdMixin, db.Model):
    """A priority raised by community feedback during an update; it joins the plan's next
    version when the update is approved."""

    __tablename__ = "plan_update_proposed_priorities"

    update_id: Mapped[int] = mapped_column(
        ForeignKey("plan_updates.id", ondelete="CASCADE"), index=True
    )

    update: Mapped[PlanUpdate] = relationship(back_populates="proposed_priorities")
