"""A station's Community Policing Plan: versions, priorities, SARA problems, planned responses."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cpp_app.auth.models import User
from cpp_app.enums import LabelledEnum
from cpp_app.extensions import db
from cpp_app.models import IdMixin, TimestampMixin, TranslationsMixin
from cpp_app.stations.models import Member, Station


class PriorityKind(LabelledEnum):
    """Whether a priority is about public safety or quality of life."""

    PUBLIC_SAFETY = "public_safety", "Public safety"
    QUALITY_OF_LIFE = "quality_of_life", "Quality of life"


class PrioritySource(LabelledEnum):
    """Where a priority came from."""

    SURVEY = "survey", "Community survey"
    MEETING = "meeting", "Community meeting"
    CRIME_DATA = "crime_data", "Crime data"
    STAFF = "staff", "Station staff"
    STAKEHOLDER = "stakeholder", "Stakeholder"


class SaraStage(LabelledEnum):
    """How far a problem has been worked with SARA."""

    SCANNING = "scanning", "Scanning"
    ANALYSIS = "analysis", "Analysis"
    RESPONSE = "response", "Response"
    ASSESSMENT = "assessment", "Assessment"


class ResponseKind(LabelledEnum):
    """What kind of planned response: prevention, partnership or enforcement."""

    PREVENTION = "prevention", "Prevention"
    PARTNERSHIP = "partnership", "Partnership"
    ENFORCEMENT = "enforcement", "Enforcement"


#: The kinds of response that put prevention first (the plan's prevention share counts them).
PREVENTION_FIRST_KINDS = frozenset({ResponseKind.PREVENTION, ResponseKind.PARTNERSHIP})


class ResponseStatus(LabelledEnum):
    """Where a planned response stands."""

    PLANNED = "planned", "Planned"
    IN_PROGRESS = "in_progress", "In progress"
    DONE = "done", "Done"
    ON_HOLD = "on_hold", "On hold"
    CANCELLED = "cancelled", "Cancelled"


class PlanStatus(LabelledEnum):
    """A plan version's life: a draft until adopted, then active until superseded."""

    DRAFT = "draft", "Draft"
    ACTIVE = "active", "Active"
    SUPERSEDED = "superseded", "Superseded"


def new_lineage_key() -> str:
    """A key that follows an item from one plan version to the next."""
    return uuid.uuid4().hex


class Plan(TranslationsMixin, IdMixin, TimestampMixin, db.Model):
    """One version of a station's plan: a draft until adopted, then active until superseded."""

    __tablename__ = "plans"
    __translated_fields__ = ("summary",)
    __table_args__ = (
        UniqueConstraint("station_id", "version"),
        Index(
            "uq_plans_one_active_per_station", "station_id", unique=True,
            sqlite_where=text("status = 'active'"), postgresql_where=text("status = 'active'"),
        ),
    )

    station_id: Mapped[int] = mapped_column(ForeignKey("stations.id"), index=True)
    version: Mapped[int] = mapped_column(default=1)
    status: Mapped[str] = mapped_column(String(20), default=PlanStatus.DRAFT, index=True)
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
        return self.status == PlanStatus.DRAFT

    @property
    def status_label(self) -> str:
        """The status as shown to people."""
        return PlanStatus.label_of(self.status)

    @property
    def prevention_share(self) -> float | None:
        """Share of live responses that are prevention or partnership (None if none)."""
        live = [r for r in self.responses if r.status != ResponseStatus.CANCELLED]
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
        return PriorityKind.label_of(self.kind)

    @property
    def source_label(self) -> str:
        """Where the priority came from, as shown to people."""
        return PrioritySource.label_of(self.source)


class Priority(TranslationsMixin, PriorityFieldsMixin, IdMixin, PlanItemMixin, db.Model):
    """A public safety or quality-of-life priority chosen with community input."""

    __tablename__ = "plan_priorities"
    __translated_fields__ = ("title", "description")

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
    sara_stage: Mapped[str] = mapped_column(String(20), default=SaraStage.SCANNING)
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
        return SaraStage.label_of(self.sara_stage)


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
    status: Mapped[str] = mapped_column(String(20), default=ResponseStatus.PLANNED)

    plan: Mapped[Plan] = relationship(back_populates="responses")
    problem: Mapped[Problem] = relationship()
    owner: Mapped[Member | None] = relationship()

    @property
    def kind_label(self) -> str:
        """Prevention, partnership or enforcement."""
        return ResponseKind.label_of(self.kind)

    @property
    def status_label(self) -> str:
        """The status as shown to people."""
        return ResponseStatus.label_of(self.status)

    @property
    def is_prevention_first(self) -> bool:
        """Whether the response is prevention or partnership rather than enforcement."""
        return self.kind in PREVENTION_FIRST_KINDS
