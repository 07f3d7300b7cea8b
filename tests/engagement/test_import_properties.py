"""Property tests of the engagement import on generated CSV files.

Every row read is inserted, already present or rejected with a reason, and importing the same
file again adds nothing.
"""

from __future__ import annotations

import csv
import itertools
import re

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from cpp_app.audit.services import acting_as
from cpp_app.engagement.importing import EngagementImportSpec
from cpp_app.engagement.models import KNOWN_CALL_TYPES, EngagementRecord
from cpp_app.extensions import db
from cpp_app.importing.pipeline import TOO_MANY_CELLS, ImportResult, run_import
from tests.helpers import row_count

#: Header rows the import knows, each column with the kind of cell it holds.
LAYOUTS = (
    (("Date", "date"), ("Time", "time"), ("CallType", "call_type"),
     ("ShieldNumber", "shield_number"), ("Location", "location")),
    (("Date", "date"), ("CallType", "call_type"), ("ShieldNumber", "shield_number"),
     ("Location", "location")),
    (("incident_time", "date"), ("incident_location", "location"), ("nature", "call_type"),
     ("officer", "shield_number")),
)
STANDARD = [name for name, _kind in LAYOUTS[0]]
REASON = re.compile("|".join((r"date '.*' is not a date", "the date is empty",
                              r"time '.*' is not a time", "the call type is empty",
                              re.escape(TOO_MANY_CELLS))), re.DOTALL)
#: The longest call type the records' column holds.
CALL_TYPE_LENGTH = EngagementRecord.__table__.c.call_type.type.length
IMPORT_SETTINGS = settings(max_examples=40, deadline=None,
                           suppress_health_check=[HealthCheck.function_scoped_fixture])
file_numbers = itertools.count(1)


def text(allow_nul: bool, max_size: int) -> st.SearchStrategy[str]:
    """Arbitrary text that UTF-8 can encode (NUL bytes only where the database stores them)."""
    return st.text(alphabet=st.characters(codec="utf-8", exclude_characters=(
        "" if allow_nul else "\x00")), max_size=max_size)


def date_cells(allow_nul: bool) -> st.SearchStrategy[str]:
    """Dates as exports write them, and text that is no date.

    Exports write ISO and US dates, two-digit years, Excel serials, and dates with a time.
    """
    days = st.dates()
    return st.one_of(
        days.map(lambda day: day.isoformat()),
        days.map(lambda day: f"{day.month}/{day.day}/{day.year}"),
        days.map(lambda day: day.strftime("%m/%d/%y")),
        st.integers(min_value=1, max_value=250_000).map(str),
        st.datetimes().map(lambda moment: moment.strftime("%m/%d/%Y %H:%M")),
        st.sampled_from(("", " ", "31/31/2017", "2017-02-30", "someday", "0")),
        text(allow_nul, 12),
    )


def time_cells(allow_nul: bool) -> st.SearchStrategy[str]:
    """Times as exports write them (13:05, 1:05 PM, 1305, 13:05:00), and text that is no time."""
    clock = st.times()
    return st.one_of(
        clock.map(lambda moment: moment.strftime("%H:%M")),
        clock.map(lambda moment: moment.strftime("%I:%M %p").lstrip("0")),
        clock.map(lambda moment: moment.strftime("%H%M")),
        clock.map(lambda moment: moment.strftime("%H:%M:%S")),
        st.sampled_from(("", "25:00", "12:60", "0:30 PM", "13:05 PM", "noon")),
        text(allow_nul, 10),
    )


def call_type_cells(allow_nul: bool) -> st.SearchStrategy[str]:
    """Call types: the known ones with odd case and spacing, and others.

    The others are our exports' formula quotes and any text that fits the column.
    """
    known = st.builds(lambda name, upper, pad: f"{pad}{name.upper() if upper else name}{pad}",
                      st.sampled_from(KNOWN_CALL_TYPES), st.booleans(),
                      st.sampled_from(("", " ", "  ")))
    return st.one_of(known, st.sampled_from(("", "'=SUM(A1)", "'-COP Activity", "COP\tActivity")),
                     text(allow_nul, CALL_TYPE_LENGTH))


def rows(layout, allow_nul: bool) -> st.SearchStrategy[list[list[str]]]:
    """Data rows for a layout's columns; a few are short or carry extra cells."""
    cells = {"date": date_cells(allow_nul), "time": time_cells(allow_nul),
             "call_type": call_type_cells(allow_nul), "shield_number": text(allow_nul, 25),
             "location": text(allow_nul, 300)}
    width = len(layout)
    row = st.tuples(*(cells[kind] for _name, kind in layout)).map(list)
    odd_length = st.one_of(
        st.tuples(row, st.lists(text(allow_nul, 5).filter(str.strip), min_size=1, max_size=3))
        .map(lambda pair: pair[0] + pair[1]),
        st.tuples(row, st.integers(1, width - 1)).map(lambda pair: pair[0][:pair[1]]),
    )
    return st.lists(st.one_of(row, row, row, odd_length), max_size=12)


