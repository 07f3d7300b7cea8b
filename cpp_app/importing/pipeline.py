"""The one import pipeline: open a file, map its columns, validate each row, write in batches.

A feature describes its import with an `ImportSpec` (fields, row validation, batch writing);
`run_import` does the rest the same way for every kind of import and records an `ImportBatch`
with the counts and the rejected rows, each with its line number and reason. `run_import_rows`
does the same for records that arrive as JSON objects rather than in a file.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from cpp_app.audit import services as audit
from cpp_app.database import objects_kept_on_commit
from cpp_app.errors import ServiceError
from cpp_app.extensions import db
from cpp_app.importing.columns import (
    FieldSpec,
    MissingColumnsError,
    OneOf,
    map_columns,
    require_columns,
)
from cpp_app.importing.limits import FileTooLargeError, import_limits
from cpp_app.importing.models import ImportBatch, ImportReject, ImportStatus
from cpp_app.importing.outcomes import ImportNote as ImportNote
from cpp_app.importing.outcomes import ImportResult as ImportResult
from cpp_app.importing.outcomes import PlannedChange as PlannedChange
from cpp_app.importing.outcomes import WriteCounts as WriteCounts
from cpp_app.importing.reach import EVERY_STATION, StationReach
from cpp_app.importing.readers import (
    OVERFLOW_PREFIX,
    Chunk,
    UnreadableFileError,
    open_table,
    records_chunk,
    records_sha256,
    rows_with_text,
)
from cpp_app.importing.values import CellError
from cpp_app.models import utcnow

ProgressCallback = Callable[[int], None]
TOO_MANY_CELLS = "the row has more cells than the header has columns"
RECORDS_MESSAGE = ("Records pushed as JSON: a rejected record's line is its position in the "
                   "request, counting from 0.")
CHUNKS_MESSAGE = ("Committed in chunks of {size:,} rows; a stopped import can be run again: "
                  "the rows already in are not added twice.")


class RowRejected(ValueError):
    """A row that cannot be imported; the message says why."""


class ImportFileError(ServiceError):
    """The file as a whole cannot be imported (unreadable, or missing required columns).

    On a form the reason goes beside the file field.
    """

    def __init__(self, message: str) -> None:
        super().__init__(message, "file")


@dataclass
class Row:
    """A data row: its line in the file, its cells by field name, and its raw cells."""

    line_number: int
    cells: dict[str, str]
    raw: dict[str, str]
    overflows: bool = False


@dataclass
class ValidRow:
    """A row that passed validation, with the clean values the spec produced."""

    line_number: int
    values: Any


@dataclass
class CheckedChunk:
    """A validated chunk: how many rows it had, its valid rows, and its rejected rows."""

    rows_read: int
    valid: Any
    rejects: list[tuple[int, str, dict]]


class ImportSpec:
    """What a feature supplies to import its kind of rows; a subclass overrides what it needs.

    A row spec implements `validate(row)` and `write(rows)`. A frame spec sets
    `works_on_frames` and implements `validate_frame(frame)` (the good rows and their
    (line, reason) rejects; it runs in a worker thread, without the database) and
    `write_frame(frame)`. Before the first row the pipeline sets `present` (the fields the
    file has), `batch_id` (the batch the rows come in) and `listing_changes` (on a dry run: a
    spec that can describe its rows then lists each add and update in `WriteCounts.changes`),
    and the entry sets `reach` (the stations the importer may write to: a spec refuses every
    row for another station); `bulk_writes()` may set up writing for the whole import.
    """

    kind: str = ""
    fields: list[FieldSpec] = []
    #: Columns needed one way or another, beyond the fields marked required.
    alternatives: tuple[OneOf, ...] = ()
    works_on_frames: bool = False
    present: frozenset[str] = frozenset()
    batch_id: int | None = None
    reach: StationReach = EVERY_STATION
    listing_changes: bool = False

    def bulk_writes(self) -> AbstractContextManager:
        """A context the whole import writes in; nothing special by default."""
        return nullcontext()

    def validate(self, row: Row) -> Any:
        """Clean values for the row, or raise RowRejected / CellError with the reason."""
        raise NotImplementedError

    def write(self, rows: list[ValidRow]) -> WriteCounts:
        """Insert or update the rows (no commit); report what happened."""
        raise NotImplementedError

    def validate_frame(self, frame: pd.DataFrame) -> tuple[Any, list[tuple[int, str]]]:
        """A chunk's good rows and (line, reason) for the others (frame specs only)."""
        raise NotImplementedError

    def write_frame(self, frame: Any) -> WriteCounts:
        """Insert or update a chunk's good rows (no commit; frame specs only)."""
        raise NotImplementedError


