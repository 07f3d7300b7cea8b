"""Training exports (CSV or Excel) from a learning-management or standards-board system.

Columns are matched by name, or by a column mapping remembered per source. A record's identity
is member + course + completion date, so importing the same export again adds nothing; two
rows with different course codes are two courses, so two records.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from cpp_app.audit import services as audit
from cpp_app.clock import today_local
from cpp_app.extensions import db
from cpp_app.importing.columns import FieldSpec, OneOf
from cpp_app.importing.kinds import ImportKind
from cpp_app.importing.pipeline import (
    ImportNote,
    ImportResult,
    ImportSpec,
    PlannedChange,
    Row,
    RowRejected,
    ValidRow,
    WriteCounts,
)
from cpp_app.importing.values import CellError, parse_date
from cpp_app.permissions import Action
from cpp_app.stations.member_import import SHIELD_NUMBER_ALIASES
from cpp_app.stations.models import Member
from cpp_app.stations.names import given_names, same_person, shown_name
from cpp_app.stations.services import normalise_shield_number
from cpp_app.training.models import (
    RecordSource,
    TrainingCourse,
    TrainingDelivery,
    TrainingRecord,
)
from cpp_app.training.services import MAX_HOURS_PER_DAY

TRAINING_FIELDS = [
    FieldSpec("shield_number", "Shield number", SHIELD_NUMBER_ALIASES, required=True),
    FieldSpec("completed_on", "Completion date", (
        "date", "completed", "completion", "date completed", "session end date",
        "course date", "end date",
    ), required=True),
    FieldSpec("started_on", "Start date", ("start date", "session start date",
                                           "course start date", "begin date", "date started",
                                           "started")),
    FieldSpec("course_title", "Course title", ("course name", "title", "name of course",
                                               "training", "course title")),
    FieldSpec("course_code", "Course code", ("course", "course id", "course number", "code")),
    FieldSpec("hours", "Hours", ("hours credited", "credit hours", "duration", "hrs")),
    FieldSpec("external_id", "Record id", ("record id", "external id", "transcript id",
                                           "enrollment id", "id")),
    FieldSpec("provider", "Provider", ("agency", "provider", "vendor")),
    FieldSpec("full_name", "Name", ("full name", "name", "officer name", "member name",
                                    "employee name")),
    FieldSpec("first_name", "First name", ("first", "given name")),
    FieldSpec("last_name", "Last name", ("last", "surname", "family name")),
]
FIELD_NAMES = [field.name for field in TRAINING_FIELDS]
COURSE_COLUMN = OneOf((("course_title",), ("course_code",)),
                      "Course title or code (or choose one course for the whole file)")
CONFLICT_KEY = ["member_id", "course_id", "completed_on"]
#: The most hours one record may credit when only its completion date is known: a course
#: may have run for days before it (an academy, ICS-300), but not for more than a year of
#: full-time work.
MAX_HOURS_PER_RECORD = 2_000
#: The longest a course given with start and end dates may run.
MAX_COURSE_DAYS = 366
#: Room for rounding when hours spread over days are added up.
HOURS_TOLERANCE = 1e-6


@dataclass(frozen=True)
class PendingCourse:
    """A course a row names that does not exist yet: created only if a row for it goes in."""

    title: str
    code: str
    provider: str
    hours: float | None = None

    @property
    def key(self) -> tuple[str, str, str]:
        """What makes two rows' new courses the same course."""
        return (self.title.lower(), self.code.lower(), self.provider.lower())


@dataclass
class TrainingRow:
    """A row ready to insert, and how a dry run describes it."""

    member_id: int
    course: TrainingCourse | PendingCourse
    completed_on: date
    started_on: date | None
    hours: float
    external_id: str | None
    member_label: str


