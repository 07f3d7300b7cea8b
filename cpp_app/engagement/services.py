"""Engagement records: importing, linking, the figures that measure effectiveness, and export.

Records are linked to members, stations and problems, and exported in the original
five-column format.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, extract, func, select, update
from sqlalchemy.orm import selectinload

from cpp_app.audit import services as audit
from cpp_app.engagement.models import EngagementRecord, LocationRule, ProblemLinkRule
from cpp_app.errors import ServiceError
from cpp_app.extensions import db
from cpp_app.importing.pipeline import ImportResult, ProgressCallback
from cpp_app.importing.services import run_import_file, spreadsheet_safe
from cpp_app.plans.models import Plan, PlannedResponse, PlanStatus, Problem
from cpp_app.stations.models import Member, Station

#: The longest rule location and call type the columns hold.
MAX_RULE_PATTERN = 120
MAX_CALL_TYPE = 80
EXPORT_COLUMNS = ["Date", "Time", "CallType", "ShieldNumber", "Location"]


class EngagementError(ServiceError):
    """An engagement change that cannot be made, with a message saying why."""


@dataclass
class EngagementImport:
    """One file's import: the pipeline's result and the call types kept as given."""

    result: ImportResult
    unknown_call_types: dict[str, int]


def import_engagements(path: Path | str, *, filename: str | None = None, dry_run: bool = False,
                       progress: ProgressCallback | None = None) -> EngagementImport:
    """Import one engagement export through the one import entry, as every path does.

    Unknown shield numbers are kept, to be linked later; after a real import, earlier records
    are linked to members and rules again.
    """
    result = run_import_file("engagements", path, filename=filename, dry_run=dry_run,
                             progress=progress)
    return EngagementImport(result, result.note("unknown_call_types", {}))


def link_members() -> int:
    """Link records whose shield number now belongs to a member (and set their station)."""
    member = select(Member.id).where(Member.shield_number == EngagementRecord.shield_number) \
        .scalar_subquery()
    station = select(Member.station_id).where(
        Member.shield_number == EngagementRecord.shield_number).scalar_subquery()
    changed = db.session.execute(
        update(EngagementRecord)
        .where(EngagementRecord.member_id.is_(None), EngagementRecord.shield_number != "",
               EngagementRecord.shield_number.in_(select(Member.shield_number)))
        .values(member_id=member, station_id=station)
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.commit()
    return changed


def unknown_shields(limit: int = 200) -> list[tuple[str, int]]:
    """Shield numbers on records that match no member, with how many records each."""
    return db.session.execute(
        select(EngagementRecord.shield_number, func.count())
        .where(EngagementRecord.member_id.is_(None), EngagementRecord.shield_number != "")
        .group_by(EngagementRecord.shield_number)
        .order_by(func.count().desc()).limit(limit)).all()


def _rule_pattern(pattern: str) -> str:
    """A rule's location text with its spaces tidied, refused when too short or too long."""
    pattern = " ".join(pattern.split())
    if len(pattern) < 3:
        raise EngagementError("Give at least three characters of the location.", "pattern")
    if len(pattern) > MAX_RULE_PATTERN:
        raise EngagementError(f"A location has at most {MAX_RULE_PATTERN} characters.",
                              "pattern")
    return pattern


def save_location_rule(pattern: str, station_id: int) -> LocationRule:
    """Records with no known member whose location contains `pattern` belong to a station."""
    pattern = _rule_pattern(pattern)
    if db.session.get(Station, station_id) is None:
        raise EngagementError("Choose a station.", "station_id")
    rule = LocationRule(pattern=pattern, station_id=station_id)
    db.session.add(rule)
    db.session.flush()
    audit.record("engagement.location_rule.create", rule, station_id=station_id,
                 summary=pattern)
    db.session.commit()
    apply_location_rules()
    return rule


