"""Large uploads are imported outside the request; the upload page shows them and their result."""

from __future__ import annotations

import contextvars
from io import BytesIO
from pathlib import Path

import pytest
from flask import current_app
from sqlalchemy import func, select

from cpp_app.extensions import db
from cpp_app.importing import jobs
from cpp_app.importing.models import ImportBatch, ImportJob
from cpp_app.outreach.models import Stakeholder
from tests import factories
from tests.helpers import csrf_token, post_form


@pytest.fixture
def small_background_threshold(app):
    """Queue every upload over 1 kB for this test (the default is 5 MB)."""
    saved = app.config["CPP_IMPORT_BACKGROUND_MB"]
    app.config["CPP_IMPORT_BACKGROUND_MB"] = 1 / 1024
    yield
    app.config["CPP_IMPORT_BACKGROUND_MB"] = saved


def directory(station_code: str, rows: int) -> bytes:
    """A stakeholder directory of `rows` organisations."""
    return ("Station,Organisation,Kind\n" + "".join(
        f"{station_code},Organisation {n},Other\n" for n in range(rows))).encode()


def run_queue(time_limit: float | None = None) -> jobs.RunSummary:
    """One pass over the import queue, as the scheduler makes it."""
    return jobs.run_queued_imports(current_app._get_current_object(), time_limit)


@pytest.mark.usefixtures("small_background_threshold")
def test_a_large_upload_is_queued_imported_by_the_scheduler_and_shown(client, login, app):
    own = factories.make_station("CEN")
    factories.make_station("NTH")
    login(factories.make_user("commander", station=own))
    content = directory("CEN", 200) + b"NTH,Intruder Org,Other\n"
    response = post_form(client, "/stakeholders/import", {
        "file": (BytesIO(content), "directory.csv")}, content_type="multipart/form-data")
    assert response.status_code == 303
    job_page = response.headers["Location"]
    queued = client.get(job_page).get_data(as_text=True)
    assert "Queued." in queued
    assert '<meta http-equiv="refresh" content="5">' in queued
    upload_page = client.get("/stakeholders/import").get_data(as_text=True)
    assert "directory.csv</a>: Queued" in upload_page
    assert db.session.scalar(select(func.count()).select_from(Stakeholder)) == 0

    assert run_queue() == jobs.RunSummary(done=1, failed=0)
    done = client.get(job_page).get_data(as_text=True)
    assert "Read 201 rows: 200 added, 0 updated, 0 unchanged, 1 rejected." in done
    assert "refresh" not in done
    batch = db.session.scalar(select(ImportBatch))
    assert f'href="/imports/{batch.id}/rejects.csv"' in done
    assert batch.user_id is not None  # the commander's batch, with the commander's reach
    assert "station NTH is outside your reach" in batch.rejects[0].reason
    assert db.session.scalar(select(func.count()).select_from(Stakeholder)) == 200
    assert "directory.csv</a>: Done, 201 read, 200 added, 1 rejected" in client.get(
        "/stakeholders/import").get_data(as_text=True)
    assert not list((Path(app.instance_path) / "uploads" / "queued").iterdir())
    other = factories.make_user("commander", station=own)
    client.post("/logout", data={"csrf_token": csrf_token(client, "/stakeholders/import")})
    login(other)
    assert client.get(job_page).status_code == 403  # someone else's queued import


@pytest.mark.usefixtures("small_background_threshold")
def test_a_queued_dry_run_lists_what_it_would_do_and_changes_nothing(client, login):
    factories.make_station("CEN")
    login(factories.make_user("admin"))
    response = post_form(client, "/stakeholders/import", {
        "file": (BytesIO(directory("CEN", 100)), "directory.csv"), "dry_run": "y"},
        content_type="multipart/form-data")
    run_queue()
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Dry run: nothing was changed. Read 100 rows: 100 would be added" in page
    assert "<td>2</td><td>add</td><td>CEN Organisation 0</td>" in page
    assert db.session.scalar(select(func.count()).select_from(Stakeholder)) == 0


@pytest.mark.usefixtures("small_background_threshold")
def test_a_queued_import_past_its_time_limit_is_stopped_and_says_why(client, login):
    factories.make_station("CEN")
    login(factories.make_user("admin"))
    response = post_form(client, "/stakeholders/import", {
        "file": (BytesIO(directory("CEN", 5000)), "big.csv")}, content_type="multipart/form-data")
    assert run_queue(time_limit=0.001) == jobs.RunSummary(done=0, failed=1)
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Stopped after 0.001 seconds, the time limit for an import." in page
    assert db.session.scalar(select(ImportJob.status)) == "failed"


@pytest.mark.usefixtures("small_background_threshold")
def test_the_command_line_runs_the_queue(app, client, login):
    factories.make_station("CEN")
    login(factories.make_user("admin"))
    post_form(client, "/stakeholders/import", {
        "file": (BytesIO(directory("CEN", 100)), "directory.csv")},
        content_type="multipart/form-data")
    runner = app.test_cli_runner()
    result = contextvars.copy_context().run(runner.invoke, args=["cpp", "import", "queued"])
    assert result.exit_code == 0, result.output
    assert "Imported 1 queued file(s); 0 failed." in result.stdout
    assert db.session.scalar(select(func.count()).select_from(Stakeholder)) == 100
