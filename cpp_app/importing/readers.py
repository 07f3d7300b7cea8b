"""Reading CSV and Excel files (or records pushed as JSON) into chunks of text cells, numbered."""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from itertools import islice
from pathlib import Path

import numpy as np
import pandas as pd
from openpyxl import load_workbook

from cpp_app.importing.columns import FieldSpec, header_score
from cpp_app.importing.encodings import UNKNOWN_ENCODING, legacy_encoding
from cpp_app.importing.limits import ImportLimits, check_workbook

EXCEL_SUFFIXES = {".xlsx", ".xlsm"}
CSV_SUFFIXES = {".csv", ".txt"}
HEADER_SEARCH_ROWS = 30
READ_BLOCK = 1 << 20
#: Spare column names given to pandas so a row with too many cells is caught, not dropped.
#: One spare column is read first (each costs time on every row); a row with more extra cells
#: than that makes pandas stop, and the file is read again with room for OVERFLOW_COLUMNS.
OVERFLOW_PREFIX = "__overflow_"
FIRST_OVERFLOW_COLUMNS = 1
OVERFLOW_COLUMNS = 16
#: A pushed record's value is cut to this many characters, as the longest cell kept.
RECORD_VALUE_CHARS = 255
NOT_AN_OBJECT = "each record must be a JSON object"
NUL = "\x00"
class UnreadableFileError(ValueError):
    """The file is not a CSV or Excel file this import can read."""


@dataclass
class Chunk:
    """Consecutive data rows: the cells as text, and each row's line number in the file."""

    frame: pd.DataFrame
    line_numbers: list[int]


@dataclass
class TableFile:
    """An opened tabular file: its headers, encoding and a way to read its rows in chunks."""

    path: Path
    headers: list[str]
    header_line: int
    encoding: str | None
    sha256: str
    #: Cells in the first data row (0 when there is none): pandas takes the leading cells of
    #: a first row wider than the column names as an index, so it must get room for them all.
    first_row_width: int = 0
    #: Whether the file holds a NUL byte anywhere (its cells are then cleaned of them).
    has_nul: bool = False
    limits: ImportLimits = ImportLimits()

    @property
    def is_excel(self) -> bool:
        """Whether the file is an Excel workbook."""
        return self.path.suffix.lower() in EXCEL_SUFFIXES

    def chunks(self, chunk_size: int = 50_000) -> Iterator[Chunk]:
        """The data rows after the header, in chunks, blank rows skipped.

        FileTooLargeError as soon as the rows read pass the limit.
        """
        reader = self._excel_chunks if self.is_excel else self._csv_chunks
        rows = 0
        for chunk in reader(chunk_size):
            rows += len(chunk.line_numbers)
            self.limits.refuse_rows(rows)
            yield chunk

    def _csv_chunks(self, chunk_size: int) -> Iterator[Chunk]:
        """The rows in chunks; from the first row with too many extra cells on, read again."""
        rows_done = 0
        first_extra = max(FIRST_OVERFLOW_COLUMNS, self.first_row_width - len(self.headers))
        try:
            for frame in self._csv_frames(first_extra, chunk_size):
                rows_done += len(frame)
                yield self._numbered(frame, rows_done - len(frame))
        except pd.errors.ParserError:  # more extra cells than spare columns: read with more
            rows_read = 0
            for frame in self._csv_frames(max(OVERFLOW_COLUMNS, first_extra), chunk_size):
                rows_read += len(frame)
                if rows_read > rows_done:
                    first_new = max(0, rows_done - (rows_read - len(frame)))
                    yield self._numbered(frame.iloc[first_new:],
                                         rows_read - len(frame) + first_new)

    def _csv_frames(self, spare_columns: int, chunk_size: int) -> Iterator[pd.DataFrame]:
        """The data rows as frames of text, with `spare_columns` columns for extra cells."""
        return pd.read_csv(
            self.path,
            encoding=self.encoding,
            dtype=str,
            keep_default_na=False,
            skip_blank_lines=False,
            skiprows=self.header_line,
            header=None,
            index_col=False,  # extra cells stay extra (and are refused), never an index
            names=self.headers + [f"{OVERFLOW_PREFIX}{n}" for n in range(spare_columns)],
            chunksize=chunk_size,
            on_bad_lines="error",
            engine="c",
        )

    def _numbered(self, frame: pd.DataFrame, rows_before: int) -> Chunk:
        """Rows that follow `rows_before` data rows, with their line numbers, blanks skipped."""
        if self.has_nul:
            frame = without_nul_characters(frame)
        first_line = self.header_line + 1 + rows_before
        return _without_blank_rows(Chunk(frame, list(range(first_line, first_line + len(frame)))))

    def _excel_chunks(self, chunk_size: int) -> Iterator[Chunk]:
        workbook = load_workbook(self.path, read_only=True, data_only=True)
        try:
            sheet = workbook.worksheets[0]
            sheet.reset_dimensions()  # read every row there is, whatever the sheet claims
            rows = sheet.iter_rows(min_row=self.header_line + 1, max_col=len(self.headers),
                                   values_only=True)
            line = self.header_line + 1
            width = len(self.headers)
            while True:
                block = list(islice(rows, chunk_size))
                if not block:
                    break
                records = [_excel_row(row, width) for row in block]
                frame = pd.DataFrame(records, columns=self.headers, dtype=str)
                chunk = Chunk(frame, list(range(line, line + len(block))))
                line += len(block)
                yield _without_blank_rows(chunk)
        finally:
            workbook.close()


