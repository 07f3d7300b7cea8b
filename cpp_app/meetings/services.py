"""Meetings: logging them with languages and interpreters, and their feedback.

Feedback heard at a meeting can be promoted to a plan priority.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time

from sqlalchemy import Select, select
from sqlalchemy.orm import selectinload

from cpp_app.audit import services as audit
from cpp_app.clock import department_zone
from cpp_app.errors import ServiceError
from cpp_app.extensions import db
from cpp_app.meetings.models import (
    FeedbackTone,
    InterpreterStatus,
    Meeting,
    MeetingFeedback,
    MeetingKind,
    MeetingLanguage,
)
from cpp_app.stations.languages import language_name, language_names
from cpp_app.stations.models import Member, Station


class MeetingError(ServiceError):
    """A meeting change that cannot be made, with a message saying why."""


@dataclass
class LanguageNeed:
    """A language the meeting needed and how it was served."""

    language_code: str
    status: str = InterpreterStatus.NOT_REQUESTED
    interpreter_member_id: int | None = None
    interpreter_name: str = ""


@dataclass
class MeetingDetails:
    """What staff record about a meeting."""

    station_id: int
    held_on: date
    title: str
    kind: str
    place: str = ""
    attendance: int | None = None
    notes: str = ""
    languages: list[LanguageNeed] = field(default_factory=list)
    starts_at: time | None = None
    is_public: bool = True


def meeting_query(station_id: int | None = None, kind: str = "",
                  date_from: date | None = None, date_to: date | None = None) -> Select:
    """Meetings newest first, with station, languages and feedback loaded."""
    query = (select(Meeting)
             .options(selectinload(Meeting.station),
                      selectinload(Meeting.languages).selectinload(
                          MeetingLanguage.interpreter_member),
                      selectinload(Meeting.feedback))
             .order_by(Meeting.held_on.desc(), Meeting.id.desc()))
    if station_id is not None:
        query = query.where(Meeting.station_id == station_id)
    if kind:
        query = query.where(Meeting.kind == kind)
    if date_from:
        query = query.where(Meeting.held_on >= date_from)
    if date_to:
        query = query.where(Meeting.held_on <= date_to)
    return query


def upcoming_public_meetings(today: date, station_id: int | None = None,
                             limit: int = 20) -> list[Meeting]:
    """Public meetings from today on, soonest first, with their station and languages.

    With a station, its meetings only; without, every station's.
    """
    query = (select(Meeting)
             .options(selectinload(Meeting.station), selectinload(Meeting.languages))
             .where(Meeting.held_on >= today, Meeting.is_public.is_(True))
             .order_by(Meeting.held_on, Meeting.starts_at, Meeting.id).limit(limit))
    if station_id is not None:
        query = query.where(Meeting.station_id == station_id)
    return list(db.session.scalars(query))


def meetings_in_period(station_id: int, start: date, end: date) -> list[Meeting]:
    """A station's meetings held within a period."""
    return list(db.session.scalars(meeting_query(station_id, date_from=start, date_to=end)))


def save_meeting(details: MeetingDetails, meeting: Meeting | None = None) -> Meeting:
    """Log a meeting, or change one; languages are replaced as given."""
    _check(details)
    before = meeting.audit_snapshot() if meeting else None
    if meeting is None:
        meeting = Meeting()
        db.session.add(meeting)
    for name in ("station_id", "held_on", "kind", "attendance", "is_public"):
        setattr(meeting, name, getattr(details, name))
    meeting.starts_at = (None if details.starts_at is None else datetime.combine(
        details.held_on, details.starts_at, tzinfo=department_zone()).astimezone(UTC))
    meeting.title = details.title.strip()
    meeting.place = details.place.strip()
    meeting.notes = details.notes.strip()
    meeting.languages = [MeetingLanguage(
        language_code=need.language_code, status=need.status,
        interpreter_member_id=need.interpreter_member_id,
        interpreter_name=need.interpreter_name.strip()) for need in details.languages]
    db.session.flush()
    after = meeting.audit_snapshot()
    after["languages"] = [(n.language_code, n.status) for n in details.languages]
    audit.record("meeting." + ("update" if before else "create"), meeting, before=before,
                 after=after, station_id=meeting.station_id, summary=meeting.title)
    db.session.commit()
    return meeting


def add_feedback(meeting: Meeting, topic: str, text: str, tone: str) -> MeetingFeedback:
    """Record something heard at the meeting."""
    if not topic.strip():
        raise MeetingError("Give the feedback a topic.", "topic")
    if not FeedbackTone.has_value(tone):
        raise MeetingError("Choose critical, neutral or supportive.", "tone")
    item = MeetingFeedback(topic=topic.strip(), text=text.strip(), tone=tone)
    meeting.feedback.append(item)
    db.session.flush()
    audit.record("meeting.feedback.create", item, station_id=meeting.station_id,
                 summary=item.topic)
    db.session.commit()
    return item


def remove_feedback(meeting: Meeting, item: MeetingFeedback) -> None:
    """Take a feedback item off the meeting."""
    before = item.audit_snapshot()
    meeting.feedback.remove(item)
    audit.record("meeting.feedback.delete", entity_type="meeting_feedback", entity_id=item.id,
                 before=before, station_id=meeting.station_id)
    db.session.commit()


def interpreter_gaps(station_id: int | None = None) -> list[Meeting]:
    """Meetings where a needed language had no interpreter."""
    query = meeting_query(station_id).where(
        Meeting.languages.any(MeetingLanguage.status != InterpreterStatus.PROVIDED))
    return list(db.session.scalars(query))


def _check(details: MeetingDetails) -> None:
    if db.session.get(Station, details.station_id) is None:
        raise MeetingError("Choose the station that held the meeting.", "station_id")
    if not details.title.strip():
        raise MeetingError("Give the meeting a title.", "title")
    if not MeetingKind.has_value(details.kind):
        raise MeetingError("Choose the kind of meeting.", "kind")
    if details.attendance is not None and details.attendance < 0:
        raise MeetingError("Attendance cannot be negative.", "attendance")
    seen: set[str] = set()
    for need in details.languages:
        _check_language_need(need, seen)
        seen.add(need.language_code)


def _check_language_need(need: LanguageNeed, listed_before: set[str]) -> None:
    if need.language_code not in language_names():
        raise MeetingError(f"Unknown language {need.language_code!r}.")
    if need.language_code in listed_before:
        raise MeetingError(f"{language_name(need.language_code)} is listed twice.")
    if not InterpreterStatus.has_value(need.status):
        raise MeetingError("Choose whether an interpreter was provided.")
    if need.status == InterpreterStatus.PROVIDED and not (
            need.interpreter_member_id or need.interpreter_name.strip()):
        raise MeetingError(f"Say who interpreted {language_name(need.language_code)}.")
    if need.interpreter_member_id and db.session.get(Member, need.interpreter_member_id) \
            is None:
        raise MeetingError("That interpreter is not a department member.")

