"""Nothing but static files may be kept by a cache: API replies, exports and PDFs are no-store."""

from __future__ import annotations

import pytest

from cpp_app.extensions import db
from cpp_app.public.open_data import DATASETS
from cpp_app.reports.models import QueuedReport, ReportJob, ReportJobStatus
from tests import factories
from tests.factories.api import bearer, make_api_token


@pytest.mark.usefixtures("station")
def test_api_replies_are_not_stored(client):
    _, secret = make_api_token(factories.make_user("admin"), ["engagement:read"])
    for response in (client.get("/api/v1/engagement-records", headers=bearer(secret)),
                     client.get("/api/v1/engagement-records"),
                     client.get("/api/v1/openapi.json")):
        assert response.headers["Cache-Control"] == "no-store"


def test_staff_csv_and_pdf_downloads_are_not_stored(admin_client, admin_user):
    export = admin_client.get("/engagement/export.csv")
    assert (export.mimetype, export.headers["Cache-Control"]) == ("text/csv", "no-store")
    job = ReportJob(report=QueuedReport.ANNUAL, year=2026, requested_by_id=admin_user.id,
                    status=ReportJobStatus.DONE, pdf=b"%PDF-1.4 test", pdf_size=13)
    db.session.add(job)
    db.session.commit()
    pdf = admin_client.get(f"/reports/requests/{job.id}.pdf")
    assert (pdf.mimetype, pdf.headers["Cache-Control"]) == ("application/pdf", "no-store")


def test_public_open_data_downloads_are_not_stored_but_static_files_may_be(client):
    name = next(iter(DATASETS))
    download = client.get(f"/open-data/{name}.csv")
    assert (download.mimetype, download.headers["Cache-Control"]) == ("text/csv", "no-store")
    static = client.get("/static/app.css")
    assert "no-store" not in static.headers.get("Cache-Control", "")
