"""Training exports (CSV or Excel) from a learning-management or standards-board system.

Columns are matched by name, or by a column mapping remembered per source. A record's identity
is member + course + completion date, so importing the same export again adds nothing.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from cpp_app.clock import today_local
from cpp_app.extensions import db
from cpp_app.importing.columns import FieldSpec, OneOf
from cpp_app.importing.kinds import ImportKind
from cpp_app.importing.pipeline import (
    ImportNote,
    ImportResult,
    ImportSpec,
    Row,
    RowRejected,
    ValidRow,
    WriteCounts,
)
from cpp_app.importing.values import CellError, parse_date
from cpp_app.permissions import Action
from cpp_app.stations.member_import import SHIELD_NUMBER_ALIASES
from cpp_app.stations.models import Member
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
    FieldSpec("course_title", "Course title", ("course name", "title", "name of course",
                                               "training", "course title")),
    FieldSpec("course_code", "Course code", ("course", "course id", "course number", "code")),
    FieldSpec("hours", "Hours", ("hours credited", "credit hours", "duration", "hrs")),
    FieldSpec("external_id", "Record id", ("record id", "external id", "transcript id",
                                           "enrollment id", "id")),
    FieldSpec("provider", "Provider", ("agency", "provider", "vendor")),
]
FIELD_NAMES = [field.name for field in TRAINING_FIELDS]
COURSE_COLUMN = OneOf((("course_title",), ("course_code",)),
                      "Course title or code (or choose one course for the whole file)")
CONFLICT_KEY = ["member_id", "course_id", "completed_on"]


@dataclass
class TrainingRow:
    """A row ready to insert."""

    member_id: int
    course_id: int
    completed_on: date
    hours: float
    external_id: str | None


class TrainingImportSpec(ImportSpec):
    """How a training export becomes training records: member, course, completion date."""

    kind = "training"
    fields = TRAINING_FIELDS

    def __init__(self, today: date, default_course: TrainingCourse | None = None,
                 batch_id: int | None = None) -> None:
        self.today = today
        self.default_course = default_course
        self.batch_id = batch_id
        self._members = dict(db.session.execute(
            select(Member.shield_number, Member.id)).all())
        self._courses_by_code: dict[str, TrainingCourse] = {}
        self._courses_by_title: dict[str, TrainingCourse] = {}
        for course in db.session.scalars(select(TrainingCourse)):
            if course.code:
                self._courses_by_code[course.code.lower()] = course
            self._courses_by_title[course.title.lower()] = course
        self._hours_by_member_day: dict[tuple[int, date], float] = defaultdict(float)
        self.new_courses: list[TrainingCourse] = []

    @property
    def alternatives(self) -> tuple[OneOf, ...]:
        """A course column is needed unless one course is chosen for the whole file."""
        return () if self.default_course is not None else (COURSE_COLUMN,)

    def validate(self, row: Row) -> TrainingRow:
        """Check one record: a known member, a readable past date, sensible hours."""
        cells = row.cells
        shield = normalise_shield_number(cells.get("shield_number", ""))
        member_id = self._members.get(shield)
        if member_id is None:
            raise RowRejected(f"unknown shield number {shield!r}" if shield else
                              "the shield number is empty")
        completed_on = parse_date(cells.get("completed_on", ""), "completion date")
        if completed_on is None:
            raise RowRejected("the completion date is empty")
        if completed_on > self.today:
            raise RowRejected(f"the completion date {completed_on.isoformat()} is in the future")
        course = self._course(cells)
        hours = self._hours(cells, course)
        day_total = self._hours_by_member_day[(member_id, completed_on)] + hours
        # The cap catches mistyped hours in the file; a multi-day course credited on its
        # last day (hours from the course itself, e.g. a 40-hour certification) is fine.
        if cells.get("hours") and day_total > MAX_HOURS_PER_DAY:
            raise RowRejected(f"more than {MAX_HOURS_PER_DAY} hours on "
                              f"{completed_on.isoformat()} for shield {shield}")
        self._hours_by_member_day[(member_id, completed_on)] = day_total
        return TrainingRow(member_id, course.id, completed_on, hours,
                           cells.get("external_id") or None)

    def write(self, rows: list[ValidRow]) -> WriteCounts:
        """Insert the rows in one statement; rows already recorded are skipped."""
        counts = WriteCounts()
        if not rows:
            return counts
        values = [{"member_id": r.values.member_id, "course_id": r.values.course_id,
                   "completed_on": r.values.completed_on, "hours_credited": r.values.hours,
                   "source": RecordSource.IMPORTED, "external_id": r.values.external_id,
                   "import_batch_id": self.batch_id} for r in rows]
        if db.session.get_bind().dialect.name == "postgresql":
            # psycopg reports no row count for executemany: count the ids returned instead.
            statement = pg_insert(TrainingRecord).on_conflict_do_nothing(
                index_elements=CONFLICT_KEY).returning(TrainingRecord.id)
            counts.inserted = len(db.session.connection().execute(statement, values).all())
        else:
            statement = sqlite_insert(TrainingRecord).on_conflict_do_nothing(
                index_elements=CONFLICT_KEY)
            counts.inserted = db.session.connection().execute(statement, values).rowcount
        counts.unchanged = len(rows) - counts.inserted
        return counts

    def _course(self, cells: dict[str, str]) -> TrainingCourse:
        code, title = cells.get("course_code", "").strip(), cells.get("course_title", "").strip()
        course = (self._courses_by_code.get(code.lower()) if code else None) or \
            (self._courses_by_title.get(title.lower()) if title else None) or \
            (self._courses_by_title.get(code.lower()) if code and not title else None)
        if course is not None:
            return course
        if not code and not title:
            if self.default_course is None:
                raise RowRejected("the course is empty")
            return self.default_course
        course = TrainingCourse(title=title or code, code=code, provider=cells.get("provider", ""),
                                counts_toward_requirement=False,
                                delivery=TrainingDelivery.IN_PERSON)
        db.session.add(course)
        db.session.flush()
        self.new_courses.append(course)
        if code:
            self._courses_by_code[code.lower()] = course
        self._courses_by_title[course.title.lower()] = course
        return course

    @staticmethod
    def _hours(cells: dict[str, str], course: TrainingCourse) -> float:
        raw = cells.get("hours", "").strip()
        if not raw:
            if course.hours:
                return float(course.hours)
            raise RowRejected(f"no hours given, and course {course.title!r} has no default hours")
        try:
            hours = float(raw.replace(",", "."))
        except ValueError as error:
            raise CellError(f"hours {raw!r} is not a number") from error
        if hours <= 0:
            raise RowRejected(f"hours {raw!r} is not a positive number")
        return hours


def training_spec(options: Mapping[str, Any]) -> TrainingImportSpec:
    """A training import as of `today` (default: today here), for `default_course_id` if given."""
    course_id = options.get("default_course_id")
    course = db.session.get(TrainingCourse, course_id) if course_id else None
    return TrainingImportSpec(options.get("today") or today_local(), default_course=course)


def new_course_notes(spec: TrainingImportSpec, result: ImportResult) -> list[ImportNote]:
    """The courses the import created, which count toward nothing until a coordinator says so."""
    titles = [] if result.batch.dry_run else [course.title for course in spec.new_courses]
    if not titles:
        return []
    return [ImportNote("new_courses", titles, "New courses created (not counting toward the "
                       f"requirement until a coordinator says so): {', '.join(titles)}")]


TRAINING_IMPORT = ImportKind(
    name="training", label="Training records", fields=TRAINING_FIELDS, make_spec=training_spec,
    action=Action.MANAGE_TRAINING, describe=new_course_notes, chunk_size=20_000,
    upload_endpoint="training.import_upload")
