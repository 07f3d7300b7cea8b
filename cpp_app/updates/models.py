"""The semi-annual update of a station's plan: the policy's four elements and the workflow."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cpp_app.enums import LabelledEnum
from cpp_app.extensions import db
from cpp_app.models import IdMixin, TimestampMixin, TranslationsMixin, UTCDateTime
from cpp_app.plans.models import (
    Plan,
    PlannedResponse,
    Priority,
    PriorityFieldsMixin,
    Problem,
    ResponseKind,
    SaraStage,
)
from cpp_app.stations.models import Member, Station


class UpdateStatus(LabelledEnum):
    """The update's workflow: draft → submitted → approved (or returned) → published."""

    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"
    RETURNED = "returned", "Returned with comments"
    APPROVED = "approved", "Approved"
    PUBLISHED = "published", "Published"


#: An update the commander can still change.
EDITABLE_UPDATE_STATUSES = frozenset({UpdateStatus.DRAFT, UpdateStatus.RETURNED})
#: An update in progress: not yet approved.
OPEN_UPDATE_STATUSES = EDITABLE_UPDATE_STATUSES | {UpdateStatus.SUBMITTED}
#: An update whose changes are in the plan: it counts as done for the schedule.
COMPLETED_UPDATE_STATUSES = frozenset({UpdateStatus.APPROVED, UpdateStatus.PUBLISHED})


class Assessment(LabelledEnum):
    """How effective a response has been."""

    EFFECTIVE = "effective", "Effective"
    PARTLY = "partly", "Partly effective"
    NOT_EFFECTIVE = "not_effective", "Not effective"
    TOO_EARLY = "too_early", "Too early to tell"


class Decision(LabelledEnum):
    """What the update does with a current response."""

    KEEP = "keep", "Keep"
    MODIFY = "modify", "Modify"
    DROP = "drop", "Drop"


class ChangeBasis(LabelledEnum):
    """What a new or modified response rests on."""

    RESULT_BASED = "result_based", "Result-based"
    COMMUNITY_INPUT_BASED = "community_input_based", "Community-input-based"


class SharingChannel(LabelledEnum):
    """How an update is shared with the community."""

    PUBLIC_PAGE = "public_page", "Public page"
    MEETING = "meeting", "Community meeting"
    NEWSLETTER = "newsletter", "Newsletter"
    SOCIAL_MEDIA = "social_media", "Social media"
    OTHER = "other", "Other"


#: The channel recorded automatically when the update is published, never by hand.
AUTOMATIC_SHARING_CHANNELS = frozenset({SharingChannel.PUBLIC_PAGE})


class FeedbackSourceKind(LabelledEnum):
    """What element 1's summary rests on."""

    SURVEY = "survey", "Survey"
    MEETING = "meeting", "Meeting"
    OTHER = "other", "Other"