def save_problem_rule(pattern: str, call_type: str, problem_id: int) -> ProblemLinkRule:
    """Records at a location containing `pattern` (of `call_type`, if given) serve a problem."""
    pattern = _rule_pattern(pattern)
    if len(call_type.strip()) > MAX_CALL_TYPE:
        raise EngagementError(f"A call type has at most {MAX_CALL_TYPE} characters.", "call_type")
    problem = db.session.get(Problem, problem_id)
    if problem is None:
        raise EngagementError("Choose a problem.", "problem_id")
    rule = ProblemLinkRule(pattern=pattern, call_type=call_type.strip(), problem_id=problem_id)
    db.session.add(rule)
    db.session.flush()
    audit.record("engagement.problem_rule.create", rule, station_id=problem.plan.station_id,
                 summary=pattern)
    db.session.commit()
    apply_problem_rules()
    return rule


def apply_location_rules() -> int:
    """Give a station to unlinked records by the location rules; how many changed."""
    changed = 0
    for rule in db.session.scalars(select(LocationRule).order_by(LocationRule.id)):
        changed += db.session.execute(
            update(EngagementRecord)
            .where(EngagementRecord.station_id.is_(None),
                   func.lower(EngagementRecord.location).contains(rule.pattern.lower()))
            .values(station_id=rule.station_id)
            .execution_options(synchronize_session=False)).rowcount
    db.session.commit()
    return changed


def apply_problem_rules() -> int:
    """Link records to problems by the problem rules; how many changed.

    A rule links only records of its problem's own station, whoever wrote it.
    """
    changed = 0
    rules = db.session.execute(
        select(ProblemLinkRule, Plan.station_id)
        .join(Problem, Problem.id == ProblemLinkRule.problem_id)
        .join(Plan, Plan.id == Problem.plan_id).order_by(ProblemLinkRule.id)).all()
    for rule, station_id in rules:
        conditions = [EngagementRecord.problem_id.is_(None),
                      EngagementRecord.station_id == station_id,
                      func.lower(EngagementRecord.location).contains(rule.pattern.lower())]
        if rule.call_type:
            conditions.append(EngagementRecord.call_type == rule.call_type)
        changed += db.session.execute(
            update(EngagementRecord).where(and_(*conditions))
            .values(problem_id=rule.problem_id)
            .execution_options(synchronize_session=False)).rowcount
    db.session.commit()
    return changed


def link_to_problem(record: EngagementRecord, problem: Problem | None) -> None:
    """Link one record to a problem of its own station's plan by hand (or unlink it)."""
    if problem is not None and record.station_id != problem.plan.station_id:
        raise EngagementError("A record can be linked only to problems of its own station; "
                              "this one belongs to another station or to none.", "problem_id")
    before = record.audit_snapshot()
    record.problem_id = problem.id if problem else None
    audit.record("engagement.link_problem", record, before=before,
                 station_id=record.station_id)
    db.session.commit()


@dataclass
class LinkingRules:
    """What the rules page shows: the rules and the problems a new rule may link to."""

    location_rules: list[LocationRule]
    problem_rules: list[ProblemLinkRule]
    problems: list[Problem]


def linking_rules(scope: int | None = None) -> LinkingRules:
    """The rules and open plans' problems of station `scope` (None: every station).

    Location rules are those giving records to the station; problem rules those of its problems.
    """
    location_rules = select(LocationRule).options(selectinload(LocationRule.station)) \
        .order_by(LocationRule.pattern)
    problem_rules = (select(ProblemLinkRule).join(Problem).join(Plan)
                     .options(selectinload(ProblemLinkRule.problem).selectinload(Problem.plan)
                              .selectinload(Plan.station))
                     .order_by(ProblemLinkRule.pattern))
    problems = (select(Problem).join(Plan)
                .options(selectinload(Problem.plan).selectinload(Plan.station))
                .where(Plan.status.in_([PlanStatus.ACTIVE, PlanStatus.DRAFT]))
                .order_by(Plan.station_id, Problem.title))
    if scope is not None:
        location_rules = location_rules.where(LocationRule.station_id == scope)
        problem_rules = problem_rules.where(Plan.station_id == scope)
        problems = problems.where(Plan.station_id == scope)
    return LinkingRules(list(db.session.scalars(location_rules)),
                        list(db.session.scalars(problem_rules)),
                        list(db.session.scalars(problems)))