def run_import(
    spec: ImportSpec,
    path: Path | str,
    *,
    filename: str | None = None,
    dry_run: bool = False,
    column_mapping: dict[str, str] | None = None,
    chunk_size: int = 5_000,
    progress: ProgressCallback | None = None,
    actor: Any = None,
) -> ImportResult:
    """Import a CSV/XLSX file with `spec`; good rows go in even when others are rejected.

    With `dry_run` nothing is written except the batch record saying what would happen.
    Raises ImportFileError when the file cannot be read or lacks required columns (a failed
    batch is recorded first). `actor` is the user the batch is recorded against (the acting
    one by default).
    """
    path = Path(path)
    batch = _new_batch(spec.kind, filename or path.name, dry_run, actor)
    try:
        table = open_table(path, spec.fields, import_limits())
        batch.file_sha256 = table.sha256
        mapping = map_columns(table.headers, spec.fields, column_mapping)
        require_columns(spec.fields, spec.alternatives, set(mapping))
    except (UnreadableFileError, MissingColumnsError, FileTooLargeError) as error:
        _record_failure(batch, str(error))
        raise ImportFileError(str(error)) from error
    if not dry_run:
        batch.message = CHUNKS_MESSAGE.format(size=chunk_size)
    return _import_chunks(spec, batch, table.chunks(chunk_size), mapping, progress)


def run_import_rows(
    spec: ImportSpec,
    records: Sequence[object],
    *,
    source: str,
    dry_run: bool = False,
    actor: Any = None,
) -> ImportResult:
    """Import records that arrive as objects of field name to value (a JSON push).

    Records are numbered from 0, and a reject's line is its record's number. A record that is
    not an object, or names a field the import does not read, is rejected. A field a record
    leaves out is blank: every field counts as present, so no column is ever missing. `actor`
    is the user the batch is recorded against (the acting one by default).
    """
    batch = _new_batch(spec.kind, source, dry_run, actor)
    batch.file_sha256 = records_sha256(records)
    batch.message = RECORDS_MESSAGE
    chunk, refused = records_chunk(records, [f.name for f in spec.fields])
    mapping = {f.name: f.name for f in spec.fields}
    chunks = iter([chunk] if chunk.line_numbers else [])
    return _import_chunks(spec, batch, chunks, mapping, None, refused)


def _import_chunks(spec: ImportSpec, batch: ImportBatch, chunks: Iterator[Chunk],
                   mapping: dict[str, str], progress: ProgressCallback | None,
                   refused_before: Sequence[tuple[int, str, dict]] = ()) -> ImportResult:
    """Validate and write every chunk, then finish the batch with the counts and rejects.

    A real import commits the batch first, then each chunk with the counts so far, so that it
    holds the write lock for one chunk at a time and never keeps other writers (the public
    survey among them) waiting for the whole file. The imports are idempotent, so a run that
    stops part-way can simply be run again. A dry run stays in one transaction, rolled back.
    """
    batch.status = ImportStatus.RUNNING
    db.session.add(batch)
    db.session.flush()
    spec.present = frozenset(mapping)
    spec.batch_id = batch.id  # rows can point back at the batch that brought them
    spec.listing_changes = batch.dry_run
    counts, rejects, rows_read = WriteCounts(), list(refused_before), len(refused_before)
    with objects_kept_on_commit(db.session()):  # the spec's lookups stay loaded
        _commit_chunk(batch, rows_read, counts)
        try:
            with spec.bulk_writes():
                for checked in _checked_chunks(spec, chunks, mapping):
                    rows_read += checked.rows_read
                    rejects.extend(checked.rejects)
                    counts.add(spec.write_frame(checked.valid) if spec.works_on_frames
                               else spec.write(checked.valid))
                    _commit_chunk(batch, rows_read, counts)
                    if progress:
                        progress(checked.rows_read)
        except pd.errors.ParserError as error:
            _stop_part_way(batch, f"The file could not be read as CSV: {error}")
        except FileTooLargeError as error:
            _stop_part_way(batch, str(error))

    rejects.extend(counts.rejected)
    if batch.dry_run:
        db.session.rollback()
    batch = _finish_batch(batch, rows_read, counts, sorted(rejects, key=lambda r: r[0]))
    changes = sorted(counts.changes, key=lambda change: change.line_number)
    return ImportResult(batch, list(batch.rejects), changes=changes)


def _commit_chunk(batch: ImportBatch, rows_read: int, counts: WriteCounts) -> None:
    """Commit what a real import wrote so far, with the batch's counts (a dry run waits)."""
    if batch.dry_run:
        return
    batch.rows_read = rows_read
    batch.rows_inserted, batch.rows_updated = counts.inserted, counts.updated
    batch.rows_unchanged = counts.unchanged
    db.session.commit()


def _checked_chunks(spec: ImportSpec, chunks: Iterator[Chunk], mapping: dict[str, str]
                    ) -> Iterator[CheckedChunk]:
    """Each chunk validated.

    For a frame spec, the next chunk is read and validated in a worker thread while the caller
    writes this one. Writing spends most of its time inside the database driver, which
    releases the GIL, so the reading and validating mostly overlap it (a million engagement
    rows: ~0.5 s of 8 s). A frame spec's `validate_frame` therefore must not use the database
    session.
    """
    if not spec.works_on_frames:
        yield from (_checked_rows(spec, chunk, mapping) for chunk in chunks)
        return

    def check_next_chunk() -> CheckedChunk | None:
        """The next chunk validated, or None after the last."""
        chunk = next(chunks, None)
        return None if chunk is None else _checked_frame(spec, chunk, mapping)

    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="import-check") as worker:
        pending = worker.submit(check_next_chunk)
        while (checked := pending.result()) is not None:
            pending = worker.submit(check_next_chunk)
            yield checked


