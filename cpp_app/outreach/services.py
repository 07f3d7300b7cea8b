"""Stakeholders, the outreach log and follow-ups, and coverage of stakeholder kinds."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from email_validator import EmailNotValidError, validate_email
from sqlalchemy import Select, and_, exists, extract, func, select
from sqlalchemy.orm import selectinload

from cpp_app.audit import services as audit
from cpp_app.clock import add_months
from cpp_app.errors import ServiceError
from cpp_app.extensions import db
from cpp_app.outreach.models import (
    OutreachContact,
    OutreachMethod,
    Stakeholder,
    StakeholderContact,
    StakeholderKind,
)
from cpp_app.stations.languages import language_names
from cpp_app.stations.models import Member, Station

_PHONE_ALLOWED = re.compile(r"^[+\d\s().\-/x]+$")


class OutreachError(ServiceError):
    """An outreach change that cannot be made, with a message saying why."""


# --- Validation ----------------------------------------------------------------------------


def clean_email(text: str) -> str:
    """A normalised email address, or '' when empty; refuses malformed ones."""
    text = (text or "").strip()
    if not text:
        return ""
    try:
        return validate_email(text, check_deliverability=False).normalized
    except EmailNotValidError as error:
        raise OutreachError(f"The email {text!r} is not valid: {error}", "email") from error


def clean_phone(text: str) -> str:
    """A phone number of 7 to 15 digits, kept as typed; refuses anything else."""
    text = (text or "").strip()
    if not text:
        return ""
    digits = re.sub(r"\D", "", text.split("x")[0])
    if not _PHONE_ALLOWED.match(text) or not 7 <= len(digits) <= 15:
        raise OutreachError(f"The phone number {text!r} should have 7 to 15 digits.", "phone")
    return text


def clean_languages(codes: list[str]) -> list[str]:
    """Known language codes, de-duplicated and sorted."""
    unknown = [code for code in codes if code not in language_names()]
    if unknown:
        raise OutreachError(f"Unknown language code(s): {', '.join(unknown)}.", "languages")
    return sorted(set(codes))


# --- Stakeholders --------------------------------------------------------------------------


@dataclass
class ContactDetails:
    """A contact person at a stakeholder."""

    name: str
    role: str = ""
    email: str = ""
    phone: str = ""


@dataclass
class StakeholderDetails:
    """What staff record about a stakeholder."""

    station_id: int
    name: str
    kind: str
    languages: list[str] = field(default_factory=list)
    may_distrust_police: bool = False
    notes: str = ""
    active: bool = True
    contacts: list[ContactDetails] = field(default_factory=list)


def stakeholder_query(station_id: int | None = None, kind: str = "", search: str = "",
                      active: bool | None = True) -> Select:
    """Stakeholders by name, with station and contacts loaded."""
    query = (select(Stakeholder)
             .options(selectinload(Stakeholder.station), selectinload(Stakeholder.contacts))
             .order_by(Stakeholder.name))
    if station_id is not None:
        query = query.where(Stakeholder.station_id == station_id)
    if kind:
        query = query.where(Stakeholder.kind == kind)
    if search:
        query = query.where(func.lower(Stakeholder.name).contains(search.strip().lower()))
    if active is not None:
        query = query.where(Stakeholder.active == active)
    return query


def find_stakeholder(station_id: int, name: str) -> Stakeholder | None:
    """The station's stakeholder with this name (case and spacing ignored)."""
    key = " ".join(name.split()).lower()
    return db.session.scalar(select(Stakeholder).where(
        Stakeholder.station_id == station_id, func.lower(Stakeholder.name) == key))


def check_stakeholder(details: StakeholderDetails, stakeholder: Stakeholder | None) -> None:
    """Refuse details that cannot be saved."""
    if db.session.get(Station, details.station_id) is None:
        raise OutreachError("Choose a station.", "station_id")
    if not details.name.strip():
        raise OutreachError("Give the organisation's name.", "name")
    if not StakeholderKind.has_value(details.kind):
        raise OutreachError("Choose the kind of organisation.", "kind")
    same = find_stakeholder(details.station_id, details.name)
    if same is not None and same is not stakeholder:
        raise OutreachError(f"{same.name} is already in this station's directory.", "name")
    details.languages = clean_languages(details.languages)
    for contact in details.contacts:
        if not contact.name.strip():
            raise OutreachError("Every contact needs a name.", "contacts")
        contact.email = clean_email(contact.email)
        contact.phone = clean_phone(contact.phone)


def save_stakeholder(details: StakeholderDetails,
                     stakeholder: Stakeholder | None = None) -> Stakeholder:
    """Add a stakeholder to a station's directory, or change one."""
    check_stakeholder(details, stakeholder)
    before = stakeholder.audit_snapshot() if stakeholder else None
    if stakeholder is None:
        stakeholder = Stakeholder()
        db.session.add(stakeholder)
    apply_stakeholder(stakeholder, details)
    db.session.flush()
    audit.record("stakeholder." + ("update" if before else "create"), stakeholder,
                 before=before, station_id=stakeholder.station_id, summary=stakeholder.name)
    db.session.commit()
    return stakeholder


def apply_stakeholder(stakeholder: Stakeholder, details: StakeholderDetails) -> None:
    """Copy checked details onto a stakeholder (contacts replaced)."""
    stakeholder.station_id = details.station_id
    stakeholder.name = " ".join(details.name.split())
    stakeholder.kind = details.kind
    stakeholder.languages = details.languages
    stakeholder.may_distrust_police = details.may_distrust_police
    stakeholder.notes = details.notes.strip()
    stakeholder.active = details.active
    stakeholder.contacts = [StakeholderContact(name=c.name.strip(), role=c.role.strip(),
                                               email=c.email, phone=c.phone)
                            for c in details.contacts]


