"""Stakeholders from a directory file (CSV or Excel): update-or-insert by station and name."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from cpp_app.audit import services as audit
from cpp_app.extensions import db
from cpp_app.importing.columns import FieldSpec
from cpp_app.importing.kinds import ImportKind
from cpp_app.importing.pipeline import (
    ImportSpec,
    PlannedChange,
    Row,
    RowRejected,
    ValidRow,
    WriteCounts,
)
from cpp_app.importing.values import parse_bool, split_list
from cpp_app.outreach import services
from cpp_app.outreach.models import Stakeholder, StakeholderContact, StakeholderKind
from cpp_app.permissions import Action
from cpp_app.stations.languages import language_code_for
from cpp_app.stations.models import Station
from cpp_app.stations.services import normalise_station_code

STAKEHOLDER_FIELDS = [
    FieldSpec("station", "Station", ("station code", "district", "precinct"), required=True),
    FieldSpec("name", "Organisation", ("organization", "organisation name", "name",
                                       "stakeholder"), required=True),
    FieldSpec("kind", "Kind", ("type", "category", "kind of organisation")),
    FieldSpec("contact_name", "Contact name", ("contact", "contact person")),
    FieldSpec("contact_role", "Contact role", ("role", "title", "position")),
    FieldSpec("email", "Email", ("e-mail", "contact email")),
    FieldSpec("phone", "Phone", ("telephone", "contact phone", "phone number")),
    FieldSpec("languages", "Languages served", ("languages", "language")),
    FieldSpec("may_distrust_police", "May distrust police",
              ("distrust", "community may distrust police", "flagged")),
    FieldSpec("notes", "Notes", ("comments",)),
    FieldSpec("active", "Active", ("status",)),
]
_KIND_BY_WORD = {**{kind.value: kind for kind in StakeholderKind},
                 **{kind.label.lower(): kind for kind in StakeholderKind},
                 "organization": StakeholderKind.OTHER, "nonprofit": StakeholderKind.NON_PROFIT,
                 "non-profit": StakeholderKind.NON_PROFIT,
                 "fraternal organization": StakeholderKind.FRATERNAL,
                 "advocacy": StakeholderKind.ADVOCACY_GROUP,
                 "chamber": StakeholderKind.CHAMBER_OF_COMMERCE,
                 "government": StakeholderKind.CITY_GOVERNMENT,
                 "neighborhood association": StakeholderKind.NEIGHBOURHOOD_ASSOCIATION,
                 "temple": StakeholderKind.OTHER}


@dataclass
class StakeholderRow:
    """A directory row's clean values."""

    details: services.StakeholderDetails
    present: frozenset[str]


