"""The one import pipeline: open a file, map its columns, validate each row, write in batches.

A feature describes its import with an `ImportSpec` (fields, row validation, batch writing);
`run_import` does the rest the same way for every kind of import and records an `ImportBatch`
with the counts and the rejected rows, each with its line number and reason.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import numpy as np
import pandas as pd

from cpp_app.audit import services as audit
from cpp_app.extensions import db
from cpp_app.importing.columns import FieldSpec, MissingColumnsError, map_columns
from cpp_app.importing.models import ImportBatch, ImportReject, ImportStatus
from cpp_app.importing.readers import (
    OVERFLOW_PREFIX,
    Chunk,
    UnreadableFileError,
    open_table,
    rows_with_text,
)
from cpp_app.importing.values import CellError
from cpp_app.models import utcnow

ProgressCallback = Callable[[int], None]
TOO_MANY_CELLS = "the row has more cells than the header has columns"


class RowRejected(ValueError):
    """A row that cannot be imported; the message says why."""


class ImportFileError(ValueError):
    """The file as a whole cannot be imported (unreadable, or missing required columns)."""


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


@dataclass
class WriteCounts:
    """What writing one batch of valid rows did."""

    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: list[tuple[int, str, dict]] = field(default_factory=list)

    def add(self, other: WriteCounts) -> None:
        """Accumulate another batch's counts."""
        self.inserted += other.inserted
        self.updated += other.updated
        self.unchanged += other.unchanged
        self.rejected.extend(other.rejected)


class ImportSpec(Protocol):
    """What a feature supplies to import its kind of rows.

    A spec may instead work a chunk at a time with `validate_frame(frame)` (the good rows and
    their (line, reason) rejects; it runs in a worker thread, without the database) and
    `write_frame(frame)`; it may take the batch's id in `batch_id`, and set up its writing for
    the whole import in a `bulk_writes()` context.
    """

    kind: str
    fields: list[FieldSpec]

    def check_columns(self, mapped: set[str]) -> None:
        """Raise MissingColumnsError when the mapped fields are not enough."""

    def validate(self, row: Row) -> Any:
        """Clean values for the row, or raise RowRejected / CellError with the reason."""

    def write(self, rows: list[ValidRow]) -> WriteCounts:
        """Insert or update the rows (no commit); report what happened."""


@dataclass
class ImportResult:
    """The outcome of an import, for the CLI and the upload page."""

    batch: ImportBatch
    rejects: list[ImportReject]

    @property
    def summary(self) -> dict[str, int]:
        """The counts, by name."""
        batch = self.batch
        return {
            "read": batch.rows_read,
            "inserted": batch.rows_inserted,
            "updated": batch.rows_updated,
            "unchanged": batch.rows_unchanged,
            "rejected": batch.rows_rejected,
        }


def run_import(
    spec: ImportSpec,
    path: Path | str,
    *,
    filename: str | None = None,
    dry_run: bool = False,
    column_mapping: dict[str, str] | None = None,
    chunk_size: int = 5_000,
    progress: ProgressCallback | None = None,
) -> ImportResult:
    """Import a CSV/XLSX file with `spec`; good rows go in even when others are rejected.

    With `dry_run` nothing is written except the batch record saying what would happen.
    Raises ImportFileError when the file cannot be read or lacks required columns (a failed
    batch is recorded first).
    """
    path = Path(path)
    batch = _new_batch(spec.kind, filename or path.name, dry_run)
    try:
        table = open_table(path, spec.fields)
        batch.file_sha256 = table.sha256
        mapping = map_columns(table.headers, spec.fields, column_mapping)
        spec.check_columns(set(mapping))
    except (UnreadableFileError, MissingColumnsError) as error:
        _record_failure(batch, str(error))
        raise ImportFileError(str(error)) from error

    db.session.add(batch)
    db.session.flush()
    if hasattr(spec, "batch_id"):
        spec.batch_id = batch.id  # rows can point back at the batch that brought them
    counts, rejects, rows_read = WriteCounts(), [], 0
    bulk_writes = spec.bulk_writes() if hasattr(spec, "bulk_writes") else nullcontext()
    try:
        with bulk_writes:
            for checked in _checked_chunks(spec, table.chunks(chunk_size), mapping):
                rows_read += checked.rows_read
                rejects.extend(checked.rejects)
                counts.add(spec.write_frame(checked.valid) if _works_on_frames(spec)
                           else spec.write(checked.valid))
                if progress:
                    progress(checked.rows_read)
    except pd.errors.ParserError as error:
        db.session.rollback()
        _record_failure(batch, f"The file could not be read as CSV: {error}")
        raise ImportFileError(f"The file could not be read as CSV: {error}") from error

    rejects.extend(counts.rejected)
    if dry_run:
        db.session.rollback()
    batch = _finish_batch(batch, rows_read, counts, sorted(rejects, key=lambda r: r[0]))
    return ImportResult(batch, list(batch.rejects))


def _checked_chunks(spec, chunks: Iterator[Chunk], mapping: dict[str, str]
                    ) -> Iterator[CheckedChunk]:
    """Each chunk validated. For a frame spec, the next chunk is read and validated in a worker
    thread while the caller writes this one.

    Writing spends most of its time inside the database driver, which releases the GIL, so
    the reading and validating mostly overlap it (a million engagement rows: ~0.5 s of 8 s).
    A frame spec's `validate_frame` therefore must not use the database session.
    """
    if not _works_on_frames(spec):
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


def _works_on_frames(spec) -> bool:
    """Whether the spec validates and writes whole chunks (frames) rather than rows."""
    return hasattr(spec, "validate_frame")


def _checked_frame(spec, chunk: Chunk, mapping: dict[str, str]) -> CheckedChunk:
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


def _checked_rows(spec, chunk: Chunk, mapping: dict[str, str]) -> CheckedChunk:
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


def _rows(frame: pd.DataFrame, line_numbers: list[int], mapping: dict[str, str]):
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


def _new_batch(kind: str, filename: str, dry_run: bool) -> ImportBatch:
    user_id, label = audit.current_actor()
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