def write_csv(path, header, data_rows) -> None:
    """The rows as a CSV file, quoted wherever a cell needs it."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(data_rows)


def import_file(path) -> ImportResult:
    """The engagement import of a file through the import pipeline."""
    with acting_as("test"):
        return run_import(EngagementImportSpec(), path)


def first_row_becomes_the_index(layout, data_rows: list[list[str]]) -> bool:
    """Whether the first row has two or more cells more than the header.

    Such a row makes the reader take its leading columns as the index (see
    test_readers_and_values.py, marked xfail).
    """
    return bool(data_rows) and len(data_rows[0]) >= len(layout) + 2


def has_text(row: list[str]) -> bool:
    """Whether a row holds a letter or digit (the import reads every such row)."""
    return any(character.isalnum() for cell in row for character in cell)


def is_blank(row: list[str]) -> bool:
    """Whether every cell of a row is empty or spaces and tabs (the import skips such rows)."""
    return all(not cell.strip(" \t") for cell in row)


@IMPORT_SETTINGS
@given(data=st.data())
def test_every_row_is_inserted_present_or_rejected_and_a_second_import_adds_nothing(
        tmp_path, data):
    layout = data.draw(st.sampled_from(LAYOUTS), label="layout")
    data_rows = data.draw(rows(layout, allow_nul=True), label="rows")
    assume(not first_row_becomes_the_index(layout, data_rows))
    path = tmp_path / f"engagement-{next(file_numbers)}.csv"
    write_csv(path, [name for name, _kind in layout], data_rows)
    records_before = row_count(EngagementRecord)

    first = import_file(path)

    counts = first.summary
    assert counts["updated"] == 0
    assert counts["read"] == counts["inserted"] + counts["unchanged"] + counts["rejected"]
    assert sum(has_text(row) for row in data_rows) <= counts["read"]
    assert counts["read"] <= sum(not is_blank(row) for row in data_rows)
    assert len(first.rejects) == counts["rejected"]
    assert all(REASON.fullmatch(reject.reason) for reject in first.rejects), [
        reject.reason for reject in first.rejects]
    assert len({reject.line_number for reject in first.rejects}) == counts["rejected"]
    assert row_count(EngagementRecord) - records_before == counts["inserted"]
    longest = db.session.scalar(select(func.max(func.length(EngagementRecord.call_type))))
    assert (longest or 0) <= CALL_TYPE_LENGTH

    again = import_file(path).summary

    assert again == {"read": counts["read"], "inserted": 0, "updated": 0,
                     "unchanged": counts["inserted"] + counts["unchanged"],
                     "rejected": counts["rejected"]}
    assert row_count(EngagementRecord) - records_before == counts["inserted"]


def test_generated_rows_cover_inserts_and_every_kind_of_reject(tmp_path):
    path = tmp_path / "engagement.csv"
    write_csv(path, STANDARD, [
        ["2017-01-03", "13:05", "cop activity", "1001", "1 Plaza"],
        ["", "13:05", "COP Activity", "1001", "2 Plaza"],
        ["someday", "13:05", "COP Activity", "1001", "3 Plaza"],
        ["2017-01-03", "25:00", "COP Activity", "1001", "4 Plaza"],
        ["2017-01-03", "13:05", "", "1001", "5 Plaza"],
        ["2017-01-03", "13:05", "COP Activity", "1001", "6 Plaza", "extra"],
    ])
    result = import_file(path)
    assert result.summary == {"read": 6, "inserted": 1, "updated": 0, "unchanged": 0,
                              "rejected": 5}
    assert [reject.reason for reject in result.rejects] == [
        "the date is empty", "date 'someday' is not a date", "time '25:00' is not a time",
        "the call type is empty", TOO_MANY_CELLS]
    assert all(REASON.fullmatch(reject.reason) for reject in result.rejects)


def test_a_nul_byte_in_a_cell_is_dropped_not_a_failed_import(tmp_path):
    path = tmp_path / "engagement.csv"
    write_csv(path, STANDARD, [["2017-01-03", "13:05", "COP Activity", "10\x0001", "x"],
                               ["2017-01-0\x004", "\x00", "COP Activity", "1", "y\x00"]])
    counts = import_file(path).summary
    assert counts["read"] == counts["inserted"] == 2
    assert sorted(db.session.execute(select(EngagementRecord.shield_number,
                                            EngagementRecord.location))) == [("1", "y"),
                                                                            ("1001", "x")]


def test_a_call_type_longer_than_its_column_is_rejected(tmp_path):
    path = tmp_path / "engagement.csv"
    write_csv(path, STANDARD, [["2017-01-03", "13:05", "C" * (CALL_TYPE_LENGTH + 1), "1", "x"]])
    result = import_file(path)
    assert result.summary["read"] == result.summary["rejected"] == 1
    assert [reject.reason for reject in result.rejects] == [
        f"the call type is longer than {CALL_TYPE_LENGTH} characters"]
    longest = db.session.scalar(select(func.max(func.length(EngagementRecord.call_type))))
    assert longest is None
