"""Stations and members: queries with filters, and audited create/update."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import selectinload

from cpp_app.audit import services as audit
from cpp_app.errors import ServiceError
from cpp_app.extensions import db
from cpp_app.stations.languages import language_names
from cpp_app.stations.models import EmploymentType, Member, MemberLanguage, Station


class StationDataError(ServiceError):
    """A station or member change that cannot be made, with a message saying why."""


# --- Stations -------------------------------------------------------------------------------


@dataclass
class StationDetails:
    """What an administrator sets on a station."""

    code: str
    name: str
    area_served: str = ""
    commander_member_id: int | None = None


def normalise_station_code(code: str) -> str:
    """Station codes are upper case without surrounding spaces."""
    return code.strip().upper()


def station_query(search: str = "", station_id: int | None = None) -> Select:
    """Stations matching a code or name search, by code, with their commanders loaded."""
    query = select(Station).options(selectinload(Station.commander)).order_by(Station.code)
    if search:
        pattern = f"%{search.strip().lower()}%"
        query = query.where(
            or_(func.lower(Station.code).like(pattern), func.lower(Station.name).like(pattern))
        )
    if station_id is not None:
        query = query.where(Station.id == station_id)
    return query


def all_stations() -> list[Station]:
    """Every station, by code (for choices and filters)."""
    return list(db.session.scalars(select(Station).order_by(Station.code)))


def station_member_counts() -> dict[int, int]:
    """Active members per station id, in one query."""
    rows = db.session.execute(
        select(Member.station_id, func.count())
        .where(Member.active)
        .group_by(Member.station_id)
    )
    return {station_id: count for station_id, count in rows if station_id is not None}


def create_station(details: StationDetails) -> Station:
    """Create a station."""
    _check_station(details, station=None)
    station = Station(
        code=normalise_station_code(details.code),
        name=details.name.strip(),
        area_served=details.area_served.strip(),
        commander_member_id=details.commander_member_id,
    )
    db.session.add(station)
    db.session.flush()
    audit.record("station.create", station, station_id=station.id, summary=station.code)
    db.session.commit()
    return station


def update_station(station: Station, details: StationDetails) -> Station:
    """Change a station's details."""
    _check_station(details, station=station)
    before = station.audit_snapshot()
    station.code = normalise_station_code(details.code)
    station.name = details.name.strip()
    station.area_served = details.area_served.strip()
    station.commander_member_id = details.commander_member_id
    audit.record("station.update", station, before=before, station_id=station.id,
                 summary=station.code)
    db.session.commit()
    return station


def _check_station(details: StationDetails, station: Station | None) -> None:
    code = normalise_station_code(details.code)
    if not code:
        raise StationDataError("Give the station a code.", "code")
    existing = db.session.scalar(select(Station).where(Station.code == code))
    if existing is not None and existing is not station:
        raise StationDataError(f"Station code {code} is already used by {existing.name}.", "code")
    if not details.name.strip():
        raise StationDataError("Give the station a name.", "name")
    if details.commander_member_id is not None:
        commander = db.session.get(Member, details.commander_member_id)
        if commander is None:
            raise StationDataError("That commander is not a department member.",
                                   "commander_member_id")
        if not commander.active:
            raise StationDataError(f"{commander.label} is not active.", "commander_member_id")


# --- Members --------------------------------------------------------------------------------


@dataclass
class MemberDetails:
    """What an administrator or an import sets on a member."""

    shield_number: str
    first_name: str
    last_name: str
    station_id: int | None = None
    employment_type: str = EmploymentType.SWORN
    assigned_to_patrol: bool = False
    start_date: date | None = None
    active: bool = True
    language_codes: list[str] = field(default_factory=list)


@dataclass
class MemberFilter:
    """Filters for the member list."""

    search: str = ""
    station_id: int | None = None
    employment_type: str = ""
    assigned_to_patrol: bool | None = None
    active: bool | None = True
    language_code: str = ""


def normalise_shield_number(shield_number: str) -> str:
    """Shield numbers are kept as text (leading zeros matter), without spaces, upper case."""
    return "".join(str(shield_number).split()).upper()


