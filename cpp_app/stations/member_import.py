"""Members from a roster file (CSV or Excel): update-or-insert by shield number."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from cpp_app.audit import services as audit
from cpp_app.extensions import db
from cpp_app.importing.columns import FieldSpec, OneOf
from cpp_app.importing.kinds import ImportKind
from cpp_app.importing.pipeline import (
    ImportSpec,
    PlannedChange,
    Row,
    RowRejected,
    ValidRow,
    WriteCounts,
)
from cpp_app.importing.values import (
    CellError,
    parse_bool,
    parse_date,
    split_full_name,
    split_list,
    tidy_name,
)
from cpp_app.permissions import Action
from cpp_app.stations.languages import language_code_for
from cpp_app.stations.models import EmploymentType, Member, Station
from cpp_app.stations.names import same_person, shown_name
from cpp_app.stations.services import (
    MemberDetails,
    apply_member_details,
    normalise_shield_number,
    normalise_station_code,
)

#: What rosters and training exports call a member's shield number (Chicago's "star",
#: NYPD's "taxid", Oregon DPSST's identifier, learning systems' employee or member ids).
SHIELD_NUMBER_ALIASES = (
    "shield", "shield no", "shieldnumber", "badge", "badge number", "badge no", "star",
    "star no", "star/badge", "star number", "employee number", "employee id", "taxid",
    "tax id", "officer id", "dpsst identifier", "member id",
)

MEMBER_FIELDS = [
    FieldSpec("shield_number", "Shield number", SHIELD_NUMBER_ALIASES, required=True),
    FieldSpec("first_name", "First name", ("first", "given name", "forename")),
    FieldSpec("last_name", "Last name", ("last", "surname", "family name")),
    FieldSpec("full_name", "Full name", ("name", "officer name", "member name", "employee name")),
    FieldSpec("station", "Station", ("station code", "district", "precinct", "unit")),
    FieldSpec("employment_type", "Type", ("employment type", "sworn or professional",
                                          "sworn/professional", "category", "sworn")),
    FieldSpec("assigned_to_patrol", "Assigned to patrol", ("patrol", "on patrol")),
    FieldSpec("languages", "Languages", ("languages spoken", "language", "language skills")),
    FieldSpec("start_date", "Start date", ("date of appointment", "appointment date", "hire date",
                                           "hired", "date hired")),
    FieldSpec("active", "Active", ("status", "active status")),
]
NAME_COLUMNS = OneOf((("first_name", "last_name"), ("full_name",)),
                     "First name and Last name (or Full name)")

#: How a dry run names the member columns a row would change.
CHANGE_LABELS = {"first_name": "first name", "last_name": "last name", "station_id": "station",
                 "employment_type": "type", "assigned_to_patrol": "assigned to patrol",
                 "start_date": "start date"}

SWORN_WORDS = {"sworn", "officer", "deputy", "yes", "y", "true", "1"}
PROFESSIONAL_WORDS = {"professional", "civilian", "non-sworn", "nonsworn", "staff", "no", "n",
                      "false", "0"}


@dataclass
class MemberRow:
    """A roster row's clean values; `present` names the columns the file has."""

    details: MemberDetails
    present: frozenset[str]


