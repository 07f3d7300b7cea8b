"""Every CSV download comes plain (as before) and Excel-friendly (UTF-8 with a BOM, CRLF)."""

from __future__ import annotations

import io
from datetime import date

import pytest
from sqlalchemy import select

from cpp_app.engagement.models import EngagementRecord
from cpp_app.extensions import db
from cpp_app.importing.models import ImportBatch
from tests import factories
from tests.factories.public import publish_everything
from tests.factories.surveys import respond, template_survey
from tests.helpers import post_form

BOM = b"\xef\xbb\xbf"


@pytest.fixture
def downloads(admin_client, station) -> dict[str, tuple[str, str, str]]:
    """Each CSV download: (its URL, the page offering it, an accented text it holds)."""
    factories.make_member(station, last_name="Núñez", start_date=date(2010, 1, 1))
    db.session.add(EngagementRecord(occurred_on=date(2026, 5, 2), call_type="COP Activity",
                                    shield_number="77", location="CALLE PEÑA 12",
                                    station_id=station.id, identity="excel-1"))
    db.session.commit()
    survey = template_survey(station)
    respond(survey, language="es", feel_safe=4, police_respect=4, police_listen=5,
            top_issue="Tráfico frente a la escuela")
    post_form(admin_client, "/imports/members", {
        "file": (io.BytesIO("Badge,First,Last\n1,José,Pérez\n1,Zoë,Ångström\n".encode()),
                 "roster.csv")}, content_type="multipart/form-data")
    batch = db.session.scalar(select(ImportBatch))
    publish_everything(factories.make_station("PUB", "Public Station"))
    return {
        "training": ("/training/short.csv", "/training", "Núñez"),
        "engagement": ("/engagement/export.csv", "/engagement", "CALLE PEÑA 12"),
        "survey": (f"/surveys/{survey.id}/responses.csv", f"/surveys/{survey.id}",
                   "Tráfico frente a la escuela"),
        "rejects": (f"/imports/{batch.id}/rejects.csv", f"/imports/{batch.id}", "Ångström"),
        "open data": ("/open-data/engagement-records.csv", "/open-data", "PUB"),
    }


@pytest.mark.parametrize("name", ["training", "engagement", "survey", "rejects", "open data"])
def test_the_excel_friendly_csv_is_the_plain_one_with_a_bom(admin_client, downloads, name):
    url, _page, text = downloads[name]
    plain = admin_client.get(url)
    excel = admin_client.get(f"{url}?format=excel")
    assert plain.status_code == excel.status_code == 200
    assert plain.mimetype == excel.mimetype == "text/csv"
    assert not plain.data.startswith(BOM)
    assert text.encode("utf-8") in plain.data
    assert excel.data == BOM + plain.data
    assert excel.data.count(b"\r\n") == excel.data.count(b"\n") >= 2
    assert excel.data.decode("utf-8-sig").startswith(plain.data.decode("utf-8"))
    plain_name = plain.headers["Content-Disposition"].split('filename="', 1)[1].rstrip('"')
    excel_name = excel.headers["Content-Disposition"].split('filename="', 1)[1].rstrip('"')
    assert excel_name == plain_name.removesuffix(".csv") + "-excel.csv"


@pytest.mark.parametrize("name", ["training", "engagement", "survey", "rejects", "open data"])
def test_the_page_offers_both_csvs(admin_client, downloads, name):
    url, page, _text = downloads[name]
    html = admin_client.get(page).get_data(as_text=True)
    assert f'href="{url}' in html
    assert "format=excel" in html
    assert "Excel" in html