# --- Measures ------------------------------------------------------------------------------


@dataclass
class EngagementFilter:
    """Which records the figures and lists cover."""

    station_id: int | None = None
    member_id: int | None = None
    call_type: str = ""
    date_from: date | None = None
    date_to: date | None = None

    def apply(self, query: Select) -> Select:
        """Add the filter's conditions to a query over engagement records."""
        if self.station_id is not None:
            query = query.where(EngagementRecord.station_id == self.station_id)
        if self.member_id is not None:
            query = query.where(EngagementRecord.member_id == self.member_id)
        if self.call_type:
            query = query.where(EngagementRecord.call_type == self.call_type)
        if self.date_from:
            query = query.where(EngagementRecord.occurred_on >= self.date_from)
        if self.date_to:
            query = query.where(EngagementRecord.occurred_on <= self.date_to)
        return query


def record_query(filters: EngagementFilter) -> Select:
    """Records newest first, with member, station and problem loaded."""
    return filters.apply(
        select(EngagementRecord)
        .options(selectinload(EngagementRecord.member), selectinload(EngagementRecord.station),
                 selectinload(EngagementRecord.problem))
        .order_by(EngagementRecord.occurred_on.desc(), EngagementRecord.id.desc()))


def counts_by_type_and_month(filters: EngagementFilter) -> tuple[list[date], dict[str, dict]]:
    """Records per call type and month: (months, {call type: {month: count}})."""
    year, month = _record_year_and_month()
    rows = db.session.execute(filters.apply(
        select(EngagementRecord.call_type, year, month, func.count())
        .group_by(EngagementRecord.call_type, year, month))).all()
    return _type_and_month_table(rows)


@dataclass
class EngagementCounts:
    """Records per call type and month, and per station (most records first)."""

    months: list[date]
    by_type: dict[str, dict[date, int]]
    by_station: list[tuple[str, int]]


def counts_by_type_month_and_station(filters: EngagementFilter) -> EngagementCounts:
    """Records per call type and month, and per station, from one grouped pass over the records.

    The months come as counts_by_type_and_month gives them; unassigned records count together.
    """
    year, month = _record_year_and_month()
    rows = db.session.execute(filters.apply(
        select(EngagementRecord.call_type, year, month, EngagementRecord.station_id,
               func.count())
        .group_by(EngagementRecord.call_type, year, month, EngagementRecord.station_id))).all()
    codes = dict(db.session.execute(select(Station.id, Station.code)).all())
    per_station: Counter[str] = Counter()
    for _call_type, _year, _month, station_id, count in rows:
        per_station[codes.get(station_id) or "No station"] += count
    months, by_type = _type_and_month_table(
        (call_type, row_year, row_month, count)
        for call_type, row_year, row_month, _station_id, count in rows)
    by_station = sorted(per_station.items(), key=lambda item: (-item[1], item[0]))
    return EngagementCounts(months, by_type, by_station)


def _record_year_and_month() -> tuple[ColumnElement[int], ColumnElement[int]]:
    """The year and the month of a record's date, as SQL expressions."""
    return (extract("year", EngagementRecord.occurred_on),
            extract("month", EngagementRecord.occurred_on))


def _type_and_month_table(rows: Iterable[Sequence[Any]]
                          ) -> tuple[list[date], dict[str, dict[date, int]]]:
    """(months, {call type: {month: count}}) from (call type, year, month, count) rows."""
    table: dict[str, dict[date, int]] = {}
    for call_type, row_year, row_month, count in rows:
        key = date(int(row_year), int(row_month), 1)
        months = table.setdefault(call_type, {})
        months[key] = months.get(key, 0) + count
    every_month = {month for months in table.values() for month in months}
    return sorted(every_month), dict(sorted(table.items()))


