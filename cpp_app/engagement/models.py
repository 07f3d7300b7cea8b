"""Engagement records and the rules that link them to stations and plan problems.

The records follow the Norman PD Community Engagement format.
"""

from __future__ import annotations

from datetime import date, time

from sqlalchemy import ForeignKey, String, Time
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cpp_app.extensions import db
from cpp_app.models import IdMixin, TimestampMixin
from cpp_app.plans.models import Problem
from cpp_app.stations.models import Member, Station

KNOWN_CALL_TYPES = ("COP Relationships", "COP Problem Solving", "COP Activity")


class EngagementRecord(IdMixin, db.Model):
    """One community engagement activity with an official disposition."""

    __tablename__ = "engagement_records"

    occurred_on: Mapped[date] = mapped_column(index=True)
    occurred_time: Mapped[time | None] = mapped_column(Time())
    call_type: Mapped[str] = mapped_column(String(80))
    shield_number: Mapped[str] = mapped_column(String(20), default="")
    location: Mapped[str] = mapped_column(String(255), default="")
    member_id: Mapped[int | None] = mapped_column(ForeignKey("members.id", ondelete="SET NULL"))
    station_id: Mapped[int | None] = mapped_column(ForeignKey("stations.id"))
    problem_id: Mapped[int | None] = mapped_column(
        ForeignKey("plan_problems.id", ondelete="SET NULL"))
    identity: Mapped[str] = mapped_column(String(40), unique=True)
    import_batch_id: Mapped[int | None] = mapped_column(
        ForeignKey("import_batches.id", ondelete="SET NULL"))

    member: Mapped[Member | None] = relationship()
    station: Mapped[Station | None] = relationship()
    problem: Mapped[Problem | None] = relationship()


class LocationRule(IdMixin, TimestampMixin, db.Model):
    """Records at a location containing this text belong to this station (when no member says)."""

    __tablename__ = "engagement_location_rules"

    pattern: Mapped[str] = mapped_column(String(120))
    station_id: Mapped[int] = mapped_column(ForeignKey("stations.id", ondelete="CASCADE"))

    station: Mapped[Station] = relationship()


class ProblemLinkRule(IdMixin, TimestampMixin, db.Model):
    """Records at a location containing this text (of a call type, if given) belong to a problem."""

    __tablename__ = "engagement_problem_rules"

    pattern: Mapped[str] = mapped_column(String(120))
    call_type: Mapped[str] = mapped_column(String(80), default="")
    problem_id: Mapped[int] = mapped_column(ForeignKey("plan_problems.id", ondelete="CASCADE"))

    problem: Mapped[Problem] = relationship()
