"""Spreadsheet bombs are refused before they are read, with a message saying which limit."""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from io import BytesIO
from pathlib import Path

import pytest
from sqlalchemy import func, select

from cpp_app.audit.services import acting_as
from cpp_app.extensions import db
from cpp_app.importing import readers
from cpp_app.importing.models import ImportBatch, ImportJob
from cpp_app.importing.pipeline import ImportFileError
from cpp_app.importing.services import run_import_file
from cpp_app.outreach.models import Stakeholder
from tests.helpers import post_form

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
    'package/2006/content-types"><Default Extension="rels" ContentType="application/'
    'vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType='
    '"application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName='
    '"/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.'
    'spreadsheetml.worksheet+xml"/></Types>')
ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats'
    '.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxml'
    'formats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
    '</Relationships>')
WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/'
    'spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>')
WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats'
    '.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxml'
    'formats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
    '</Relationships>')


def sheet_xml(dimension: str, rows: list[list[str]], padding: int = 0) -> Iterator[bytes]:
    """A worksheet's XML in pieces: a dimension, inline-string rows, then `padding` blanks."""
    yield (f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.'
           f'openxmlformats.org/spreadsheetml/2006/main"><dimension ref="{dimension}"/>'
           '<sheetData>').encode()
    for number, cells in enumerate(rows, start=1):
        inline = "".join(f'<c r="{chr(65 + index)}{number}" t="inlineStr"><is><t>{text}</t>'
                         '</is></c>' for index, text in enumerate(cells))
        yield f'<row r="{number}">{inline}</row>'.encode()
    block = b" " * (1 << 20)
    for _ in range(padding // len(block)):
        yield block  # whitespace between elements: compresses to almost nothing
    yield b"</sheetData></worksheet>"


def workbook(path: Path, sheet: Iterator[bytes]) -> Path:
    """An .xlsx made by hand, its sheet streamed into the zip (never whole in memory)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", ROOT_RELS)
        archive.writestr("xl/workbook.xml", WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as handle:
            for piece in sheet:
                handle.write(piece)
    return path


DIRECTORY = [["Station", "Organisation"], ["CEN", "Grace Church"]]


@pytest.fixture
def no_workbook_reading(monkeypatch):
    """Fail the test if the workbook reader is ever asked to open a file."""
    def refuse(*_args, **_kwargs):
        raise AssertionError("the workbook was read")
    monkeypatch.setattr(readers, "load_workbook", refuse)


@pytest.fixture
def limits(app):
    """Set import limits for one test: `limits(CPP_IMPORT_MAX_ROWS=10)`."""
    saved = dict(app.config)

    def _set(**settings):
        app.config.update(settings)
    yield _set
    for name in ("CPP_IMPORT_MAX_ROWS", "CPP_IMPORT_MAX_COLUMNS",
                 "CPP_IMPORT_MAX_UNCOMPRESSED_MB", "CPP_IMPORT_BACKGROUND_MB"):
        app.config[name] = saved[name]


def import_stakeholders(path: Path):
    """Import a directory as the command line does."""
    with acting_as("test"):
        return run_import_file("stakeholders", path)


@pytest.mark.usefixtures("no_workbook_reading", "station")
def test_a_sheet_that_expands_past_the_limit_is_refused_unread(tmp_path):
    path = workbook(tmp_path / "bomb.xlsx", sheet_xml("A1:B2", DIRECTORY, padding=400 << 20))
    assert path.stat().st_size < 1 << 20  # under a megabyte on disk, 400 MB inside
    with pytest.raises(ImportFileError, match=r"holds 400 MB once uncompressed; the limit is "
                                              r"300 MB \(CPP_IMPORT_MAX_UNCOMPRESSED_MB\)"):
        import_stakeholders(path)
    batch = db.session.scalar(select(ImportBatch))
    assert (batch.status, batch.rows_read) == ("failed", 0)


@pytest.mark.usefixtures("no_workbook_reading", "station")
def test_a_sheet_claiming_every_cell_of_excel_is_refused_unread(tmp_path):
    path = workbook(tmp_path / "dimension.xlsx", sheet_xml("A1:XFD1048576", DIRECTORY))
    with pytest.raises(ImportFileError, match="spans 16,384 columns and 1,048,576 rows"):
        import_stakeholders(path)


def test_rows_past_the_limit_refuse_the_file_and_write_nothing(tmp_path, station, limits):
    limits(CPP_IMPORT_MAX_ROWS=1000)
    path = tmp_path / "directory.csv"
    path.write_text("Station,Organisation\n" + "".join(f"{station.code},Org {n}\n"
                                                       for n in range(1001)))
    with pytest.raises(ImportFileError, match="more than 1,000 rows.*CPP_IMPORT_MAX_ROWS"):
        import_stakeholders(path)
    assert db.session.scalar(select(func.count()).select_from(Stakeholder)) == 0
    path.write_text("Station,Organisation\n" + "".join(f"{station.code},Org {n}\n"
                                                       for n in range(1000)))
    assert import_stakeholders(path).summary["inserted"] == 1000


def test_an_xlsx_with_more_rows_than_its_dimension_says_stops_at_the_limit(tmp_path, station,
                                                                         limits):
    limits(CPP_IMPORT_MAX_ROWS=50)
    rows = [["Station", "Organisation"], *([station.code, f"Org {n}"] for n in range(60))]
    path = workbook(tmp_path / "liar.xlsx", sheet_xml("A1:B2", rows))
    with pytest.raises(ImportFileError, match="more than 50 rows"):
        import_stakeholders(path)
    assert db.session.scalar(select(func.count()).select_from(Stakeholder)) == 0


@pytest.mark.usefixtures("station")
def test_a_header_wider_than_the_limit_is_refused_on_the_upload_page(admin_client):
    header = ",".join(["Station", "Organisation", *(f"extra {n}" for n in range(300))])
    response = post_form(admin_client, "/stakeholders/import", {
        "file": (BytesIO(f"{header}\nCEN,Grace Church\n".encode()), "wide.csv")},
        content_type="multipart/form-data")
    assert response.status_code == 400
    assert ("The file has 302 columns; an import reads at most 200 (CPP_IMPORT_MAX_COLUMNS)"
            in response.get_data(as_text=True))


def test_a_hand_made_workbook_within_the_limits_imports(tmp_path, station):
    path = workbook(tmp_path / "ok.xlsx", sheet_xml("A1:B2", [["Station", "Organisation"],
                                                             [station.code, "Grace Church"]]))
    assert import_stakeholders(path).summary["inserted"] == 1


@pytest.mark.usefixtures("no_workbook_reading", "station")
def test_an_uploaded_bomb_is_refused_at_once_not_queued(admin_client, tmp_path):
    path = workbook(tmp_path / "bomb.xlsx", sheet_xml("A1:B2", DIRECTORY, padding=400 << 20))
    response = post_form(admin_client, "/stakeholders/import", {
        "file": (BytesIO(path.read_bytes()), "bomb.xlsx")}, content_type="multipart/form-data")
    assert response.status_code == 400
    assert "holds 400 MB once uncompressed" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(ImportJob)) == 0
