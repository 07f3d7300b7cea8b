"""The real data files in tests/data and their provenance list agree, and each file is small."""

from __future__ import annotations

import csv
import hashlib
import re
from collections import Counter

import pytest

from tests.helpers import TEST_DATA

PROVENANCE = TEST_DATA / "PROVENANCE.md"
MAX_BYTES = 1 << 20
ENTRY = re.compile(r"^## (\S+)\n(.*?)(?=^## |\Z)", re.MULTILINE | re.DOTALL)
SHA256 = re.compile(r"^- SHA-256: `([0-9a-f]{64})`$", re.MULTILINE)
REQUIRED_FIELDS = ("- Source:", "- Commit:", "- Licence seen:", "- Copy:")
UNMATCHED_NEIGHBOURHOODS = {"Near - North", "Camden Industrial", "Humboldt Industrial Area"}


def provenance_entries() -> dict[str, str]:
    """Each file PROVENANCE.md describes, with the text of its entry."""
    return dict(ENTRY.findall(PROVENANCE.read_text(encoding="utf-8")))


def data_files() -> set[str]:
    """The files in tests/data other than PROVENANCE.md itself."""
    return {path.name for path in TEST_DATA.iterdir() if path != PROVENANCE}


def csv_rows(name: str) -> list[dict[str, str]]:
    """A CSV file of tests/data as a list of rows by header."""
    with (TEST_DATA / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_provenance_lists_exactly_the_files_in_the_folder():
    listed = set(provenance_entries())
    assert len(listed) == 12
    assert listed == data_files()


@pytest.mark.parametrize("name", sorted(provenance_entries()))
def test_each_listed_file_exists_is_under_a_mebibyte_and_is_unchanged(name):
    path = TEST_DATA / name
    assert path.is_file(), f"{name} is listed in PROVENANCE.md but missing"
    data = path.read_bytes()
    assert 0 < len(data) < MAX_BYTES
    entry = provenance_entries()[name]
    for field in REQUIRED_FIELDS:
        assert field in entry, f"{name}: PROVENANCE.md gives no {field!r}"
    assert SHA256.findall(entry) == [hashlib.sha256(data).hexdigest()], (
        f"{name} differs from the file PROVENANCE.md describes")


def test_the_trimmed_stops_keep_every_kind_of_stop_later_work_needs():
    stops = csv_rows("minneapolis_stops_2017_trimmed.csv")
    demographics = {row["neighborhood"] for row in
                    csv_rows("minneapolis_neighborhood_demographics.csv")}
    assert 2_900 <= len(stops) <= 3_100
    assert {row["policePrecinct"] for row in stops} == {"1", "2", "3", "4", "5"}
    assert {row["problem"] for row in stops} == {"traffic", "suspicious"}
    assert {row["MDC"] for row in stops} == {"MDC", "other"}
    assert {row["race"] for row in stops} == {
        "Asian", "Black", "East African", "Latino", "Native American", "Other", "Unknown",
        "White", ""}
    other = [row for row in stops if row["MDC"] == "other"]
    assert other
    assert all(row["personSearch"] == row["vehicleSearch"] == "" for row in other)
    assert Counter(row["citationIssued"] for row in stops).keys() == {"", "NO", "YES"}
    names = {row["neighborhood"] for row in stops}
    assert len(names) == 87
    assert len(demographics) == 84
    assert names - demographics == UNMATCHED_NEIGHBOURHOODS