class StakeholderImportSpec(ImportSpec):
    """How a directory file becomes stakeholders, matched by station and organisation name."""

    kind = "stakeholders"
    fields = STAKEHOLDER_FIELDS

    def __init__(self) -> None:
        self._stations = {s.code: s.id for s in db.session.scalars(select(Station))}

    def validate(self, row: Row) -> StakeholderRow:
        """Check one row and turn it into stakeholder details."""
        cells = row.cells
        station_id = self._station_in_reach(cells.get("station", ""))
        name = " ".join(cells.get("name", "").split())
        if not name:
            raise RowRejected("the organisation name is empty")
        kind = _KIND_BY_WORD.get(cells.get("kind", "").strip().lower() or "other")
        if kind is None:
            raise RowRejected(f"kind {cells['kind']!r} is not one of: "
                              + ", ".join(kind.label for kind in StakeholderKind))
        languages = []
        for item in split_list(cells.get("languages", "")):
            language = language_code_for(item)
            if language is None:
                raise RowRejected(f"language {item!r} is not a known language name or code")
            languages.append(language)
        contacts = []
        if cells.get("contact_name") or cells.get("email") or cells.get("phone"):
            try:
                contacts.append(services.ContactDetails(
                    name=cells.get("contact_name") or cells.get("email") or "Contact",
                    role=cells.get("contact_role", ""),
                    email=services.clean_email(cells.get("email", "")),
                    phone=services.clean_phone(cells.get("phone", ""))))
            except services.OutreachError as error:
                raise RowRejected(str(error)) from error
        details = services.StakeholderDetails(
            station_id=station_id, name=name, kind=kind,
            languages=sorted(set(languages)),
            may_distrust_police=bool(parse_bool(cells.get("may_distrust_police", ""),
                                                "may distrust police", default=False)),
            notes=cells.get("notes", ""),
            active=bool(parse_bool(cells.get("active", ""), "active", default=True)),
            contacts=contacts)
        return StakeholderRow(details, self.present)

    def _station_in_reach(self, text: str) -> int:
        """The id of the row's station, which must exist and be one the importer may write."""
        code = normalise_station_code(text)
        if code not in self._stations:
            raise RowRejected(f"station {text!r} does not exist")
        station_id = self._stations[code]
        if not self.reach.allows(station_id):
            codes = {station_id: code for code, station_id in self._stations.items()}
            raise RowRejected(self.reach.refusal(code, codes))
        return station_id

    def write(self, rows: list[ValidRow]) -> WriteCounts:
        """Insert new organisations, update changed ones, add contacts not yet known."""
        counts = WriteCounts()
        existing = {
            (s.station_id, s.name.lower()): s
            for s in db.session.scalars(select(Stakeholder)
                                        .options(selectinload(Stakeholder.contacts)))
        }
        changes = []
        for row in rows:
            details = row.values.details
            stakeholder = existing.get((details.station_id, details.name.lower()))
            before = stakeholder.audit_snapshot() if stakeholder else None
            known_contacts = _contact_keys(stakeholder) if stakeholder else set()
            if stakeholder is None:
                stakeholder = Stakeholder(contacts=[])
                db.session.add(stakeholder)
                existing[(details.station_id, details.name.lower())] = stakeholder
            _apply(stakeholder, details, row.values.present)
            new_contacts = [c for c in details.contacts
                            if (c.name.lower(), c.email.lower()) not in known_contacts]
            stakeholder.contacts.extend(StakeholderContact(
                name=c.name, role=c.role, email=c.email, phone=c.phone) for c in new_contacts)
            if before is None:
                counts.inserted += 1
                changes.append(("stakeholder.import_create", stakeholder, None))
            elif new_contacts or stakeholder.audit_snapshot() != before:
                counts.updated += 1
                changes.append(("stakeholder.import_update", stakeholder, before))
            else:
                counts.unchanged += 1
                continue
            if self.listing_changes:
                counts.changes.append(self._planned(row.line_number, stakeholder, before,
                                                    len(new_contacts)))
        db.session.flush()
        audit.record_many([audit.Change(action, "stakeholders", s.id, before,
                                        s.audit_snapshot(), s.station_id, s.name)
                           for action, s, before in changes])
        return counts


    def _planned(self, line: int, stakeholder: Stakeholder, before: dict | None,
                 new_contacts: int) -> PlannedChange:
        """What the row would do to the organisation, for a dry run."""
        codes = {station_id: code for code, station_id in self._stations.items()}
        text = f"{codes.get(stakeholder.station_id, '')} {stakeholder.name}"
        if new_contacts:
            text += f" (+{new_contacts} contact{'' if new_contacts == 1 else 's'})"
        return PlannedChange(line, "add" if before is None else "update", text)


def _contact_keys(stakeholder: Stakeholder) -> set[tuple[str, str]]:
    return {(c.name.lower(), c.email.lower()) for c in stakeholder.contacts}


def _apply(stakeholder: Stakeholder, details: services.StakeholderDetails,
           present: frozenset[str]) -> None:
    """Set what the row says; absent columns and blank cells keep the current values.

    So a second row for the same organisation, carrying another contact, changes nothing else.
    """
    stakeholder.station_id = details.station_id
    stakeholder.name = details.name
    if stakeholder.kind is None or "kind" in present:
        stakeholder.kind = details.kind
    for name in ("may_distrust_police", "active"):
        if getattr(stakeholder, name) is None or name in present:
            setattr(stakeholder, name, getattr(details, name))
    for name, empty in (("languages", []), ("notes", "")):
        if getattr(stakeholder, name) is None or getattr(details, name):
            setattr(stakeholder, name, getattr(details, name) or empty)


def stakeholder_spec(_options: Mapping[str, Any]) -> StakeholderImportSpec:
    """A fresh stakeholder import (it takes no options)."""
    return StakeholderImportSpec()


STAKEHOLDER_IMPORT = ImportKind(
    name="stakeholders", label="Stakeholders", fields=STAKEHOLDER_FIELDS,
    make_spec=stakeholder_spec, action=Action.IMPORT_STAKEHOLDERS,
    upload_endpoint="outreach.stakeholder_import", station_scoped=True)
