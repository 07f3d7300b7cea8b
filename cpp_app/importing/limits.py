"""How big a file an import takes, checked before it is read, and how much work it is.

A workbook is a zip: a small upload can hold a sheet that expands to gigabytes, or claim a
sheet of 16,384 columns by 1,048,576 rows that the reader would fill in cell by cell. The
uncompressed size and each sheet's stated dimension are read from the zip's directory and the
sheet's first bytes, so such a file is refused before any of it is parsed. Rows are counted
as they are read (a CSV states nothing in advance), and columns from the header.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from flask import current_app, has_app_context

MEGABYTE = 1024 * 1024
#: The most rows one sheet of a workbook can hold.
EXCEL_MAX_ROWS = 1_048_576
SHEET_PREFIX = "xl/worksheets/"
DIMENSION_PROBE_BYTES = 4096
_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\s+ref="([A-Z]{1,3})?(\d+)?(?::([A-Z]{1,3})(\d+))?"')


class FileTooLargeError(ValueError):
    """The file is beyond the configured limits; the message says which and what to do."""


@dataclass(frozen=True)
class ImportLimits:
    """The largest file an import takes."""

    max_rows: int = 2_000_000
    max_columns: int = 200
    max_uncompressed_bytes: int = 300 * MEGABYTE

    def refuse_rows(self, rows: int) -> None:
        """FileTooLargeError once a file has more data rows than allowed."""
        if rows > self.max_rows:
            raise FileTooLargeError(
                f"The file has more than {self.max_rows:,} rows, the most one import takes "
                "(CPP_IMPORT_MAX_ROWS); split it into smaller files.")

    def refuse_columns(self, columns: int) -> None:
        """FileTooLargeError when a header row is wider than allowed."""
        if columns > self.max_columns:
            raise FileTooLargeError(
                f"The file has {columns:,} columns; an import reads at most "
                f"{self.max_columns:,} (CPP_IMPORT_MAX_COLUMNS). Remove the columns it does not "
                "need.")


def import_limits() -> ImportLimits:
    """The limits configured for this app (the defaults outside one)."""
    if not has_app_context():
        return ImportLimits()
    config = current_app.config
    return ImportLimits(max_rows=config["CPP_IMPORT_MAX_ROWS"],
                        max_columns=config["CPP_IMPORT_MAX_COLUMNS"],
                        max_uncompressed_bytes=config["CPP_IMPORT_MAX_UNCOMPRESSED_MB"]
                        * MEGABYTE)


def check_workbook(path: Path, limits: ImportLimits) -> None:
    """Refuse a workbook too big once uncompressed, or whose sheets claim too many cells."""
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
            uncompressed = sum(member.file_size for member in members)
            if uncompressed > limits.max_uncompressed_bytes:
                raise FileTooLargeError(
                    f"The workbook holds {uncompressed / MEGABYTE:,.0f} MB once uncompressed; "
                    f"the limit is {limits.max_uncompressed_bytes / MEGABYTE:,.0f} MB "
                    "(CPP_IMPORT_MAX_UNCOMPRESSED_MB). Save the sheet as CSV, or split it.")
            for member in members:
                if member.filename.startswith(SHEET_PREFIX) and member.filename.endswith(".xml"):
                    with archive.open(member) as sheet:
                        _check_dimension(sheet.read(DIMENSION_PROBE_BYTES), limits)
    except zipfile.BadZipFile:
        return  # not a zip at all: the workbook reader says so in its own words


def work_size(path: Path) -> int:
    """How many bytes reading the file means: a workbook's uncompressed size, else its own."""
    try:
        with zipfile.ZipFile(path) as archive:
            return sum(member.file_size for member in archive.infolist())
    except zipfile.BadZipFile:
        return path.stat().st_size


def _check_dimension(head: bytes, limits: ImportLimits) -> None:
    """Refuse a sheet whose stated dimension (e.g. A1:XFD1048576) is beyond the limits."""
    match = _DIMENSION.search(head)
    if match is None or match.group(3) is None:
        return
    columns = _column_number(match.group(3).decode())
    rows = int(match.group(4))
    if columns > limits.max_columns or rows > min(limits.max_rows, EXCEL_MAX_ROWS) + 1:
        raise FileTooLargeError(
            f"The sheet says it spans {columns:,} columns and {rows:,} rows; an import reads "
            f"at most {limits.max_columns:,} columns (CPP_IMPORT_MAX_COLUMNS) and "
            f"{limits.max_rows:,} rows (CPP_IMPORT_MAX_ROWS). Clear the formatting of unused "
            "rows and columns, or save the sheet as CSV.")


def _column_number(letters: str) -> int:
    """A column's number from its letters: A is 1, XFD is 16,384."""
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - ord("A") + 1
    return number