class TrainingImportSpec(ImportSpec):
    """How a training export becomes training records: member, course, completion date.

    A course is known by its code when the row has one, else by its title; a course the
    export names for the first time is created when its first row goes in. When the file
    names the member, the name must be that of the member who holds the shield number.
    """

    kind = "training"
    fields = TRAINING_FIELDS

    def __init__(self, today: date, default_course: TrainingCourse | None = None,
                 batch_id: int | None = None) -> None:
        self.today = today
        self.default_course = default_course
        self.batch_id = batch_id
        self._members = {shield: (member_id, first, last) for shield, member_id, first, last
                         in db.session.execute(select(Member.shield_number, Member.id,
                                                      Member.first_name, Member.last_name))}
        self._courses_by_code: dict[str, TrainingCourse] = {}
        self._courses_by_title: dict[str, TrainingCourse] = {}
        for course in db.session.scalars(select(TrainingCourse).order_by(TrainingCourse.id)):
            if course.code:
                self._courses_by_code.setdefault(course.code.lower(), course)
            if not course.code or course.title.lower() not in self._courses_by_title:
                self._courses_by_title[course.title.lower()] = course
        self._hours_by_member_day: dict[tuple[int, date], float] = defaultdict(float)
        self._created: dict[tuple[str, str, str], TrainingCourse] = {}
        self.new_courses: list[str] = []  # titles, readable after a dry run's rollback

    @property
    def alternatives(self) -> tuple[OneOf, ...]:
        """A course column is needed unless one course is chosen for the whole file."""
        return () if self.default_course is not None else (COURSE_COLUMN,)

    def validate(self, row: Row) -> TrainingRow:
        """Check one record: the member named, readable dates, the course, sensible hours."""
        cells = row.cells
        shield = normalise_shield_number(cells.get("shield_number", ""))
        member_id, member_label = self._member(shield, cells)
        completed_on, started_on = self._dates(cells)
        course = self._course(cells)
        hours = self._hours(cells, course)
        self._check_hours(member_id, shield, started_on, completed_on, hours)
        return TrainingRow(member_id, course, completed_on, started_on, hours,
                           cells.get("external_id") or None, member_label)

    def write(self, rows: list[ValidRow]) -> WriteCounts:
        """Insert the rows in one statement; rows already recorded are skipped."""
        counts = WriteCounts()
        if not rows:
            return counts
        values = [{"member_id": r.values.member_id, "course_id": self._course_id(r.values.course),
                   "completed_on": r.values.completed_on, "started_on": r.values.started_on,
                   "hours_credited": r.values.hours, "source": RecordSource.IMPORTED,
                   "external_id": r.values.external_id, "import_batch_id": self.batch_id}
                  for r in rows]
        insert = (pg_insert if db.session.get_bind().dialect.name == "postgresql"
                  else sqlite_insert)
        # psycopg reports no row count for executemany: the keys returned are the new rows.
        statement = insert(TrainingRecord).on_conflict_do_nothing(
            index_elements=CONFLICT_KEY).returning(*(getattr(TrainingRecord, key)
                                                     for key in CONFLICT_KEY))
        new_keys = {tuple(key) for key in db.session.connection().execute(statement, values)}
        counts.inserted = len(new_keys)
        counts.unchanged = len(rows) - counts.inserted
        if self.listing_changes:
            counts.changes = planned_records(rows, values, new_keys)
        return counts

    def _member(self, shield: str, cells: dict[str, str]) -> tuple[int, str]:
        """The member holding the shield number, who must be the person the file names."""
        names = given_names(cells.get("first_name", ""), cells.get("last_name", ""),
                            cells.get("full_name", ""))
        named = f" ({shown_name(*names)})" if names else ""
        if not shield:
            raise RowRejected("the shield number is empty")
        if shield not in self._members:
            raise RowRejected(f"unknown shield number {shield!r}{named}")
        member_id, first, last = self._members[shield]
        if names and not same_person(first, last, *names):
            raise RowRejected(f"shield number {shield} is {shown_name(first, last)} here, but "
                              f"the file names {shown_name(*names)}")
        return member_id, f"#{shield} {shown_name(first, last)}"

    def _dates(self, cells: dict[str, str]) -> tuple[date, date | None]:
        """The completion date and, when the file gives it, the start date."""
        completed_on = parse_date(cells.get("completed_on", ""), "completion date")
        if completed_on is None:
            raise RowRejected("the completion date is empty")
        if completed_on > self.today:
            raise RowRejected(f"the completion date {completed_on.isoformat()} is in the future")
        started_on = parse_date(cells.get("started_on", ""), "start date")
        if started_on is not None and started_on > completed_on:
            raise RowRejected(f"the start date {started_on.isoformat()} is after the completion "
                              f"date {completed_on.isoformat()}")
        return completed_on, started_on

    def _check_hours(self, member_id: int, shield: str, started_on: date | None,
                     completed_on: date, hours: float) -> None:
        """Refuse hours no one can have spent: over a year's work, or over 24 a day.

        A record known only by its completion date may have run for days before it, so
        only records with a start date are spread over their days and added up per day.
        """
        if started_on is None:
            if hours > MAX_HOURS_PER_RECORD:
                raise RowRejected(f"{hours:g} hours is more than {MAX_HOURS_PER_RECORD:,}, a year "
                                  "of full-time work")
            return
        days = (completed_on - started_on).days + 1
        if days > MAX_COURSE_DAYS:
            raise RowRejected(f"the course runs {days} days ({started_on.isoformat()} to "
                              f"{completed_on.isoformat()}); at most {MAX_COURSE_DAYS}")
        span = [started_on + timedelta(days=day) for day in range(days)]
        per_day = hours / days
        if any(self._hours_by_member_day[(member_id, day)] + per_day
               > MAX_HOURS_PER_DAY + HOURS_TOLERANCE for day in span):
            over = (f"on {completed_on.isoformat()}" if days == 1 else
                    f"a day from {started_on.isoformat()} to {completed_on.isoformat()}")
            raise RowRejected(f"more than {MAX_HOURS_PER_DAY} hours {over} for shield {shield}")
        for day in span:
            self._hours_by_member_day[(member_id, day)] += per_day

    def _course(self, cells: dict[str, str]) -> TrainingCourse | PendingCourse:
        """The course the row is for: by code when it has one, else by title, else the default."""
        code, title = cells.get("course_code", "").strip(), cells.get("course_title", "").strip()
        provider = cells.get("provider", "").strip()
        if code:
            known = self._courses_by_code.get(code.lower())
            same_title = self._courses_by_title.get((title or code).lower())
            if known is None and same_title is not None and (not same_title.code or not title):
                known = same_title  # a course listed without a code, or titled by this code
            return known or _pending_course(title or code, code, provider)
        if title:
            return self._courses_by_title.get(title.lower()) or _pending_course(title, "",
                                                                               provider)
        if self.default_course is None:
            raise RowRejected("the course is empty")
        return self.default_course

    def _course_id(self, course: TrainingCourse | PendingCourse) -> int:
        """The course's id, creating a new course the first time one of its rows goes in."""
        if isinstance(course, TrainingCourse):
            return course.id
        created = self._created.get(course.key)
        if created is None:
            created = TrainingCourse(title=course.title, code=course.code,
                                     provider=course.provider, counts_toward_requirement=False,
                                     delivery=TrainingDelivery.IN_PERSON)
            db.session.add(created)
            db.session.flush()
            audit.record("training.course.import_create", created, summary=created.title)
            self._created[course.key] = created
            self.new_courses.append(created.title)
        return created.id

    @staticmethod
    def _hours(cells: dict[str, str], course: TrainingCourse | PendingCourse) -> float:
        raw = cells.get("hours", "").strip()
        if not raw:
            if course.hours:
                return float(course.hours)
            raise RowRejected(f"no hours given, and course {course.title!r} has no default hours")
        try:
            hours = float(raw.replace(",", "."))
        except ValueError as error:
            raise CellError(f"hours {raw!r} is not a number") from error
        if not math.isfinite(hours):
            raise CellError(f"hours {raw!r} is not a number")
        if hours <= 0:
            raise RowRejected(f"hours {raw!r} is not a positive number")
        return hours


