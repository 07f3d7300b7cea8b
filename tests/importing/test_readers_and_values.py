"""Reading CSV/XLSX files (headers, encodings, preambles, line numbers) and parsing cell values."""

from __future__ import annotations

import subprocess
import sys
from datetime import date, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select

from cpp_app.extensions import db
from cpp_app.importing.columns import (
    FieldSpec,
    MissingColumnsError,
    OneOf,
    map_columns,
    normalise_header,
    require_columns,
)
from cpp_app.importing.models import ImportBatch
from cpp_app.importing.pipeline import TOO_MANY_CELLS, ImportFileError
from cpp_app.importing.readers import UnreadableFileError, open_table
from cpp_app.importing.values import CellError, parse_date
from cpp_app.stations.member_import import MEMBER_FIELDS
from cpp_app.stations.models import Member
from cpp_app.training.importing import TRAINING_FIELDS


def read_all(path):
    """Every data row of a file as (line number, {header: text}) pairs."""
    table = open_table(path, MEMBER_FIELDS)
    rows = []
    for chunk in table.chunks(chunk_size=2):
        for line, record in zip(chunk.line_numbers, chunk.frame.to_dict("records"), strict=True):
            rows.append((line, {header: record[header] for header in table.headers}))
    return table, rows


# --- Headers --------------------------------------------------------------------------------


@pytest.mark.parametrize("header", ["Shield number", "SHIELD_NUMBER", "  shield-number ",
                                    "Shield No.", "star / badge", "\ufeffBadge #"])
def test_shield_header_matches_regardless_of_case_spacing_and_punctuation(header):
    mapping = map_columns([header, "First name", "Last name"], MEMBER_FIELDS)
    assert mapping["shield_number"] == header


def test_header_normalisation_drops_case_spaces_punctuation_and_bom():
    assert normalise_header("\ufeff  Date of Appointment: ") == "dateofappointment"
    assert normalise_header("LAST_NAME") == normalise_header("last name") == "lastname"


def test_headers_match_the_fields_own_name_before_an_alias():
    # "name" is an alias of full_name; the file's "full_name" column is the better match.
    headers = ["taxid", "name", "full_name", "date"]
    assert map_columns(headers, MEMBER_FIELDS)["full_name"] == "full_name"
    assert MEMBER_FIELDS[3].header_keys()[:2] == ("fullname", "name")
    script = ("from cpp_app.importing.columns import map_columns;"
              "from cpp_app.stations.member_import import MEMBER_FIELDS;"
              f"print(map_columns({headers!r}, MEMBER_FIELDS)['full_name'])")
    for seed in ("1", "2", "3"):  # the choice must not depend on string hashing
        answer = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                                check=True, cwd=Path(__file__).parents[2],
                                env={"PYTHONHASHSEED": seed, "PATH": ""})
        assert answer.stdout.strip() == "full_name"


def test_missing_columns_are_named_required_fields_first_then_unmet_alternatives():
    fields = [FieldSpec("a", "Alpha", required=True), FieldSpec("b", "Beta"),
              FieldSpec("c", "Gamma")]
    either = (OneOf((("b",), ("c",)), "Beta or Gamma"),)
    with pytest.raises(MissingColumnsError) as raised:
        require_columns(fields, either, set())
    assert str(raised.value) == "The file has no column for: Alpha, Beta or Gamma."
    with pytest.raises(MissingColumnsError, match=r"for: Beta or Gamma\.$"):
        require_columns(fields, either, {"a"})
    require_columns(fields, either, {"a", "c"})


def test_a_header_mapped_to_no_field_is_ignored():
    """The mapping page's "Ignore this column" sends "": no alias may claim the column."""
    mapping = map_columns(["Badge", "Last"], MEMBER_FIELDS, {"Badge": "shield_number",
                                                             "Last": ""})
    assert mapping == {"shield_number": "Badge"}


def test_utf8_byte_order_mark_is_ignored(csv_file):
    path = csv_file(b"\xef\xbb\xbfShield number,First name,Last name\n7,Ana,Lopez\n")
    table, rows = read_all(path)
    assert table.encoding == "utf-8-sig"
    assert table.headers == ["Shield number", "First name", "Last name"]
    assert rows == [(2, {"Shield number": "7", "First name": "Ana", "Last name": "Lopez"})]


