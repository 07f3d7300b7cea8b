"""CSV files in East Asian and other legacy encodings import as written, or are refused clearly."""

from __future__ import annotations

from io import BytesIO

import pytest
from sqlalchemy import select

from cpp_app.extensions import db
from cpp_app.importing.models import ImportBatch
from cpp_app.outreach.models import Stakeholder
from tests import factories
from tests.helpers import post_form

NAMES = {
    "cp932": ["東京日本語学校", "大阪コミュニティセンター"],   # Shift-JIS, as Windows writes it
    "gbk": ["华人社区服务中心", "北京同乡会"],
    "cp949": ["한인교회", "한국노인회"],
    "cp1252": ["Café Müller", "Señora Niño"],
    "utf-16": ["Église Saint-Jean", "Masjid Al-Nūr"],
}


def directory(names: list[str]) -> str:
    """A stakeholder directory naming these organisations at station CEN."""
    return "Station,Organisation,Kind\n" + "".join(f"CEN,{name},Other\n" for name in names)


@pytest.mark.parametrize("encoding", list(NAMES))
def test_a_directory_in_a_legacy_encoding_imports_its_names_as_written(admin_client, encoding):
    factories.make_station("CEN")
    content = directory(NAMES[encoding]).encode(encoding)
    response = post_form(admin_client, "/stakeholders/import", {
        "file": (BytesIO(content), "directory.csv")}, content_type="multipart/form-data")
    page = response.get_data(as_text=True)
    assert response.status_code == 200, page[-800:]
    assert "Read 2 rows: 2 added" in page
    assert sorted(db.session.scalars(select(Stakeholder.name))) == sorted(NAMES[encoding])


def test_bytes_in_no_known_encoding_are_refused_with_what_to_do(admin_client):
    factories.make_station("CEN")
    content = b"Station,Organisation\nCEN,\x81\xff\xfe\x81 Org\n"
    response = post_form(admin_client, "/stakeholders/import", {
        "file": (BytesIO(content), "directory.csv")}, content_type="multipart/form-data")
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "encoding that could not be recognised; save it as &#34;CSV UTF-8&#34;" in page
    assert db.session.scalar(select(ImportBatch.status)) == "failed"
    assert db.session.scalar(select(Stakeholder.id)) is None