class PlanUpdate(IdMixin, TimestampMixin, db.Model):
    """The semi-annual update of a station's plan, with the policy's four elements."""

    __tablename__ = "plan_updates"
    __table_args__ = (UniqueConstraint("station_id", "due_on"),)

    station_id: Mapped[int] = mapped_column(ForeignKey("stations.id"), index=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id"), index=True)
    due_on: Mapped[date]
    period_start: Mapped[date]
    period_end: Mapped[date]
    status: Mapped[str] = mapped_column(String(20), default=UpdateStatus.DRAFT, index=True)
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
    # The figures the update cites, frozen when it is submitted (see updates/figures.py).
    cited_figures: Mapped[dict | None] = mapped_column(JSON)
    figures_frozen_on: Mapped[date | None]

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
    proposed_problems: Mapped[list[ProposedProblem]] = relationship(
        back_populates="update", cascade="all, delete-orphan", order_by="ProposedProblem.id"
    )

    @property
    def status_label(self) -> str:
        """The status as shown to people."""
        return UpdateStatus.label_of(self.status)

    @property
    def is_editable(self) -> bool:
        """Whether the commander can still change the update."""
        return self.status in EDITABLE_UPDATE_STATUSES


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
        return FeedbackSourceKind.label_of(self.kind)


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
        return Assessment.label_of(self.assessment)

    @property
    def decision_label(self) -> str:
        """Keep, modify or drop."""
        return Decision.label_of(self.decision)


class BasedOnMixin:
    """What element 3 asks of each new item: result-based or community-input-based (`basis`)."""

    @property
    def basis_label(self) -> str:
        """Result-based or community-input-based."""
        return ChangeBasis.label_of(self.basis)

    @property
    def is_community_input_based(self) -> bool:
        """Whether it was made because of what the community said."""
        return self.basis == ChangeBasis.COMMUNITY_INPUT_BASED


class ResponseChange(BasedOnMixin, TranslationsMixin, IdMixin, db.Model):
    """Element 3: a new or modified planned response, result-based or community-input-based."""

    __tablename__ = "plan_response_changes"
    __translated_fields__ = ("rationale", "description")

    update_id: Mapped[int] = mapped_column(
        ForeignKey("plan_updates.id", ondelete="CASCADE"), index=True
    )
    modifies_response_id: Mapped[int | None] = mapped_column(ForeignKey("plan_responses.id"))
    problem_id: Mapped[int | None] = mapped_column(ForeignKey("plan_problems.id"))
    proposed_problem_id: Mapped[int | None] = mapped_column(
        ForeignKey("plan_update_proposed_problems.id", ondelete="CASCADE"), index=True
    )
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
    problem: Mapped[Problem | None] = relationship()
    proposed_problem: Mapped[ProposedProblem | None] = relationship(back_populates="changes")
    owner: Mapped[Member | None] = relationship()

    @property
    def problem_title(self) -> str:
        """The title of the problem the change answers, in the plan or new in the update."""
        target = self.problem or self.proposed_problem
        return target.title if target is not None else ""

    @property
    def is_internal(self) -> bool:
        """Whether the change concerns an internal-only problem (new problems are public)."""
        return self.problem is not None and self.problem.is_internal

    @property
    def is_new(self) -> bool:
        """Whether the change adds a response rather than modifying one."""
        return self.modifies_response_id is None

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
        return SharingChannel.label_of(self.channel)


class ProposedPriority(BasedOnMixin, PriorityFieldsMixin, IdMixin, db.Model):
    """A priority raised by community feedback during an update.

    It joins the plan's next version when the update is approved.
    """

    __tablename__ = "plan_update_proposed_priorities"

    update_id: Mapped[int] = mapped_column(
        ForeignKey("plan_updates.id", ondelete="CASCADE"), index=True
    )
    basis: Mapped[str] = mapped_column(String(30), default=ChangeBasis.COMMUNITY_INPUT_BASED)
    rationale: Mapped[str] = mapped_column(Text, default="")

    update: Mapped[PlanUpdate] = relationship(back_populates="proposed_priorities")


class ProposedProblem(BasedOnMixin, IdMixin, db.Model):
    """Element 3: a new SARA problem typed in the update, with the responses planned for it.

    It joins the plan's next version when the update is approved, under an existing priority
    or one proposed in the same update.
    """

    __tablename__ = "plan_update_proposed_problems"

    update_id: Mapped[int] = mapped_column(
        ForeignKey("plan_updates.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(String(200))
    sara_stage: Mapped[str] = mapped_column(String(20), default=SaraStage.SCANNING)
    location: Mapped[str] = mapped_column(String(255), default="")
    analysis_notes: Mapped[str] = mapped_column(Text, default="")
    priority_id: Mapped[int | None] = mapped_column(
        ForeignKey("plan_priorities.id", ondelete="SET NULL"))
    proposed_priority_id: Mapped[int | None] = mapped_column(
        ForeignKey("plan_update_proposed_priorities.id", ondelete="SET NULL"))
    basis: Mapped[str] = mapped_column(String(30))
    rationale: Mapped[str] = mapped_column(Text)

    update: Mapped[PlanUpdate] = relationship(back_populates="proposed_problems")
    priority: Mapped[Priority | None] = relationship()
    proposed_priority: Mapped[ProposedPriority | None] = relationship()
    changes: Mapped[list[ResponseChange]] = relationship(back_populates="proposed_problem",
                                                         passive_deletes=True)

    @property
    def priority_title(self) -> str:
        """The title of the priority the problem serves, if any."""
        target = self.priority or self.proposed_priority
        return target.title if target is not None else ""

    @property
    def stage_label(self) -> str:
        """The SARA stage as shown to people."""
        return SaraStage.label_of(self.sara_stage)
