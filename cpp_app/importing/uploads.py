"""Uploaded import files: the allowed suffixes, a safe name, and a place in the uploads folder."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from flask import current_app
from werkzeug.datastructures import FileStorage
from werkzeug.utils import secure_filename

from cpp_app.importing.pipeline import ImportFileError
from cpp_app.importing.readers import CSV_SUFFIXES, EXCEL_SUFFIXES

UPLOAD_SUFFIXES = frozenset(CSV_SUFFIXES | EXCEL_SUFFIXES)
WRONG_SUFFIX = "Upload a .csv or .xlsx file."
EMPTY_UPLOAD = "The uploaded file is empty."


@dataclass(frozen=True)
class SavedUpload:
    """An uploaded file on disk, and the name it came with (as a batch records it)."""

    path: Path
    filename: str


def upload_folder(*parts: str) -> Path:
    """The instance's uploads folder (or a folder inside it), created if need be."""
    folder = Path(current_app.instance_path, "uploads", *parts)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def upload_filename(upload: FileStorage) -> tuple[str, str]:
    """The upload's safe name and its suffix; ImportFileError unless CSV or Excel."""
    given = upload.filename or ""
    suffix = Path(given).suffix.lower()
    if suffix not in UPLOAD_SUFFIXES:
        raise ImportFileError(WRONG_SUFFIX)
    filename = secure_filename(given)[:255]
    return (filename if filename.lower().endswith(suffix) else f"upload{suffix}"), suffix


@contextmanager
def saved_upload(upload: FileStorage) -> Iterator[SavedUpload]:
    """The upload in a temporary file of the uploads folder, removed when the block ends."""
    filename, suffix = upload_filename(upload)
    with tempfile.NamedTemporaryFile(suffix=suffix, dir=upload_folder(), delete=True) as handle:
        upload.save(handle)
        handle.flush()
        path = Path(handle.name)
        _refuse_empty(path)
        yield SavedUpload(path, filename)


def kept_upload(upload: FileStorage, folder: Path, stem: str) -> SavedUpload:
    """The upload saved as `stem` in `folder`, for an import that finishes in a later request."""
    filename, suffix = upload_filename(upload)
    path = folder / f"{stem}{suffix}"
    upload.save(path)
    try:
        _refuse_empty(path)
    except ImportFileError:
        path.unlink(missing_ok=True)
        raise
    return SavedUpload(path, filename)


def _refuse_empty(path: Path) -> None:
    """ImportFileError when the file saved at `path` has nothing in it."""
    if path.stat().st_size == 0:
        raise ImportFileError(EMPTY_UPLOAD)