def open_table(path: Path | str, fields: list[FieldSpec],
               limits: ImportLimits | None = None) -> TableFile:
    """Open a CSV or XLSX file and find its header row (skipping any preamble rows).

    A file beyond `limits` (the defaults when none are given) is refused with
    FileTooLargeError before its rows are read.
    """
    path = Path(path)
    limits = limits or ImportLimits()
    suffix = path.suffix.lower()
    if suffix in EXCEL_SUFFIXES:
        check_workbook(path, limits)
        sha256, has_nul = _sha256(path), False
        preview, encoding = _excel_preview(path, limits.max_columns + 1), None
    elif suffix in CSV_SUFFIXES or suffix == "":
        encoding, sha256, has_nul = scan_text_file(path)
        preview = _csv_preview(path, encoding)
    elif suffix == ".xls":
        raise UnreadableFileError(
            "Old .xls workbooks are not supported; save the file as .xlsx or .csv."
        )
    else:
        raise UnreadableFileError(f"Unsupported file type {suffix!r}; use .csv or .xlsx.")
    if not preview:
        raise UnreadableFileError("The file is empty.")
    header_index = _find_header_row(preview, fields)
    limits.refuse_columns(len(_without_trailing_blanks(list(preview[header_index]))))
    headers = _unique_headers(preview[header_index])
    first_row = preview[header_index + 1] if header_index + 1 < len(preview) else []
    return TableFile(path, headers, header_index + 1, encoding, sha256, len(first_row),
                     has_nul, limits)


def _without_trailing_blanks(cells: list[str]) -> list[str]:
    """A row's cells up to its last non-blank one."""
    end = len(cells)
    while end and not str(cells[end - 1]).strip():
        end -= 1
    return cells[:end]


def scan_text_file(path: Path) -> tuple[str, str, bool]:
    """The file's encoding, its SHA-256, and whether it holds a NUL byte, in one pass.

    The encoding is UTF-8 (a byte-order mark dropped) if the whole file decodes as such, else
    the one `legacy_encoding` recognises.
    """
    digest = hashlib.sha256()
    decoder = codecs.getincrementaldecoder("utf-8")()
    is_utf8, has_nul = True, False
    with path.open("rb") as handle:
        while block := handle.read(READ_BLOCK):
            digest.update(block)
            has_nul = has_nul or b"\x00" in block
            if is_utf8:
                try:
                    decoder.decode(block)
                except UnicodeDecodeError:
                    is_utf8 = False
    if is_utf8:
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            is_utf8 = False
    if is_utf8:
        return "utf-8-sig", digest.hexdigest(), has_nul
    encoding = legacy_encoding(path)
    if encoding is None:
        raise UnreadableFileError(UNKNOWN_ENCODING)
    return encoding, digest.hexdigest(), has_nul


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(READ_BLOCK):
            digest.update(block)
    return digest.hexdigest()


def _csv_preview(path: Path, encoding: str) -> list[list[str]]:
    with path.open(encoding=encoding, errors="replace", newline="") as handle:
        lines = list(islice(handle, HEADER_SEARCH_ROWS))
    try:
        return list(csv.reader(io.StringIO("".join(lines))))
    except csv.Error as error:
        raise UnreadableFileError(f"The file is not valid CSV: {error}.") from error


def _excel_preview(path: Path, max_columns: int) -> list[list[str]]:
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # noqa: BLE001 - openpyxl raises many kinds for a bad file
        raise UnreadableFileError("The file is not a readable Excel (.xlsx) workbook.") from error
    try:
        if not workbook.worksheets:
            return []
        rows = workbook.worksheets[0].iter_rows(max_row=HEADER_SEARCH_ROWS, max_col=max_columns,
                                                values_only=True)
        return [_without_trailing_blanks(_excel_row(row, len(row))) for row in rows]
    finally:
        workbook.close()