def member_query(filters: MemberFilter, scope_station_id: int | None = None) -> Select:
    """Members matching the filters, by last name, with station and languages loaded."""
    query = (
        select(Member)
        .options(selectinload(Member.station), selectinload(Member.languages))
        .order_by(Member.last_name, Member.first_name, Member.shield_number)
    )
    if scope_station_id is not None:
        query = query.where(Member.station_id == scope_station_id)
    if filters.search:
        pattern = f"%{filters.search.strip().lower()}%"
        query = query.where(
            or_(
                func.lower(Member.shield_number).like(pattern),
                func.lower(Member.first_name).like(pattern),
                func.lower(Member.last_name).like(pattern),
                func.lower(Member.first_name + " " + Member.last_name).like(pattern),
            )
        )
    if filters.station_id is not None:
        query = query.where(Member.station_id == filters.station_id)
    if filters.employment_type:
        query = query.where(Member.employment_type == filters.employment_type)
    if filters.assigned_to_patrol is not None:
        query = query.where(Member.assigned_to_patrol == filters.assigned_to_patrol)
    if filters.active is not None:
        query = query.where(Member.active == filters.active)
    if filters.language_code:
        query = query.where(
            Member.languages.any(MemberLanguage.language_code == filters.language_code)
        )
    return query


def members_for_choices(station_id: int | None = None) -> list[Member]:
    """Active members (of one station, if given), by name, for select lists."""
    query = select(Member).where(Member.active).order_by(Member.last_name, Member.first_name)
    if station_id is not None:
        query = query.where(Member.station_id == station_id)
    return list(db.session.scalars(query))


def find_member(shield_number: str) -> Member | None:
    """The member with this shield number, if any."""
    return db.session.scalar(
        select(Member).where(Member.shield_number == normalise_shield_number(shield_number))
    )


def check_member_details(details: MemberDetails, member: Member | None) -> None:
    """Raise StationDataError when the details cannot be saved."""
    shield = normalise_shield_number(details.shield_number)
    if not shield:
        raise StationDataError("Give the member's shield number.", "shield_number")
    existing = find_member(shield)
    if existing is not None and existing is not member:
        raise StationDataError(
            f"Shield number {shield} already belongs to {existing.full_name}.", "shield_number"
        )
    if not details.first_name.strip():
        raise StationDataError("Give the member's first name.", "first_name")
    if not details.last_name.strip():
        raise StationDataError("Give the member's last name.", "last_name")
    if not EmploymentType.has_value(details.employment_type):
        raise StationDataError("Choose sworn or professional.", "employment_type")
    if details.station_id is not None and db.session.get(Station, details.station_id) is None:
        raise StationDataError("That station does not exist.", "station_id")
    unknown = [code for code in details.language_codes if code not in language_names()]
    if unknown:
        raise StationDataError(f"Unknown language code(s): {', '.join(unknown)}.", "languages")


def apply_member_details(member: Member, details: MemberDetails) -> None:
    """Copy details onto a member (no checks, no audit; callers do both)."""
    member.shield_number = normalise_shield_number(details.shield_number)
    member.first_name = details.first_name.strip()
    member.last_name = details.last_name.strip()
    member.station_id = details.station_id
    member.employment_type = details.employment_type
    member.assigned_to_patrol = details.assigned_to_patrol
    member.start_date = details.start_date
    member.active = details.active
    wanted = set(details.language_codes)
    member.languages = [lang for lang in member.languages if lang.language_code in wanted]
    present = {lang.language_code for lang in member.languages}
    for code in sorted(wanted - present):
        member.languages.append(MemberLanguage(language_code=code))


def create_member(details: MemberDetails) -> Member:
    """Add a member to the department."""
    check_member_details(details, member=None)
    member = Member()
    apply_member_details(member, details)
    db.session.add(member)
    audit.record("member.create", member, station_id=member.station_id,
                 summary=member.label)
    db.session.commit()
    return member


def update_member(member: Member, details: MemberDetails) -> Member:
    """Change a member's details."""
    check_member_details(details, member=member)
    before = member.audit_snapshot()
    apply_member_details(member, details)
    audit.record("member.update", member, before=before, station_id=member.station_id,
                 summary=member.label)
    db.session.commit()
    return member