def counts_by_member(filters: EngagementFilter, limit: int = 25) -> list[tuple[str, int]]:
    """The members with the most records."""
    rows = db.session.execute(filters.apply(
        select(Member.shield_number, Member.first_name, Member.last_name, func.count())
        .select_from(EngagementRecord).join(Member, Member.id == EngagementRecord.member_id)
        .group_by(Member.id, Member.shield_number, Member.first_name, Member.last_name)
        .order_by(func.count().desc()).limit(limit))).all()
    return [(f"#{shield} {first} {last}", count) for shield, first, last, count in rows]


@dataclass
class BeforeAfter:
    """Activity on a problem in equal windows before and after its responses started.

    The two are compared only once the window after is complete (it ends no later than today).
    """

    problem_id: int
    started_on: date | None
    window_days: int
    before: int
    after: int
    complete: bool = False

    @property
    def after_ends_on(self) -> date | None:
        """The last day of the window after the start."""
        return self.started_on and self.started_on + timedelta(days=self.window_days - 1)


def problem_activity(problem_ids: list[int], today: date,
                     window_days: int = 90) -> dict[int, BeforeAfter]:
    """Each problem's records in the `window_days` before and after its first response started.

    Both windows have the same length; the one after counts only up to today and is complete
    once it has ended. Problems are matched across plan versions by lineage; this is the
    Assessment stage of SARA.
    """
    if not problem_ids:
        return {}
    problems = {p.id: p.lineage_key for p in db.session.scalars(
        select(Problem).where(Problem.id.in_(problem_ids)))}
    lineages = set(problems.values())
    starts = dict(db.session.execute(
        select(Problem.lineage_key, func.min(PlannedResponse.start_on))
        .join(PlannedResponse, PlannedResponse.problem_id == Problem.id)
        .where(Problem.lineage_key.in_(lineages)).group_by(Problem.lineage_key)).all())
    records = db.session.execute(
        select(Problem.lineage_key, EngagementRecord.occurred_on)
        .join(Problem, Problem.id == EngagementRecord.problem_id)
        .where(Problem.lineage_key.in_(lineages))).all()
    by_lineage: dict[str, list[date]] = {}
    for lineage, occurred_on in records:
        by_lineage.setdefault(lineage, []).append(occurred_on)
    result = {}
    for problem_id, lineage in problems.items():
        start = starts.get(lineage)
        days = by_lineage.get(lineage, [])
        if start is None:
            result[problem_id] = BeforeAfter(problem_id, None, window_days, 0, len(days))
            continue
        window = timedelta(days=window_days)
        before = sum(1 for d in days if start - window <= d < start)
        after = sum(1 for d in days if start <= d < min(start + window, today + timedelta(1)))
        result[problem_id] = BeforeAfter(problem_id, start, window_days, before, after,
                                         start + window <= today + timedelta(1))
    return result


def export_csv(filters: EngagementFilter) -> str:
    """Records in the original five-column format, oldest first.

    The columns are Date, Time, CallType, ShieldNumber and Location; importing the export again
    adds nothing.
    """
    output = io.StringIO()
    writer = csv.writer(output)
    writer.writerow(EXPORT_COLUMNS)
    rows = db.session.connection().execute(filters.apply(
        select(EngagementRecord.occurred_on, EngagementRecord.occurred_time,
               EngagementRecord.call_type, EngagementRecord.shield_number,
               EngagementRecord.location)
        .order_by(EngagementRecord.occurred_on, EngagementRecord.id)))
    for occurred_on, occurred_time, call_type, shield, location in rows:
        writer.writerow([occurred_on.isoformat(),
                         occurred_time.strftime("%H:%M:%S") if occurred_time else "",
                         spreadsheet_safe(call_type), spreadsheet_safe(shield),
                         spreadsheet_safe(location)])
    return output.getvalue()
