"""Stakeholders a station works with, the outreach log, and volunteers who speak languages."""

from __future__ import annotations

from datetime import date

from sqlalchemy import JSON, Column, ForeignKey, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cpp_app.auth.models import User
from cpp_app.enums import LabelledEnum
from cpp_app.extensions import db
from cpp_app.models import IdMixin, TimestampMixin
from cpp_app.stations.models import Member, Station


class StakeholderKind(LabelledEnum):
    """What kind of organisation a stakeholder is."""

    CHURCH = "church", "Church"
    MOSQUE = "mosque", "Mosque"
    SYNAGOGUE = "synagogue", "Synagogue"
    ADVOCACY_GROUP = "advocacy_group", "Issue-based advocacy group"
    FRATERNAL = "fraternal", "Fraternal organisation"
    CHAMBER_OF_COMMERCE = "chamber_of_commerce", "Chamber of commerce"
    CITY_GOVERNMENT = "city_government", "City government"
    NON_PROFIT = "non_profit", "Non-profit"
    SCHOOL = "school", "School"
    BUSINESS = "business", "Business"
    NEIGHBOURHOOD_ASSOCIATION = "neighbourhood_association", "Neighbourhood association"
    OTHER = "other", "Other"


class OutreachMethod(LabelledEnum):
    """How an outreach contact was made."""

    MEETING = "meeting", "Meeting"
    CALL = "call", "Call"
    EMAIL = "email", "Email"
    EVENT = "event", "Event"
    VISIT = "visit", "Visit"
    OTHER = "other", "Other"


outreach_members = Table(
    "outreach_contact_members",
    db.metadata,
    Column("outreach_id", ForeignKey("outreach_contacts.id", ondelete="CASCADE"),
           primary_key=True),
    Column("member_id", ForeignKey("members.id", ondelete="CASCADE"), primary_key=True),
)


class Stakeholder(IdMixin, TimestampMixin, db.Model):
    """An organisation a station works with."""

    __tablename__ = "stakeholders"

    station_id: Mapped[int] = mapped_column(ForeignKey("stations.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(30), index=True)
    languages: Mapped[list] = mapped_column(JSON, default=list)
    may_distrust_police: Mapped[bool] = mapped_column(default=False)
    notes: Mapped[str] = mapped_column(Text, default="")
    active: Mapped[bool] = mapped_column(default=True)

    station: Mapped[Station] = relationship()
    contacts: Mapped[list[StakeholderContact]] = relationship(
        back_populates="stakeholder", cascade="all, delete-orphan",
        order_by="StakeholderContact.id",
    )

    @property
    def kind_label(self) -> str:
        """The kind of organisation as shown to people."""
        return StakeholderKind.label_of(self.kind)


class StakeholderContact(IdMixin, db.Model):
    """A person to reach at a stakeholder organisation."""

    __tablename__ = "stakeholder_contacts"

    stakeholder_id: Mapped[int] = mapped_column(
        ForeignKey("stakeholders.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    role: Mapped[str] = mapped_column(String(120), default="")
    email: Mapped[str] = mapped_column(String(254), default="")
    phone: Mapped[str] = mapped_column(String(40), default="")

    stakeholder: Mapped[Stakeholder] = relationship(back_populates="contacts")


class OutreachContact(IdMixin, TimestampMixin, db.Model):
    """One outreach to a stakeholder: how, why, what came of it, and any follow-up."""

    __tablename__ = "outreach_contacts"

    station_id: Mapped[int] = mapped_column(ForeignKey("stations.id"), index=True)
    stakeholder_id: Mapped[int] = mapped_column(ForeignKey("stakeholders.id"), index=True)
    contacted_on: Mapped[date] = mapped_column(index=True)
    method: Mapped[str] = mapped_column(String(20))
    purpose: Mapped[str] = mapped_column(Text)
    outcome: Mapped[str] = mapped_column(Text, default="")
    critical_comments: Mapped[str] = mapped_column(Text, default="")
    critical_response: Mapped[str] = mapped_column(Text, default="")
    follow_up_on: Mapped[date | None] = mapped_column(index=True)
    follow_up_done: Mapped[bool] = mapped_column(default=False)
    logged_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    station: Mapped[Station] = relationship()
    stakeholder: Mapped[Stakeholder] = relationship()
    logged_by: Mapped[User | None] = relationship()
    members: Mapped[list[Member]] = relationship(secondary=outreach_members)

    @property
    def method_label(self) -> str:
        """How the contact was made."""
        return OutreachMethod.label_of(self.method)

    def follow_up_overdue(self, today: date) -> bool:
        """Whether a follow-up was due before today and is not done."""
        return (self.follow_up_on is not None and not self.follow_up_done
                and self.follow_up_on < today)


class Volunteer(IdMixin, TimestampMixin, db.Model):
    """Someone outside the department who can help, for example by interpreting."""

    __tablename__ = "volunteers"

    name: Mapped[str] = mapped_column(String(120))
    station_id: Mapped[int | None] = mapped_column(ForeignKey("stations.id"), index=True)
    email: Mapped[str] = mapped_column(String(254), default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    active: Mapped[bool] = mapped_column(default=True)

    station: Mapped[Station | None] = relationship()
    languages: Mapped[list[VolunteerLanguage]] = relationship(
        back_populates="volunteer", cascade="all, delete-orphan",
        order_by="VolunteerLanguage.language_code",
    )

    @property
    def language_codes(self) -> list[str]:
        """The codes of the languages the volunteer speaks."""
        return [language.language_code for language in self.languages]


class VolunteerLanguage(IdMixin, db.Model):
    """A language a volunteer speaks."""

    __tablename__ = "volunteer_languages"
    __table_args__ = (UniqueConstraint("volunteer_id", "language_code"),)

    volunteer_id: Mapped[int] = mapped_column(
        ForeignKey("volunteers.id", ondelete="CASCADE"), index=True)
    language_code: Mapped[str] = mapped_column(String(16), index=True)

    volunteer: Mapped[Volunteer] = relationship(back_populates="languages")
