"""Courses, training records entered one at a time or for a class, and remembered mappings."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy import Select, func, select
from sqlalchemy.orm import selectinload

from cpp_app.audit import services as audit
from cpp_app.errors import ServiceError
from cpp_app.extensions import db
from cpp_app.importing.pipeline import ImportResult, ProgressCallback
from cpp_app.importing.services import run_import_file
from cpp_app.stations.models import Member
from cpp_app.stations.services import find_member
from cpp_app.training.models import (
    ColumnMapping,
    RecordSource,
    TrainingCourse,
    TrainingDelivery,
    TrainingRecord,
)

MAX_HOURS_PER_DAY = 24


class TrainingError(ServiceError):
    """A training change that cannot be made, with a message saying why."""


@dataclass
class CourseDetails:
    """What a coordinator records about a course."""

    title: str
    provider: str = ""
    code: str = ""
    delivery: str = TrainingDelivery.IN_PERSON
    hours: float | None = None
    counts_toward_requirement: bool = True
    active: bool = True


def course_query(search: str = "") -> Select:
    """Courses by title."""
    query = select(TrainingCourse).order_by(TrainingCourse.title, TrainingCourse.provider)
    if search:
        query = query.where(func.lower(TrainingCourse.title).contains(search.strip().lower()))
    return query


def save_course(details: CourseDetails, course: TrainingCourse | None = None) -> TrainingCourse:
    """Add a course, or change one."""
    if not details.title.strip():
        raise TrainingError("Give the course a title.", "title")
    if not TrainingDelivery.has_value(details.delivery):
        raise TrainingError("Choose in person or online.", "delivery")
    if details.hours is not None and not 0 < details.hours <= MAX_HOURS_PER_DAY * 10:
        raise TrainingError("Hours must be a positive number.", "hours")
    same = db.session.scalar(select(TrainingCourse).where(
        func.lower(TrainingCourse.title) == details.title.strip().lower(),
        func.lower(TrainingCourse.provider) == details.provider.strip().lower(),
        func.lower(TrainingCourse.code) == details.code.strip().lower()))
    if same is not None and same is not course:
        raise TrainingError("That course is already listed.", "title")
    before = course.audit_snapshot() if course else None
    if course is None:
        course = TrainingCourse()
        db.session.add(course)
    for name, value in vars(details).items():
        setattr(course, name, value.strip() if isinstance(value, str) else value)
    db.session.flush()
    audit.record("training.course." + ("update" if before else "create"), course,
                 before=before, summary=course.title)
    db.session.commit()
    return course


def check_record(member: Member | None, course: TrainingCourse | None, completed_on: date | None,
                 hours: float | None, today: date) -> float:
    """Refuse a record that cannot be true; the hours to credit."""
    if member is None:
        raise TrainingError("Choose a department member.", "member")
    if course is None:
        raise TrainingError("Choose a course.", "course")
    if completed_on is None:
        raise TrainingError("Give the completion date.", "completed_on")
    if completed_on > today:
        raise TrainingError("The completion date is in the future.", "completed_on")
    credited = hours if hours is not None else course.hours
    if credited is None or credited <= 0:
        raise TrainingError("Hours must be a positive number.", "hours")
    if credited > MAX_HOURS_PER_DAY:
        raise TrainingError(f"No more than {MAX_HOURS_PER_DAY} hours can be credited for one "
                            "day.", "hours")
    return credited


def record_training(course: TrainingCourse, completed_on: date, shields: list[str],
                    hours: float | None, today: date) -> tuple[int, list[str]]:
    """Record a course for one member or a whole class roster.

    Returns how many records were added and the shield numbers that could not be used (unknown,
    or already recorded for that course and day); nothing is written if any shield is unknown.
    """
    members, unknown = [], []
    for shield in dict.fromkeys(s.strip() for s in shields if s.strip()):
        member = find_member(shield)
        (members.append(member) if member is not None else unknown.append(shield))
    if unknown:
        raise TrainingError(f"No member has shield number {', '.join(unknown)}.", "shields")
    if not members:
        raise TrainingError("Give at least one shield number.", "shields")
    already = set(db.session.scalars(select(TrainingRecord.member_id).where(
        TrainingRecord.course_id == course.id, TrainingRecord.completed_on == completed_on,
        TrainingRecord.member_id.in_([m.id for m in members]))))
    added, skipped = [], []
    for member in members:
        credited = check_record(member, course, completed_on, hours, today)
        if member.id in already:
            skipped.append(member.shield_number)
            continue
        record = TrainingRecord(member_id=member.id, course_id=course.id,
                                completed_on=completed_on, hours_credited=credited,
                                source=RecordSource.ENTERED)
        db.session.add(record)
        added.append(record)
    db.session.flush()
    audit.record_many([audit.Change("training.record.create", "training_records", r.id, None,
                                     r.audit_snapshot(), None, course.title) for r in added])
    db.session.commit()
    return len(added), skipped


def member_records(member_id: int) -> list[TrainingRecord]:
    """A member's training history, newest first."""
    return list(db.session.scalars(
        select(TrainingRecord).options(selectinload(TrainingRecord.course))
        .where(TrainingRecord.member_id == member_id)
        .order_by(TrainingRecord.completed_on.desc())))


def mapping_named(name: str) -> ColumnMapping | None:
    """A remembered column mapping by its source name."""
    return db.session.scalar(select(ColumnMapping).where(ColumnMapping.name == name.strip()))


def save_mapping(name: str, mapping: dict[str, str],
                 default_course_id: int | None) -> ColumnMapping:
    """Remember how a source's columns map to ours (replacing what was remembered)."""
    if not name.strip():
        raise TrainingError("Name the source so the mapping can be remembered.", "source_name")
    remembered = mapping_named(name) or ColumnMapping(name=name.strip())
    remembered.mapping = dict(mapping)  # a column mapped to "" stays ignored next time
    remembered.default_course_id = default_course_id
    db.session.add(remembered)
    db.session.flush()
    audit.record("training.mapping.save", remembered, summary=remembered.name)
    db.session.commit()
    return remembered


def all_mappings() -> list[ColumnMapping]:
    """Every remembered mapping, by name."""
    return list(db.session.scalars(select(ColumnMapping).order_by(ColumnMapping.name)))


def import_training_file(path: Path | str, *, filename: str, today: date, dry_run: bool = False,
                         mapping: dict[str, str] | None = None,
                         default_course_id: int | None = None,
                         progress: ProgressCallback | None = None
                         ) -> tuple[ImportResult, list[str]]:
    """Run a training export through the one import entry; the result and new course titles.

    `mapping` maps the file's headers to our field names (see TRAINING_FIELDS).
    """
    result = run_import_file("training", path, filename=filename, dry_run=dry_run,
                             options={"today": today, "default_course_id": default_course_id},
                             column_mapping=mapping, progress=progress)
    return result, result.note("new_courses", [])


def course_by_title(title: str) -> TrainingCourse | None:
    """The course with this title (case-insensitive), if any."""
    return db.session.scalar(select(TrainingCourse).where(
        func.lower(TrainingCourse.title) == title.strip().lower()).limit(1))
