"""Patrol stations and the department's members (personnel) with the languages they speak."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cpp_app.enums import LabelledEnum
from cpp_app.extensions import db
from cpp_app.models import IdMixin, TimestampMixin


class EmploymentType(LabelledEnum):
    """Whether a member is sworn or professional staff."""

    SWORN = "sworn", "Sworn"
    PROFESSIONAL = "professional", "Professional staff"


class Station(IdMixin, TimestampMixin, db.Model):
    """A patrol station: the unit that owns a Community Policing Plan."""

    __tablename__ = "stations"

    code: Mapped[str] = mapped_column(String(20), unique=True, index=True)
    name: Mapped[str] = mapped_column(String(120))
    area_served: Mapped[str] = mapped_column(Text, default="")
    commander_member_id: Mapped[int | None] = mapped_column(
        ForeignKey("members.id", use_alter=True, ondelete="SET NULL")
    )

    commander: Mapped[Member | None] = relationship(
        foreign_keys=[commander_member_id], post_update=True
    )

    def __repr__(self) -> str:
        return f"<Station {self.code}>"

    @property
    def label(self) -> str:
        """Code and name, as shown in lists and choices."""
        return f"{self.code} · {self.name}"


class Member(IdMixin, TimestampMixin, db.Model):
    """A department member, sworn or professional, identified by shield number."""

    __tablename__ = "members"

    shield_number: Mapped[str] = mapped_column(String(20), unique=True, index=True)
    first_name: Mapped[str] = mapped_column(String(80))
    last_name: Mapped[str] = mapped_column(String(80), index=True)
    station_id: Mapped[int | None] = mapped_column(ForeignKey("stations.id"), index=True)
    employment_type: Mapped[str] = mapped_column(String(20), default=EmploymentType.SWORN)
    assigned_to_patrol: Mapped[bool] = mapped_column(default=False)
    start_date: Mapped[date | None]
    active: Mapped[bool] = mapped_column(default=True, index=True)

    station: Mapped[Station | None] = relationship(foreign_keys=[station_id])
    languages: Mapped[list[MemberLanguage]] = relationship(
        back_populates="member",
        cascade="all, delete-orphan",
        order_by="MemberLanguage.language_code",
    )

    def __repr__(self) -> str:
        return f"<Member {self.shield_number}>"

    @property
    def full_name(self) -> str:
        """First and last name."""
        return f"{self.first_name} {self.last_name}"

    @property
    def label(self) -> str:
        """Shield number and name, as shown in lists and choices."""
        return f"#{self.shield_number} {self.full_name}"

    @property
    def language_codes(self) -> list[str]:
        """The codes of the languages the member speaks, sorted."""
        return sorted(language.language_code for language in self.languages)

    @property
    def employment_label(self) -> str:
        """Sworn or professional, as shown to people."""
        return EmploymentType.label_of(self.employment_type)

    def audit_snapshot(self) -> dict[str, Any]:
        """Column values plus the languages spoken."""
        snapshot = super().audit_snapshot()
        snapshot["languages"] = self.language_codes
        return snapshot


class MemberLanguage(db.Model):
    """A language a member speaks (other than English, or English too if recorded)."""

    __tablename__ = "member_languages"
    __table_args__ = (UniqueConstraint("member_id", "language_code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"))
    language_code: Mapped[str] = mapped_column(String(16), index=True)

    member: Mapped[Member] = relationship(back_populates="languages")
