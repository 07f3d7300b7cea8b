"""The member roster import: update-or-insert by shield number, rejects, dry runs, real data."""

from __future__ import annotations

import time
from datetime import date, datetime

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from cpp_app.audit.models import AuditEvent
from cpp_app.extensions import db
from cpp_app.importing.models import ImportBatch
from cpp_app.importing.pipeline import ImportFileError
from cpp_app.stations.models import Member
from cpp_app.stations.services import find_member
from tests import factories
from tests.helpers import TEST_DATA, row_count

CHICAGO_CIT = TEST_DATA / "chicago_cpd_FOIA_P050308_ActiveSworn_CIT_40HR_Certified.xlsx"
HEADER = "Shield number,First name,Last name,Station,Type,Languages,Start date\n"


def audit_actions() -> list[str]:
    """Every audit event's action, in sequence order."""
    return list(db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.sequence)))


def test_known_shield_numbers_are_updated_and_new_ones_inserted(csv_file, import_members):
    station = factories.make_station("CEN")
    factories.make_member(station, shield="100", first_name="Ann", last_name="Lee",
                          employment_type="sworn", start_date=date(2010, 1, 1))
    path = csv_file(HEADER + "100,Ann,Lee-Park,CEN,sworn,,2010-01-01\n"
                             "200,Bo,Kim,cen,professional,,03/04/2021\n")
    result = import_members(path)
    assert result.summary == {"read": 2, "inserted": 1, "updated": 1, "unchanged": 0,
                              "rejected": 0}
    assert row_count(Member) == 2
    assert find_member("100").last_name == "Lee-Park"
    new = find_member("200")
    assert (new.first_name, new.last_name, new.station_id) == ("Bo", "Kim", station.id)
    assert new.employment_type == "professional"
    assert new.start_date == date(2021, 3, 4)
    assert audit_actions() == ["member.import_update", "member.import_create", "import.members"]


def test_reimporting_the_same_file_changes_nothing(csv_file, import_members):
    factories.make_station("CEN")
    path = csv_file(HEADER + "1,Ann,Lee,CEN,sworn,Spanish,2010-01-01\n"
                             "2,Bo,Kim,CEN,professional,ko; es,\n"
                             "3,Cy,Park,,,,45292\n")
    first = import_members(path)
    assert first.summary["inserted"] == 3
    events_before = row_count(AuditEvent)
    snapshots = {m.shield_number: m.audit_snapshot() for m in db.session.scalars(select(Member))}

    again = import_members(path)
    assert again.summary == {"read": 3, "inserted": 0, "updated": 0, "unchanged": 3,
                             "rejected": 0}
    new_events = list(db.session.scalars(
        select(AuditEvent).where(AuditEvent.sequence > events_before)))
    assert [(e.action, e.entity_id) for e in new_events] == [
        ("import.members", str(again.batch.id))
    ]
    db.session.expire_all()
    assert {m.shield_number: m.audit_snapshot()
            for m in db.session.scalars(select(Member))} == snapshots


def test_each_rejected_row_is_reported_with_its_line_and_reason(csv_file, import_members):
    factories.make_station("CEN")
    path = csv_file(
        HEADER
        + "10,Ann,Lee,CEN,sworn,,\n"             # line 2: good
        + "11,Bo,Kim,ZZZ,sworn,,\n"              # line 3: unknown station
        + ",Cy,Park,CEN,sworn,,\n"               # line 4: empty shield
        + "10,Di,Lee,CEN,sworn,,\n"              # line 5: duplicate of line 2
        + "12,Ed,Cho,CEN,sworn,Xyzzy,\n"         # line 6: unknown language
        + "13,Fay,Ng,CEN,sworn,,2024-13-45\n"    # line 7: bad date
        + "14,Gus,Roe,CEN,contractor,,\n"        # line 8: neither sworn nor professional
        + "15,Hal,Ito,CEN,civilian,es,\n"        # line 9: good
    )
    result = import_members(path)
    assert result.summary == {"read": 8, "inserted": 2, "updated": 0, "unchanged": 0,
                              "rejected": 6}
    assert [(r.line_number, r.reason) for r in result.rejects] == [
        (3, "station 'ZZZ' does not exist (use a station code)"),
        (4, "the shield number is empty"),
        (5, "shield number 10 already appears on line 2"),
        (6, "language 'Xyzzy' is not a known language name or code"),
        (7, "start date '2024-13-45' is not a date (use YYYY-MM-DD or MM/DD/YYYY)"),
        (8, "type 'contractor' is not sworn or professional"),
    ]
    assert result.rejects[0].values["Station"] == "ZZZ"
    assert set(db.session.scalars(select(Member.shield_number))) == {"10", "15"}
    assert find_member("15").employment_type == "professional"
    batch = db.session.get(ImportBatch, result.batch.id)
    assert batch.rows_rejected == 6
    assert len(batch.rejects) == 6