def _checked_frame(spec: ImportSpec, chunk: Chunk, mapping: dict[str, str]) -> CheckedChunk:
    """A chunk validated as a whole, for specs that work on frames (fast path)."""
    frame = chunk.frame
    overflow = [c for c in frame.columns if str(c).startswith(OVERFLOW_PREFIX)]
    headers = [c for c in frame.columns if c not in overflow]
    mapped = pd.DataFrame({name: frame[header] for name, header in mapping.items()},
                          index=frame.index)  # the reader's cells are text already
    mapped["__line"] = chunk.line_numbers
    too_many = rows_with_text(frame[overflow]) if overflow else np.zeros(len(frame), bool)
    valid, refused = spec.validate_frame(mapped[~too_many] if too_many.any() else mapped)
    refused = list(refused) + [(line, TOO_MANY_CELLS) for line in mapped["__line"][too_many]]
    rejects = []
    if refused:
        lines = [line for line, _ in refused]
        positions = np.searchsorted(np.asarray(chunk.line_numbers), lines)
        raws = frame.iloc[positions][headers].fillna("").astype(str).to_dict("records")
        rejects = [(int(line), reason, raw)
                   for (line, reason), raw in zip(refused, raws, strict=True)]
    return CheckedChunk(len(chunk.line_numbers), valid, rejects)


def _checked_rows(spec: ImportSpec, chunk: Chunk, mapping: dict[str, str]) -> CheckedChunk:
    """A chunk validated row by row, for specs that work on rows."""
    valid_rows, rejects = [], []
    for row in _rows(chunk.frame, chunk.line_numbers, mapping):
        if row.overflows:
            rejects.append((row.line_number, TOO_MANY_CELLS, row.raw))
            continue
        try:
            valid_rows.append(ValidRow(row.line_number, spec.validate(row)))
        except (RowRejected, CellError) as error:
            rejects.append((row.line_number, str(error), row.raw))
    return CheckedChunk(len(chunk.line_numbers), valid_rows, rejects)


def _rows(frame: pd.DataFrame, line_numbers: list[int], mapping: dict[str, str]
          ) -> Iterator[Row]:
    overflow = [column for column in frame.columns if str(column).startswith(OVERFLOW_PREFIX)]
    headers = [column for column in frame.columns if column not in overflow]
    for position, record in enumerate(frame.to_dict("records")):
        raw = {header: _text(record.get(header)) for header in headers}
        cells = {name: raw.get(header, "").strip() for name, header in mapping.items()}
        overflows = any(_text(record.get(column)).strip() for column in overflow)
        yield Row(line_numbers[position], cells, raw, overflows)


def _text(value: object) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    return str(value)


def _stop_part_way(batch: ImportBatch, reason: str) -> None:
    """Undo what the chunk being read wrote, record the failed batch, and say why.

    The chunks committed before it stay, and the message says how many rows they held.
    """
    db.session.rollback()
    kept = (f" The first {batch.rows_read:,} rows were imported before that; fix the file "
            "and import it again to add the rest." if batch.rows_read and not batch.dry_run
            else "")
    _record_failure(batch, f"{reason}{kept}")
    raise ImportFileError(reason)


def _new_batch(kind: str, filename: str, dry_run: bool, actor: Any = None) -> ImportBatch:
    """A batch for this run, recorded against `actor` (a user) or whoever is acting."""
    user_id, label = (actor.id, actor.email) if actor is not None else audit.current_actor()
    return ImportBatch(
        kind=kind, filename=filename[:255], file_sha256="", dry_run=dry_run,
        user_id=user_id, actor_label=label, started_at=utcnow(),
    )


def _record_failure(batch: ImportBatch, message: str) -> None:
    batch.status = ImportStatus.FAILED
    batch.message = message
    batch.finished_at = utcnow()
    db.session.add(batch)
    db.session.commit()


def _finish_batch(
    batch: ImportBatch, rows_read: int, counts: WriteCounts, rejects: list[tuple[int, str, dict]]
) -> ImportBatch:
    batch.rows_read = rows_read
    batch.rows_inserted = counts.inserted
    batch.rows_updated = counts.updated
    batch.rows_unchanged = counts.unchanged
    batch.rows_rejected = len(rejects)
    batch.finished_at = utcnow()
    batch.status = ImportStatus.COMPLETED
    batch.rejects = [
        ImportReject(line_number=line, reason=reason, values=values)
        for line, reason, values in rejects
    ]
    db.session.add(batch)
    if not batch.dry_run:
        audit.record(
            f"import.{batch.kind}", batch, after={
                "filename": batch.filename, "sha256": batch.file_sha256,
                "read": rows_read, "inserted": counts.inserted, "updated": counts.updated,
                "unchanged": counts.unchanged, "rejected": len(rejects),
            },
            summary=f"{batch.filename}: {counts.inserted} new, {counts.updated} updated, "
            f"{len(rejects)} rejected",
        )
    db.session.commit()
    return batch