# --- Outreach log --------------------------------------------------------------------------


@dataclass
class OutreachDetails:
    """One outreach as staff record it."""

    stakeholder_id: int
    contacted_on: date
    method: str
    purpose: str
    member_ids: list[int] = field(default_factory=list)
    outcome: str = ""
    critical_comments: str = ""
    critical_response: str = ""
    follow_up_on: date | None = None


def outreach_query(station_id: int | None = None, stakeholder_id: int | None = None) -> Select:
    """Outreach newest first, with stakeholder, station and members loaded."""
    query = (select(OutreachContact)
             .options(selectinload(OutreachContact.stakeholder),
                      selectinload(OutreachContact.station),
                      selectinload(OutreachContact.members))
             .order_by(OutreachContact.contacted_on.desc(), OutreachContact.id.desc()))
    if station_id is not None:
        query = query.where(OutreachContact.station_id == station_id)
    if stakeholder_id is not None:
        query = query.where(OutreachContact.stakeholder_id == stakeholder_id)
    return query


def log_outreach(details: OutreachDetails, logged_by_id: int | None) -> OutreachContact:
    """Record an outreach to a stakeholder (at the stakeholder's station)."""
    stakeholder = db.session.get(Stakeholder, details.stakeholder_id)
    if stakeholder is None:
        raise OutreachError("Choose a stakeholder.", "stakeholder_id")
    if not OutreachMethod.has_value(details.method):
        raise OutreachError("Choose how the contact was made.", "method")
    if not details.purpose.strip():
        raise OutreachError("Say what the outreach was for.", "purpose")
    if details.follow_up_on and details.follow_up_on < details.contacted_on:
        raise OutreachError("The follow-up cannot be before the contact.", "follow_up_on")
    members = list(db.session.scalars(select(Member).where(Member.id.in_(details.member_ids))))
    if len(members) != len(set(details.member_ids)):
        raise OutreachError("One of the members involved is not in the department.", "members")
    contact = OutreachContact(
        station_id=stakeholder.station_id, stakeholder_id=stakeholder.id,
        contacted_on=details.contacted_on, method=details.method,
        purpose=details.purpose.strip(), outcome=details.outcome.strip(),
        critical_comments=details.critical_comments.strip(),
        critical_response=details.critical_response.strip(),
        follow_up_on=details.follow_up_on, logged_by_id=logged_by_id, members=members)
    db.session.add(contact)
    db.session.flush()
    audit.record("outreach.create", contact, station_id=contact.station_id,
                 summary=f"{stakeholder.name} ({details.method})")
    db.session.commit()
    return contact


def complete_follow_up(contact: OutreachContact) -> None:
    """Mark an outreach's follow-up as done."""
    before = contact.audit_snapshot()
    contact.follow_up_done = True
    audit.record("outreach.follow_up_done", contact, before=before,
                 station_id=contact.station_id)
    db.session.commit()


def overdue_follow_ups(today: date, station_id: int | None = None) -> list[OutreachContact]:
    """Follow-ups due before today and not done, oldest first."""
    query = outreach_query(station_id).where(
        OutreachContact.follow_up_on < today, OutreachContact.follow_up_done.is_(False))
    return list(db.session.scalars(query.order_by(None).order_by(OutreachContact.follow_up_on)))


# --- Coverage ------------------------------------------------------------------------------


@dataclass
class Coverage:
    """Outreach counts by stakeholder kind and month, and the gaps they show."""

    months: list[date]
    counts: dict[str, dict[date, int]]
    kinds_without_outreach: list[str]
    unreached_flagged: list[Stakeholder]

    def total(self, kind: str) -> int:
        """Outreach to a kind over the whole window."""
        return sum(self.counts.get(kind, {}).values())


def coverage(today: date, months: int, station_id: int | None = None) -> Coverage:
    """Kinds × months for the last `months` months (this month included), in two queries."""
    first_month = add_months(today.replace(day=1), -(months - 1))
    month_list = [add_months(first_month, n) for n in range(months)]
    year = extract("year", OutreachContact.contacted_on)
    month = extract("month", OutreachContact.contacted_on)
    query = (select(Stakeholder.kind, year, month, func.count())
             .join(Stakeholder, Stakeholder.id == OutreachContact.stakeholder_id)
             .where(OutreachContact.contacted_on >= first_month,
                    OutreachContact.contacted_on <= today)
             .group_by(Stakeholder.kind, year, month))
    if station_id is not None:
        query = query.where(OutreachContact.station_id == station_id)
    counts: dict[str, dict[date, int]] = {kind: {} for kind in StakeholderKind}
    for kind, row_year, row_month, count in db.session.execute(query):
        counts.setdefault(kind, {})[date(int(row_year), int(row_month), 1)] = count
    return Coverage(
        months=month_list, counts=counts,
        kinds_without_outreach=[kind for kind in StakeholderKind if not counts.get(kind)],
        unreached_flagged=unreached_flagged(first_month, today, station_id),
    )


def unreached_flagged(since: date, today: date, station_id: int | None) -> list[Stakeholder]:
    """Active stakeholders speaking for communities that may distrust police, not reached."""
    reached = exists().where(and_(OutreachContact.stakeholder_id == Stakeholder.id,
                                  OutreachContact.contacted_on >= since,
                                  OutreachContact.contacted_on <= today))
    query = (select(Stakeholder).options(selectinload(Stakeholder.station))
             .where(Stakeholder.may_distrust_police, Stakeholder.active, ~reached)
             .order_by(Stakeholder.name))
    if station_id is not None:
        query = query.where(Stakeholder.station_id == station_id)
    return list(db.session.scalars(query))

