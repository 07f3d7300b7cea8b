"""Language access: who speaks each language, the volunteer registry, suggestions for meetings.

Volunteers stay inside their station's fence: station-bound roles see and change only their
own station's volunteers, and see department-wide ones (no station), which only
department-wide roles change (`cpp_app.permissions.can_manage_volunteer`).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, Select, func, or_, select, true
from sqlalchemy.orm import selectinload

from cpp_app.audit import services as audit
from cpp_app.extensions import db
from cpp_app.outreach.models import Volunteer, VolunteerLanguage
from cpp_app.outreach.services import OutreachError, clean_email, clean_languages, clean_phone
from cpp_app.stations.models import Member, MemberLanguage, Station


def volunteers_visible(scope: int | None) -> ColumnElement[bool]:
    """Volunteers a user limited to station `scope` may see (None: every volunteer).

    That is the station's own and the department-wide ones.
    """
    if scope is None:
        return true()
    return or_(Volunteer.station_id == scope, Volunteer.station_id.is_(None))


@dataclass
class Speaker:
    """Someone who speaks a language: a member or a volunteer."""

    name: str
    kind: str
    station_code: str
    station_id: int | None
    shield_number: str = ""


def speakers(language_code: str, station_id: int | None = None,
             scope: int | None = None) -> list[Speaker]:
    """Active members and volunteers who speak a language, the given station's first.

    Volunteers are those visible within `scope` (see `volunteers_visible`).
    """
    members = db.session.execute(
        select(Member, Station.code).outerjoin(Station, Station.id == Member.station_id)
        .join(MemberLanguage, MemberLanguage.member_id == Member.id)
        .where(MemberLanguage.language_code == language_code, Member.active)
        .order_by(Member.last_name, Member.first_name)).all()
    volunteers = db.session.execute(
        select(Volunteer, Station.code).outerjoin(Station, Station.id == Volunteer.station_id)
        .join(VolunteerLanguage, VolunteerLanguage.volunteer_id == Volunteer.id)
        .where(VolunteerLanguage.language_code == language_code, Volunteer.active,
               volunteers_visible(scope))
        .order_by(Volunteer.name)).all()
    found = [Speaker(m.full_name, "member", code or "—", m.station_id, m.shield_number)
             for m, code in members]
    found += [Speaker(v.name, "volunteer", code or "department-wide", v.station_id)
              for v, code in volunteers]
    return sorted(found, key=lambda s: (s.station_id != station_id, s.kind != "member",
                                        s.name)) if station_id is not None else found


def suggestions_for(language_codes: list[str], station_id: int,
                    scope: int | None = None) -> dict[str, list[Speaker]]:
    """For each language, the people who speak it: the station's own first, then others."""
    return {code: speakers(code, station_id, scope) for code in language_codes}


def language_registry(scope: int | None = None) -> list[tuple[str, int, int]]:
    """Each language spoken: (code, members, volunteers visible within `scope`)."""
    members = dict(db.session.execute(
        select(MemberLanguage.language_code, func.count())
        .join(Member, Member.id == MemberLanguage.member_id).where(Member.active)
        .group_by(MemberLanguage.language_code)).all())
    volunteers = dict(db.session.execute(
        select(VolunteerLanguage.language_code, func.count())
        .join(Volunteer, Volunteer.id == VolunteerLanguage.volunteer_id)
        .where(Volunteer.active, volunteers_visible(scope))
        .group_by(VolunteerLanguage.language_code)).all())
    codes = sorted(set(members) | set(volunteers))
    return [(code, members.get(code, 0), volunteers.get(code, 0)) for code in codes]


@dataclass
class VolunteerDetails:
    """A volunteer as staff record them."""

    name: str
    station_id: int | None
    languages: list[str]
    email: str = ""
    phone: str = ""
    notes: str = ""
    active: bool = True


def save_volunteer(details: VolunteerDetails, volunteer: Volunteer | None = None) -> Volunteer:
    """Add a volunteer to the language registry, or change one."""
    if not details.name.strip():
        raise OutreachError("Give the volunteer's name.", "name")
    if details.station_id is not None and db.session.get(Station, details.station_id) is None:
        raise OutreachError("Choose a station, or department-wide.", "station_id")
    codes = clean_languages(details.languages)
    if not codes:
        raise OutreachError("Give at least one language the volunteer speaks.", "languages")
    email, phone = clean_email(details.email), clean_phone(details.phone)
    before = volunteer.audit_snapshot() if volunteer else None
    if volunteer is None:
        volunteer = Volunteer()
        db.session.add(volunteer)
    volunteer.name, volunteer.station_id = details.name.strip(), details.station_id
    volunteer.email, volunteer.phone = email, phone
    volunteer.notes, volunteer.active = details.notes.strip(), details.active
    volunteer.languages = [lang for lang in volunteer.languages if lang.language_code in codes]
    present = {lang.language_code for lang in volunteer.languages}
    volunteer.languages.extend(VolunteerLanguage(language_code=code) for code in codes
                               if code not in present)
    db.session.flush()
    audit.record("volunteer." + ("update" if before else "create"), volunteer, before=before,
                 station_id=volunteer.station_id, summary=volunteer.name)
    db.session.commit()
    return volunteer


def volunteer_query(scope: int | None = None) -> Select:
    """Volunteers visible within `scope`, by name, with languages and station loaded."""
    return (select(Volunteer).options(selectinload(Volunteer.languages),
                                      selectinload(Volunteer.station))
            .where(volunteers_visible(scope)).order_by(Volunteer.name))