def _pending_course(title: str, code: str, provider: str) -> PendingCourse:
    """A course to create, refused when its words do not fit the course's columns."""
    for label, text, width in (("course title", title, 255), ("course code", code, 60),
                               ("provider", provider, 120)):
        if len(text) > width:
            raise RowRejected(f"the {label} is longer than {width} characters")
    return PendingCourse(title, code, provider)


def planned_records(rows: list[ValidRow], values: list[dict], new_keys: set[tuple]
                    ) -> list[PlannedChange]:
    """What a dry run would add: each row whose record is new, the first of its key."""
    planned, claimed = [], set()
    for row, value in zip(rows, values, strict=True):
        key = tuple(value[name] for name in CONFLICT_KEY)
        if key not in new_keys or key in claimed:
            continue
        claimed.add(key)
        record: TrainingRow = row.values
        course = record.course
        new = " (new course)" if isinstance(course, PendingCourse) else ""
        span = (f"{record.started_on.isoformat()} to " if record.started_on else "")
        planned.append(PlannedChange(row.line_number, "add", (
            f"{record.member_label}: {course.title}{new}, {span}"
            f"{record.completed_on.isoformat()}, {record.hours:g} h")))
    return planned


def training_spec(options: Mapping[str, Any]) -> TrainingImportSpec:
    """A training import as of `today` (default: today here), for `default_course_id` if given."""
    course_id = options.get("default_course_id")
    course = db.session.get(TrainingCourse, course_id) if course_id else None
    return TrainingImportSpec(options.get("today") or today_local(), default_course=course)


def new_course_notes(spec: TrainingImportSpec, result: ImportResult) -> list[ImportNote]:
    """The courses the import created, which count toward nothing until a coordinator says so."""
    titles = list(spec.new_courses)
    if not titles:
        return []
    done = "would be created" if result.batch.dry_run else "created"
    return [ImportNote("new_courses", titles, f"New courses {done} (not counting toward the "
                       f"requirement until a coordinator says so): {', '.join(titles)}")]


TRAINING_IMPORT = ImportKind(
    name="training", label="Training records", fields=TRAINING_FIELDS, make_spec=training_spec,
    action=Action.MANAGE_TRAINING, describe=new_course_notes, chunk_size=20_000,
    upload_endpoint="training.import_upload")