def test_cp1252_file_is_read_with_its_accents(csv_file):
    path = csv_file("Shield number,First name,Last name\n8,José,Núñez\n", encoding="cp1252")
    table, rows = read_all(path)
    assert table.encoding == "cp1252"
    assert rows[0][1]["First name"] == "José"
    assert rows[0][1]["Last name"] == "Núñez"


# --- Preambles, blank rows and line numbers -------------------------------------------------


def test_csv_preamble_rows_above_the_header_are_skipped(csv_file):
    path = csv_file(
        "Roster export,,\n"
        "Date run: Aug 19 2016,,\n"
        ",,\n"
        "Badge,First,Last\n"
        "11,Ann,Lee\n"
        "12,Bo,Kim\n"
    )
    table, rows = read_all(path)
    assert table.header_line == 4
    assert table.headers == ["Badge", "First", "Last"]
    assert [line for line, _ in rows] == [5, 6]
    assert rows[0][1] == {"Badge": "11", "First": "Ann", "Last": "Lee"}


def test_xlsx_preamble_rows_above_the_header_are_skipped(xlsx_file):
    path = xlsx_file([
        [None, "Date Run: Aug 19, 2016"],
        ["Module ID=", "Crisis Intervention Team"],
        [],
        ["LAST NAME", "FIRST NAME", "STAR/BADGE"],
        [],
        ["ALLEN", "VINCENT", 18439],
    ])
    table, rows = read_all(path)
    assert table.header_line == 4
    assert rows == [(6, {"LAST NAME": "ALLEN", "FIRST NAME": "VINCENT", "STAR/BADGE": "18439"})]


def test_csv_blank_rows_are_skipped_and_line_numbers_stay_true(csv_file):
    path = csv_file("Shield,First,Last\n1,A,Ay\n\n,,\n  ,  , \n2,B,Bee\n\n3,C,Cee\n")
    _, rows = read_all(path)
    assert [(line, cells["Shield"]) for line, cells in rows] == [(2, "1"), (6, "2"), (8, "3")]


def test_xlsx_blank_rows_are_skipped_and_line_numbers_stay_true(xlsx_file):
    path = xlsx_file([["Shield", "First", "Last"], [1, "A", "Ay"], [], [None, "", None],
                      [2, "B", "Bee"]])
    _, rows = read_all(path)
    assert [(line, cells["Shield"]) for line, cells in rows] == [(2, "1"), (5, "2")]


def test_row_with_more_cells_than_headers_is_rejected_with_its_line(csv_file, import_members):
    path = csv_file("Shield,First,Last\n1,Ann,Lee\n2,Bo,Kim,surprise\n\n3,Cy,Park\n")
    result = import_members(path)
    assert result.summary == {"read": 3, "inserted": 2, "updated": 0, "unchanged": 0,
                              "rejected": 1}
    assert [(reject.line_number, reject.reason) for reject in result.rejects] == [
        (3, TOO_MANY_CELLS)
    ]
    shields = set(db.session.scalars(select(Member.shield_number)))
    assert shields == {"1", "3"}


def test_a_first_row_with_two_extra_cells_is_rejected_and_moves_no_cell(csv_file,
                                                                        import_members):
    path = csv_file("Shield,First,Last\n1,Ann,Lee,extra,more\n2,Bo,Kim\n3,Cy,Park\n")
    _, rows = read_all(path)
    assert [cells["Shield"] for _, cells in rows] == ["1", "2", "3"]
    result = import_members(path)
    assert [(reject.line_number, reject.reason) for reject in result.rejects] == [
        (2, TOO_MANY_CELLS)]
    assert set(db.session.scalars(select(Member.shield_number))) == {"2", "3"}


# --- Values ---------------------------------------------------------------------------------


def test_leading_zeros_in_csv_shield_numbers_are_kept(csv_file, import_members):
    path = csv_file("Shield number,First name,Last name\n00123,Ann,Lee\n0042,Bo,Kim\n")
    _, rows = read_all(path)
    assert [cells["Shield number"] for _, cells in rows] == ["00123", "0042"]
    import_members(path)
    assert set(db.session.scalars(select(Member.shield_number))) == {"00123", "0042"}


def test_leading_zeros_in_xlsx_text_cells_are_kept(xlsx_file):
    path = xlsx_file([["Shield number", "First name", "Last name"], ["00123", "Ann", "Lee"]])
    _, rows = read_all(path)
    assert rows[0][1]["Shield number"] == "00123"


