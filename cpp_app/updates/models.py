"""The semi-annual update of a station's plan: the policy's four elements and the workflow."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cpp_app.extensions import db
from cpp_app.models import IdMixin, TimestampMixin, UTCDateTime
from cpp_app.plans.models import (
    Plan,
    PlannedResponse,
    PriorityFieldsMixin,
    Problem,
    ResponseKind,
)
from cpp_app.stations.models import Member, Station

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
        return ResponseKind.label_of(self.kind)


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