class MemberImportSpec(ImportSpec):
    """How a roster file becomes members: a shield number, and names one way or another."""

    kind = "members"
    fields = MEMBER_FIELDS
    alternatives = (NAME_COLUMNS,)

    def __init__(self) -> None:
        self._stations = {
            station.code: station.id for station in db.session.scalars(select(Station))
        }
        self._seen_shields: dict[str, int] = {}
        self._names = {shield: (first, last) for shield, first, last in db.session.execute(
            select(Member.shield_number, Member.first_name, Member.last_name))}

    def validate(self, row: Row) -> MemberRow:
        """Check one roster row and turn it into member details."""
        cells = row.cells
        shield = normalise_shield_number(cells.get("shield_number", ""))
        if not shield:
            raise RowRejected("the shield number is empty")
        if len(shield) > 20:
            raise RowRejected(f"shield number {shield!r} is longer than 20 characters")
        if shield in self._seen_shields:
            raise RowRejected(
                f"shield number {shield} already appears on line {self._seen_shields[shield]}"
            )
        first, last = self._given_names(cells)
        self._check_same_person(shield, first, last)
        details = MemberDetails(
            shield_number=shield,
            first_name=first,
            last_name=last,
            station_id=self._station_id(cells.get("station", "")),
            employment_type=self._employment_type(cells.get("employment_type", "")),
            assigned_to_patrol=bool(parse_bool(cells.get("assigned_to_patrol", ""),
                                               "assigned to patrol", default=False)),
            start_date=parse_date(cells.get("start_date", ""), "start date"),
            active=bool(parse_bool(cells.get("active", ""), "active", default=True)),
            language_codes=self._languages(cells.get("languages", "")),
        )
        self._seen_shields[shield] = row.line_number
        return MemberRow(details, self.present)

    def write(self, rows: list[ValidRow]) -> WriteCounts:
        """Insert new shield numbers, update changed members, count the unchanged."""
        counts = WriteCounts()
        if not rows:
            return counts
        shields = [row.values.details.shield_number for row in rows]
        existing = {
            member.shield_number: member
            for member in db.session.scalars(
                select(Member).options(selectinload(Member.languages))
                .where(Member.shield_number.in_(shields))
            )
        }
        changes = []
        for row in rows:
            member_row: MemberRow = row.values
            member = existing.get(member_row.details.shield_number)
            if member is None:
                member = Member()
                apply_member_details(member, member_row.details)
                db.session.add(member)
                counts.inserted += 1
                changes.append(("member.import_create", member, None))
                self._plan(counts, row.line_number, "add", member, None)
                continue
            details = _merge_with_existing(member, member_row)
            before = member.audit_snapshot()
            apply_member_details(member, details)
            if member.audit_snapshot() == before:
                counts.unchanged += 1
            else:
                counts.updated += 1
                changes.append(("member.import_update", member, before))
                self._plan(counts, row.line_number, "update", member, before)
        db.session.flush()
        audit.record_many([
            audit.Change(action, "members", member.id, before, member.audit_snapshot(),
                         member.station_id, member.label)
            for action, member, before in changes
        ])
        return counts

    def _plan(self, counts: WriteCounts, line: int, action: str, member: Member,
              before: dict | None) -> None:
        """On a dry run, say what the row would do to the member."""
        if not self.listing_changes:
            return
        codes = {station_id: code for code, station_id in self._stations.items()}
        station = codes.get(member.station_id, "no station")
        text = f"#{member.shield_number} {member.full_name}, {station}"
        if before is not None:
            after = member.audit_snapshot()
            changed = [CHANGE_LABELS.get(key, key) for key in after if after[key] != before[key]]
            text += f": {', '.join(changed) or 'languages'}"
        counts.changes.append(PlannedChange(line, action, text))

    def _check_same_person(self, shield: str, first: str, last: str) -> None:
        """Refuse a row naming someone else than the member who holds its shield number."""
        known = self._names.get(shield)
        if known is not None and not same_person(*known, first, last):
            raise RowRejected(
                f"shield number {shield} is {shown_name(*known)} here, but the file names "
                f"{shown_name(first, last)}: check the shield number, or correct the member's "
                "name first")

    def _given_names(self, cells: dict[str, str]) -> tuple[str, str]:
        first, last = cells.get("first_name", ""), cells.get("last_name", "")
        if not (first and last) and cells.get("full_name"):
            first, last = split_full_name(cells["full_name"])
        if not last:
            raise RowRejected("the last name is empty")
        if not first:
            raise RowRejected("the first name is empty")
        if len(first) > 80 or len(last) > 80:
            raise RowRejected("a name is longer than 80 characters")
        return tidy_name(first), tidy_name(last)

    def _station_id(self, text: str) -> int | None:
        if not text:
            return None
        code = normalise_station_code(text)
        if code not in self._stations:
            raise RowRejected(f"station {text!r} does not exist (use a station code)")
        return self._stations[code]

    @staticmethod
    def _employment_type(text: str) -> str:
        word = text.strip().lower()
        if not word or word in SWORN_WORDS:
            return EmploymentType.SWORN
        if word in PROFESSIONAL_WORDS:
            return EmploymentType.PROFESSIONAL
        raise CellError(f"type {text!r} is not sworn or professional")

    @staticmethod
    def _languages(text: str) -> list[str]:
        codes = []
        for item in split_list(text):
            code = language_code_for(item)
            if code is None:
                raise RowRejected(f"language {item!r} is not a known language name or code")
            if code not in codes:
                codes.append(code)
        return sorted(codes)


def _merge_with_existing(member: Member, member_row: MemberRow) -> MemberDetails:
    """Keep the member's current values for columns the file does not have."""
    details = member_row.details
    current = MemberDetails(
        shield_number=member.shield_number,
        first_name=member.first_name,
        last_name=member.last_name,
        station_id=member.station_id,
        employment_type=member.employment_type,
        assigned_to_patrol=member.assigned_to_patrol,
        start_date=member.start_date,
        active=member.active,
        language_codes=member.language_codes,
    )
    column_for_field = {
        "station_id": "station", "employment_type": "employment_type",
        "assigned_to_patrol": "assigned_to_patrol", "start_date": "start_date",
        "active": "active", "language_codes": "languages",
    }
    merged = {}
    for item in fields(MemberDetails):
        column = column_for_field.get(item.name)
        keep_current = column is not None and column not in member_row.present
        merged[item.name] = getattr(current if keep_current else details, item.name)
    return MemberDetails(**merged)


def member_spec(_options: Mapping[str, Any]) -> MemberImportSpec:
    """A fresh member import (it takes no options)."""
    return MemberImportSpec()


MEMBER_IMPORT = ImportKind(
    name="members", label="Members", fields=MEMBER_FIELDS, make_spec=member_spec,
    action=Action.IMPORT_MEMBERS, upload_endpoint="stations.member_import")