def _find_header_row(preview: list[list[str]], fields: list[FieldSpec]) -> int:
    """The first row naming the most fields; row 0 when none names any."""
    best_index, best_score = 0, 0
    for index, row in enumerate(preview):
        score = header_score(row, fields)
        if score > best_score:
            best_index, best_score = index, score
    return best_index


def _unique_headers(cells: list[str]) -> list[str]:
    headers, seen = [], {}
    for position, cell in enumerate(cells):
        name = str(cell).replace("\ufeff", "").strip() or f"column_{position + 1}"
        if name in seen:
            seen[name] += 1
            name = f"{name}_{seen[name]}"
        else:
            seen[name] = 0
        headers.append(name)
    return headers


def excel_cell_text(value: object) -> str:
    """An Excel cell as text: dates as ISO, whole numbers without a trailing .0."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time.min else value.isoformat(" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, time):
        return value.strftime("%H:%M:%S")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    return str(value)


def _excel_row(row: tuple, width: int) -> list[str]:
    cells = [excel_cell_text(value) for value in row[:width]]
    return cells + [""] * (width - len(cells))


def _without_blank_rows(chunk: Chunk) -> Chunk:
    """The chunk without its rows of empty or all-whitespace cells, and no missing cells."""
    frame = chunk.frame.fillna("")
    if frame.empty:
        return Chunk(frame, [])
    not_blank = rows_with_text(frame)
    if bool(not_blank.all()):
        return Chunk(frame.reset_index(drop=True), chunk.line_numbers)
    kept_lines = [line for line, keep in zip(chunk.line_numbers, not_blank, strict=True) if keep]
    return Chunk(frame[not_blank].reset_index(drop=True), kept_lines)


def rows_with_text(frame: pd.DataFrame) -> np.ndarray:
    """Which rows have a cell with more than whitespace in it.

    Each column is looked at only for the rows no earlier column has settled, so a frame whose
    first column is filled costs one column's check.
    """
    has_text = np.zeros(len(frame), dtype=bool)
    for column in frame.columns:
        unsettled = np.flatnonzero(~has_text)
        if not len(unsettled):
            break
        cells = frame[column].iloc[unsettled].fillna("").astype(str)
        has_text[unsettled] = (cells.str.strip() != "").to_numpy()
    return has_text


def estimate_row_count(path: Path | str) -> int:
    """Roughly how many rows the file has (for progress bars): lines, or the sheet's rows."""
    path = Path(path)
    if path.suffix.lower() in EXCEL_SUFFIXES:
        workbook = load_workbook(path, read_only=True)
        try:
            return workbook.worksheets[0].max_row or 0 if workbook.worksheets else 0
        finally:
            workbook.close()
    lines = 0
    with path.open("rb") as handle:
        while block := handle.read(READ_BLOCK):
            lines += block.count(b"\n")
    return lines


def records_chunk(records: Sequence[object], field_names: list[str]
                  ) -> tuple[Chunk, list[tuple[int, str, dict]]]:
    """Pushed records as one chunk of text cells by field name, numbered from 0.

    Also returns (number, reason, values) for each record refused outright: one that is not
    an object, or that names a field not in `field_names`. A missing or null value is blank.
    """
    rows, numbers, refused = [], [], []
    known = set(field_names)
    for number, record in enumerate(records):
        if not isinstance(record, dict):
            refused.append((number, NOT_AN_OBJECT, {"record": _record_text(record)}))
            continue
        extra = sorted(str(name) for name in set(record) - known)
        if extra:
            refused.append((number, f"unknown fields: {', '.join(extra)}",
                            {str(name): _record_text(value) for name, value in record.items()}))
            continue
        rows.append([_record_text(record.get(name)) for name in field_names])
        numbers.append(number)
    frame = pd.DataFrame(rows, columns=field_names, dtype=str)
    return Chunk(frame, numbers), refused


def records_sha256(records: Sequence[object]) -> str:
    """A fingerprint of pushed records, as a file's SHA-256 is of the file."""
    text = json.dumps(records, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _record_text(value: object) -> str:
    """A pushed value as cell text: blank for null, else its text without NULs, cut to length."""
    return "" if value is None else str(value).replace(NUL, "")[:RECORD_VALUE_CHARS]


def without_nul_characters(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame's text cells without NUL characters.

    No person typed them, and PostgreSQL text cannot hold them.
    """
    return frame.apply(lambda cells: cells.str.replace(NUL, "", regex=False))
