"""Which imports exist, running them from an upload, and reading past batches."""

from __future__ import annotations

import csv
import io
import tempfile
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import Select, select
from werkzeug.datastructures import FileStorage
from werkzeug.utils import secure_filename

from cpp_app.importing.models import ImportBatch, ImportReject
from cpp_app.importing.pipeline import ImportFileError, ImportResult, ImportSpec, run_import
from cpp_app.importing.readers import CSV_SUFFIXES, EXCEL_SUFFIXES


def import_specs() -> dict[str, Callable[[], ImportSpec]]:
    """Every kind of import, by name, mapped to a factory for its spec."""
    from cpp_app.engagement.importing import EngagementImportSpec
    from cpp_app.outreach.importing import StakeholderImportSpec
    from cpp_app.stations.member_import import MemberImportSpec

    return {"members": MemberImportSpec, "stakeholders": StakeholderImportSpec,
            "engagements": EngagementImportSpec}


def import_upload(kind: str, upload: FileStorage, *, dry_run: bool,
                  upload_folder: Path) -> ImportResult:
    """Save an uploaded file to a temporary place, import it, and remove it."""
    filename = secure_filename(upload.filename or "") or "upload.csv"
    suffix = Path(filename).suffix.lower()
    if suffix not in CSV_SUFFIXES | EXCEL_SUFFIXES:
        raise ImportFileError("Upload a .csv or .xlsx file.")
    upload_folder.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(suffix=suffix, dir=upload_folder, delete=True) as handle:
        upload.save(handle)
        handle.flush()
        if Path(handle.name).stat().st_size == 0:
            raise ImportFileError("The uploaded file is empty.")
        return run_import(import_specs()[kind](), handle.name, filename=filename,
                          dry_run=dry_run)


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