def test_dry_run_writes_nothing_but_records_a_dry_run_batch(csv_file, import_members):
    station = factories.make_station("CEN")
    factories.make_member(station, shield="1", first_name="Ann", last_name="Lee")
    events_before = row_count(AuditEvent)
    path = csv_file(HEADER + "1,Ann,Lee,CEN,professional,,\n2,Bo,Kim,CEN,sworn,,\n"
                    ",No,Shield,,,,\n")
    result = import_members(path, dry_run=True)
    assert result.summary == {"read": 3, "inserted": 1, "updated": 1, "unchanged": 0,
                              "rejected": 1}
    db.session.expire_all()
    assert row_count(Member) == 1
    assert find_member("1").employment_type == "sworn"
    assert row_count(AuditEvent) == events_before
    assert [(c.line_number, c.action, c.text) for c in result.changes] == [
        (2, "update", "#1 Ann Lee, CEN: type, start date"), (3, "add", "#2 Bo Kim, CEN")]
    batch = db.session.scalar(select(ImportBatch))
    assert batch.dry_run
    assert batch.status == "completed"
    assert (batch.rows_inserted, batch.rows_updated, batch.rows_rejected) == (1, 1, 1)
    assert [reject.line_number for reject in batch.rejects] == [4]


def test_file_without_a_shield_column_fails_whole_and_names_the_column(csv_file,
                                                                       import_members):
    path = csv_file("First name,Last name,Station\nAnn,Lee,CEN\n")
    with pytest.raises(ImportFileError, match="no column for: Shield number"):
        import_members(path)
    batch = db.session.scalar(select(ImportBatch))
    assert batch.status == "failed"
    assert not batch.succeeded
    assert "Shield number" in batch.message
    assert row_count(Member) == 0


def test_columns_absent_from_the_file_leave_existing_values_alone(csv_file, import_members):
    station = factories.make_station("CEN")
    factories.make_member(station, shield="77", first_name="Ann", last_name="Lee",
                          employment_type="professional", assigned_to_patrol=False,
                          start_date=date(2001, 2, 3), active=False, languages=["es", "vi"])
    path = csv_file("Shield number,First name,Last name\n77,Annie,Lee\n")
    result = import_members(path)
    assert result.summary["updated"] == 1
    db.session.expire_all()
    member = find_member("77")
    assert member.first_name == "Annie"
    assert member.station_id == station.id
    assert member.employment_type == "professional"
    assert member.assigned_to_patrol is False
    assert member.start_date == date(2001, 2, 3)
    assert member.active is False
    assert member.language_codes == ["es", "vi"]


def test_full_name_last_comma_first_is_split_and_languages_become_codes(csv_file,
                                                                        import_members):
    path = csv_file('Badge,Full name,Languages\n5,"GARCIA, MARIA",Spanish; ko\n'
                    '6,"de la Cruz, Ana",\n')
    result = import_members(path)
    assert result.summary["inserted"] == 2, [r.reason for r in result.rejects]
    maria = find_member("5")
    assert (maria.first_name, maria.last_name) == ("Maria", "Garcia")
    assert maria.language_codes == ["es", "ko"]
    assert (find_member("6").first_name, find_member("6").last_name) == ("Ana", "de la Cruz")


# --- Real data: the Chicago Police CIT roster (FOIA P050308) --------------------------------


def chicago_expectations() -> dict:
    """What the import should do, worked out from the workbook with openpyxl alone."""
    workbook = load_workbook(CHICAGO_CIT, read_only=True, data_only=True)
    rows = list(workbook.worksheets[0].iter_rows(values_only=True))
    workbook.close()
    header_index = next(i for i, row in enumerate(rows)
                        if "STAR/BADGE" in [str(cell).strip() for cell in row if cell])
    star_column = rows[header_index].index("STAR/BADGE")
    first_line = {}
    duplicates = []  # (line, star, line where the star first appeared)
    data_rows = 0
    for index, row in enumerate(rows[header_index + 1:], start=header_index + 2):
        if all(cell is None or str(cell).strip() == "" for cell in row):
            continue
        data_rows += 1
        star = str(row[star_column]).strip()
        if star in first_line:
            duplicates.append((index, star, first_line[star]))
        else:
            first_line[star] = index
    first = next(row for row in rows[header_index + 1:] if any(row))
    return {"header_line": header_index + 1, "data_rows": data_rows,
            "distinct": len(first_line), "duplicates": duplicates, "first": first}


def test_chicago_cit_roster_imports_and_reimports_idempotently(import_members):
    expected = chicago_expectations()
    assert (expected["header_line"], expected["data_rows"]) == (6, 2236)  # a preamble to skip

    started = time.perf_counter()
    result = import_members(CHICAGO_CIT)
    first_seconds = time.perf_counter() - started
    assert result.summary == {
        "read": expected["data_rows"], "inserted": expected["distinct"], "updated": 0,
        "unchanged": 0, "rejected": len(expected["duplicates"]),
    }
    assert expected["duplicates"], "the real file has repeated star numbers"
    assert [(r.line_number, r.reason) for r in result.rejects] == [
        (line, f"shield number {star} already appears on line {earlier}")
        for line, star, earlier in expected["duplicates"]
    ]
    assert row_count(Member) == expected["distinct"]

    last, first, star, appointed = expected["first"][:4]
    member = find_member(str(star))
    assert (member.first_name, member.last_name) == (first.title(), last.title())
    assert member.start_date == (appointed.date() if isinstance(appointed, datetime)
                                 else appointed)
    assert member.employment_type == "sworn"
    assert member.active

    again = import_members(CHICAGO_CIT)
    assert again.summary == {
        "read": expected["data_rows"], "inserted": 0, "updated": 0,
        "unchanged": expected["distinct"], "rejected": len(expected["duplicates"]),
    }
    assert row_count(Member) == expected["distinct"]
    assert first_seconds < 30