@pytest.mark.parametrize(("text", "expected"), [
    ("2024-03-05", date(2024, 3, 5)),
    ("2024-03-05T16:00:00", date(2024, 3, 5)),
    ("2024-03-05 16:00:00", date(2024, 3, 5)),
    ("03/05/2024", date(2024, 3, 5)),
    ("3/5/2024", date(2024, 3, 5)),
    ("45292", date(2024, 1, 1)),
    ("45292.75", date(2024, 1, 1)),
    ("  ", None),
])
def test_parse_date_reads_iso_us_and_excel_serial_dates(text, expected):
    assert parse_date(text) == expected


def test_excel_date_cells_and_serial_numbers_become_dates(xlsx_file):
    path = xlsx_file([
        ["Shield", "First", "Last", "Start date"],
        [1, "Ann", "Lee", datetime(1992, 1, 2)],  # noqa: DTZ001 - Excel cells hold no time zone
        [2, "Bo", "Kim", date(2014, 5, 27)],
        [3, "Cy", "Park", 45292],
    ])
    _, rows = read_all(path)
    assert [parse_date(cells["Start date"]) for _, cells in rows] == [
        date(1992, 1, 2), date(2014, 5, 27), date(2024, 1, 1)
    ]


@pytest.mark.parametrize("text", ["31/12/2024", "2024-02-30", "13/45/2024", "next Tuesday"])
def test_bad_dates_raise_a_cell_error_naming_the_field_and_the_format(text):
    with pytest.raises(CellError) as raised:
        parse_date(text, "start date")
    message = str(raised.value)
    assert message.startswith(f"start date {text!r} is not a date")
    assert "YYYY-MM-DD" in message
    assert "MM/DD/YYYY" in message


# --- Refused files --------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "words"), [
    ("roster.xls", "Old .xls workbooks are not supported"),
    ("roster.pdf", "Unsupported file type '.pdf'"),
])
def test_xls_and_pdf_files_are_refused_with_a_clear_error(csv_file, name, words):
    path = csv_file(b"%PDF-1.4 not a table", name=name)
    with pytest.raises(UnreadableFileError, match=words):
        open_table(path, MEMBER_FIELDS)


def test_refused_file_type_records_a_failed_batch(csv_file, import_members):
    path = csv_file(b"\xd0\xcf\x11\xe0 old binary workbook", name="roster.xls")
    with pytest.raises(ImportFileError, match=r"save the file as \.xlsx or \.csv"):
        import_members(path)
    batch = db.session.scalar(select(ImportBatch))
    assert batch.status == "failed"
    assert ".xls" in batch.message
    assert db.session.scalar(select(func.count()).select_from(Member)) == 0


def test_an_xlsx_that_is_not_a_workbook_is_refused(csv_file):
    path = csv_file("Shield,First,Last\n1,A,B\n", name="roster.xlsx")
    with pytest.raises(UnreadableFileError, match="not a readable Excel"):
        open_table(path, MEMBER_FIELDS)


def test_empty_file_is_refused(csv_file, import_members):
    path = csv_file(b"")
    with pytest.raises(UnreadableFileError, match="The file is empty"):
        open_table(path, MEMBER_FIELDS)
    with pytest.raises(ImportFileError, match="The file is empty"):
        import_members(path)


def test_a_first_row_far_wider_than_the_header_loses_no_cell(csv_file, import_members):
    """Pandas would drop the cells beyond its column names; the reader gives it room for all."""
    path = csv_file("Shield,First,Last\n1,Ann,Lee" + "," * 18 + "hidden\n2,Bo,Kim\n")
    _, rows = read_all(path)
    assert [cells["Shield"] for _, cells in rows] == ["1", "2"]
    result = import_members(path)
    assert [(reject.line_number, reject.reason) for reject in result.rejects] == [
        (2, TOO_MANY_CELLS)]
    assert set(db.session.scalars(select(Member.shield_number))) == {"2"}


def test_a_column_mapped_to_no_field_is_not_claimed_by_an_alias():
    """A column the user chose to ignore stays ignored, even when its header names a field."""
    headers = ["Badge", "Course", "Completion date", "Hours"]
    assert map_columns(headers, TRAINING_FIELDS, {"Hours": ""}) == {
        "shield_number": "Badge", "completed_on": "Completion date", "course_code": "Course"}
    assert map_columns(headers, TRAINING_FIELDS)["hours"] == "Hours"
