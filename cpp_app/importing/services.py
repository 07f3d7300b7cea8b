"""The one entry for every import (file, upload or pushed records), and reading past batches.

Each entry looks the kind up in the registry, makes its spec, runs the pipeline, then adds the
kind's notes and runs its after-import hook, so the web, the CLI and the API do the same thing.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from sqlalchemy import Select, select
from werkzeug.datastructures import FileStorage

from cpp_app.errors import ServiceError
from cpp_app.extensions import db
from cpp_app.importing.kinds import ImportKind, import_kind, import_kinds
from cpp_app.importing.models import ImportBatch, ImportReject
from cpp_app.importing.pipeline import (
    ImportResult,
    ImportSpec,
    ProgressCallback,
    run_import,
    run_import_rows,
)
from cpp_app.importing.reach import reach_of
from cpp_app.importing.uploads import saved_upload
from cpp_app.permissions import Action, can, station_scope


class ImportNotAllowedError(ServiceError):
    """The user an import runs for may not run that kind of import."""


def run_import_file(kind_name: str, path: Path | str, *, filename: str | None = None,
                    dry_run: bool = False, options: Mapping[str, Any] | None = None,
                    column_mapping: dict[str, str] | None = None,
                    progress: ProgressCallback | None = None, actor: Any = None
                    ) -> ImportResult:
    """Import a CSV or Excel file as `kind_name`; ImportFileError if it cannot be imported.

    `actor` is the user the import runs for: it writes only to the stations in their reach
    (without one, an operator's import reaches every station).
    """
    kind = import_kind(kind_name)
    spec = _spec_for(kind, options, actor)
    result = run_import(spec, path, filename=filename, dry_run=dry_run,
                        column_mapping=column_mapping, chunk_size=kind.chunk_size,
                        progress=progress, actor=actor)
    return _follow_up(kind, spec, result)


def run_import_upload(kind_name: str, upload: FileStorage, *, dry_run: bool = False,
                      options: Mapping[str, Any] | None = None, actor: Any = None
                      ) -> ImportResult:
    """Import an uploaded file as `kind_name` from a temporary copy in the uploads folder."""
    with saved_upload(upload) as saved:
        return run_import_file(kind_name, saved.path, filename=saved.filename, dry_run=dry_run,
                               options=options, actor=actor)


def run_import_records(kind_name: str, records: Sequence[object], *, source: str,
                       dry_run: bool = False, options: Mapping[str, Any] | None = None,
                       actor: Any = None) -> ImportResult:
    """Import records pushed as JSON objects as `kind_name`; `source` names the batch.

    `actor` is the user the batch is recorded against (for a token, its user).
    """
    kind = import_kind(kind_name)
    spec = _spec_for(kind, options, actor)
    result = run_import_rows(spec, records, source=source, dry_run=dry_run, actor=actor)
    return _follow_up(kind, spec, result)


def _spec_for(kind: ImportKind, options: Mapping[str, Any] | None, actor: Any) -> ImportSpec:
    """A fresh spec for one run for `actor`, who must be allowed it, with their reach."""
    reach = reach_of(actor)
    if actor is not None and not can(actor, kind.action):
        raise ImportNotAllowedError(f"You may not import {kind.label.lower()}.")
    if not (kind.station_scoped or reach.is_department_wide):
        raise ImportNotAllowedError(f"{kind.label} are imported department-wide; ask an "
                                    "administrator to import this file.")
    spec = kind.make_spec(options or {})
    spec.reach = reach
    return spec


def _follow_up(kind: ImportKind, spec: ImportSpec, result: ImportResult) -> ImportResult:
    """Add the kind's notes (the recorded ones to the batch's message), then its hook."""
    result.notes = list(kind.describe(spec, result)) if kind.describe else []
    batch = result.batch
    if batch.dry_run:
        return result
    recorded = [note.text for note in result.notes if note.recorded]
    if recorded:
        batch.message = " ".join(filter(None, [batch.message, *recorded]))
        db.session.commit()
    if kind.after_import:
        result.notes += kind.after_import(spec, result)
    return result


def may_view_batch(user: Any, batch: ImportBatch) -> bool:
    """Whether `user` may see a batch and its rejected rows.

    Administrators see every batch; anyone else who may run the batch's kind sees their own
    batches, and a department-wide role (a training coordinator) every batch of that kind.
    """
    if can(user, Action.VIEW_IMPORTS):
        return True
    kind = import_kinds().get(batch.kind)
    if kind is None or not can(user, kind.action):
        return False
    return batch.user_id == user.id or station_scope(user) is None


def batch_query(kind: str = "") -> Select:
    """Import batches, newest first, optionally of one kind."""
    query = select(ImportBatch).order_by(ImportBatch.id.desc())
    if kind:
        query = query.where(ImportBatch.kind == kind)
    return query


def reject_query(batch: ImportBatch) -> Select:
    """A batch's rejected rows by line."""
    return (
        select(ImportReject)
        .where(ImportReject.batch_id == batch.id)
        .order_by(ImportReject.line_number)
    )


FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(text: object) -> str:
    """Text that a spreadsheet will not run as a formula (a leading quote disarms it)."""
    value = "" if text is None else str(text)
    return f"'{value}" if value.startswith(FORMULA_PREFIXES) else value


def rejects_csv(batch: ImportBatch) -> str:
    """The batch's rejected rows as CSV: line, reason, then the row's original cells."""
    rejects = list(batch.rejects)
    headers: list[str] = []
    for reject in rejects:
        for header in reject.values or {}:
            if header not in headers:
                headers.append(header)
    output = io.StringIO()
    writer = csv.writer(output)
    writer.writerow(["line", "reason", *(spreadsheet_safe(header) for header in headers)])
    for reject in rejects:
        cells = [spreadsheet_safe((reject.values or {}).get(header, "")) for header in headers]
        writer.writerow([reject.line_number, spreadsheet_safe(reject.reason), *cells])
    return output.getvalue()
