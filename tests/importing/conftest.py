"""Fixtures for import tests: small CSV and XLSX files written into tmp_path, and a runner."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from openpyxl import Workbook

from cpp_app.audit.services import acting_as
from cpp_app.importing.pipeline import ImportResult, run_import
from cpp_app.stations.member_import import MemberImportSpec


@pytest.fixture
def csv_file(tmp_path) -> Callable[..., Path]:
    r"""Write text (or bytes) to a CSV file: `csv_file("a,b\n1,2\n", name="x.csv")`."""

    def _write(content: str | bytes, name: str = "roster.csv", encoding: str = "utf-8") -> Path:
        path = tmp_path / name
        data = content if isinstance(content, bytes) else content.encode(encoding)
        path.write_bytes(data)
        return path

    return _write


@pytest.fixture
def xlsx_file(tmp_path) -> Callable[..., Path]:
    """Write rows (lists of cell values; None for an empty cell) to the first sheet of an XLSX."""

    def _write(rows: list[list[object]], name: str = "roster.xlsx") -> Path:
        workbook = Workbook()
        sheet = workbook.active
        for row in rows:
            sheet.append(row)
        path = tmp_path / name
        workbook.save(path)
        return path

    return _write


@pytest.fixture
def import_members() -> Callable[..., ImportResult]:
    """Run the member import on a file, as the CLI would: `import_members(path, dry_run=True)`."""

    def _run(path: Path, **options) -> ImportResult:
        with acting_as("test:import"):
            return run_import(MemberImportSpec(), path, **options)

    return _run
