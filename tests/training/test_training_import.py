"""Training records: entry for a class, imports of real exports with mappings, the rejects."""

from __future__ import annotations

from datetime import date
from io import BytesIO
from pathlib import Path

import pytest
from sqlalchemy import func, select

from cpp_app.audit.services import acting_as
from cpp_app.extensions import db
from cpp_app.importing.models import ImportBatch
from cpp_app.importing.pipeline import ImportFileError
from cpp_app.training import services
from cpp_app.training.models import ColumnMapping, TrainingCourse, TrainingRecord
from tests import factories
from tests.helpers import TEST_DATA, post_form

TODAY = date(2026, 11, 22)


def record_count() -> int:
    """Training records stored."""
    return db.session.scalar(select(func.count()).select_from(TrainingRecord))


def import_file(path, **kwargs):
    """Import a training export through the service, as the upload page does."""
    with acting_as("test"):
        return services.import_training_file(path, filename=Path(path).name, today=TODAY,
                                             **kwargs)


def test_class_roster_records_every_member_once(station):
    members = [factories.make_member(station, shield=f"80{n}") for n in range(3)]
    with acting_as("test"):
        course = services.save_course(services.CourseDetails(title="De-escalation", hours=4))
        added, skipped = services.record_training(course, date(2026, 5, 1),
                                                  ["800", "801", "802"], None, TODAY)
        assert (added, skipped) == (3, [])
        added, skipped = services.record_training(course, date(2026, 5, 1), ["800"], None,
                                                  TODAY)
        assert (added, skipped) == (0, ["800"])
        with pytest.raises(services.TrainingError, match="No member has shield number 999"):
            services.record_training(course, date(2026, 5, 1), ["801", "999"], None, TODAY)
        with pytest.raises(services.TrainingError, match="in the future"):
            services.record_training(course, date(2027, 1, 1), ["801"], None, TODAY)
    assert record_count() == 3
    assert len(members) == 3


def test_dpsst_export_imports_as_is_with_each_reject_explained(station):
    factories.make_member(station, shield="66395", first_name="Norman", last_name="Sween")
    factories.make_member(station, shield="29650", first_name="Kevin", last_name="Felts")
    result, new_courses = import_file(TEST_DATA / "dpsst_training_records_sample.csv")
    reasons = {reject.line_number: reject.reason for reject in result.rejects}
    assert reasons == {2: "the completion date 2026-12-05 is in the future",
                       3: "hours '0.00' is not a positive number",
                       23: "hours '0.00' is not a positive number"}
    # Dated by completion only, ICS-300 (27 hours, line 30) ran over days before 2022-03-02,
    # and the 14- and 16-hour Radar/Lidar courses (lines 6 and 7) may have too. The two
    # "2022-4 CAO Legal Updates" rows of 2022-09-30 have two course codes: two records.
    assert result.summary["inserted"] == 29 - 3 == record_count()
    assert result.summary["unchanged"] == 0
    assert "CPR/First Aid" in new_courses
    assert new_courses.count("2022-4 CAO Legal Updates for 04/2022") == 2
    again, _ = import_file(TEST_DATA / "dpsst_training_records_sample.csv")
    assert again.summary["inserted"] == 0
    assert again.summary["unchanged"] == 26
    assert record_count() == 26


def test_nypd_export_needs_its_course_column_mapped(station):
    factories.make_member(station, shield="969306", first_name="Shamsuddin", last_name="Qadeer")
    with pytest.raises(ImportFileError, match="Course title or code"):
        import_file(TEST_DATA / "nypd_training_records_sample.csv")
    with acting_as("test"):
        course = services.save_course(services.CourseDetails(title="DRIVE SMART 2024", hours=2))
    mapping = {"taxid": "shield_number", "date": "completed_on", "name": "course_title"}
    result, new_courses = import_file(TEST_DATA / "nypd_training_records_sample.csv",
                                      mapping=mapping)
    rejected_for_hours = [r for r in result.rejects if "no default hours" in r.reason]
    assert (result.summary["read"], result.summary["inserted"]) == (27, 1)
    assert len(rejected_for_hours) == result.summary["rejected"] == 26
    drive_smart = db.session.scalar(select(TrainingRecord).where(
        TrainingRecord.course_id == course.id))
    assert drive_smart.hours_credited == 2.0
    # The other 26 rows are rejected, so none of the 22 courses they name is created.
    assert new_courses == []
    assert db.session.scalar(select(func.count()).select_from(TrainingCourse)) == 1


def test_chicago_roster_imports_with_one_course_for_the_file(station):
    with acting_as("test"):
        cit = services.save_course(services.CourseDetails(
            title="Crisis Intervention Team 40-hour", hours=40,
            counts_toward_requirement=True))
    factories.make_member(station, shield="18439", first_name="Vincent", last_name="Allen")
    factories.make_member(station, shield="4568", first_name="Reginald", last_name="Bell")
    roster = TEST_DATA / "chicago_cpd_FOIA_P050308_ActiveSworn_CIT_40HR_Certified.xlsx"
    result, _ = import_file(roster, default_course_id=cit.id)
    # The 40 course hours are credited on the session's end date (no per-day cap applies to
    # hours that come from the course itself); officers we do not employ are rejected.
    assert result.summary["read"] == 2236
    assert result.summary["inserted"] == 2
    assert {r.reason.split(" '")[0] for r in result.rejects} == {"unknown shield number"}
    assert db.session.scalar(select(func.sum(TrainingRecord.hours_credited))) == 80
    again, _ = import_file(roster, default_course_id=cit.id, mapping={
        "STAR/BADGE": "shield_number", "SESSION END DATE": "completed_on",
        "LAST NAME": "", "FIRST NAME": ""})
    assert again.summary["inserted"] == 0
    assert again.summary["unchanged"] == 2


def test_bad_rows_are_rejected_with_line_and_reason(tmp_path, station):
    factories.make_member(station, shield="100")
    export = tmp_path / "lms.csv"
    export.write_text(
        "Employee ID,Course,Completion Date,Hours\n"
        "100,Procedural Justice,2026-03-01,4\n"
        "999,Procedural Justice,2026-03-01,4\n"
        "100,Procedural Justice,2026-03-02,-2\n"
        "100,Procedural Justice,someday,2\n"
        "100,Procedural Justice,2030-01-01,2\n"
        "100,Implicit Bias,2026-03-05,2500\n")
    result, _ = import_file(export)
    assert [(r.line_number, r.reason) for r in result.rejects] == [
        (3, "unknown shield number '999'"),
        (4, "hours '-2' is not a positive number"),
        (5, "completion date 'someday' is not a date (use YYYY-MM-DD or MM/DD/YYYY)"),
        (6, "the completion date 2030-01-01 is in the future"),
        (7, "2500 hours is more than 2,000, a year of full-time work"),
    ]
    assert result.summary["inserted"] == 1


def test_upload_maps_columns_and_remembers_them(client, login, station):
    member = factories.make_member(station, shield="100", start_date=date(2010, 1, 1))
    with acting_as("test"):
        services.save_course(services.CourseDetails(title="Procedural Justice", hours=8))
    login(factories.make_user("training"))
    csv_bytes = (b"Badge,Class,Finished,Credit\n100,Procedural Justice,2026-03-01,8\n")
    response = post_form(client, "/training/import", {
        "file": (BytesIO(csv_bytes), "lms.csv"), "source_name": "County LMS"},
        content_type="multipart/form-data")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/training/import/mapping")
    page = client.get("/training/import/mapping").get_data(as_text=True)
    assert "Badge" in page
    assert "Finished" in page
    response = post_form(client, "/training/import/mapping", {
        "map-0": "shield_number", "map-1": "course_title", "map-2": "completed_on",
        "map-3": "hours"})
    body = response.get_data(as_text=True)
    assert "1 added" in body, body[-2000:]
    remembered = db.session.scalar(select(ColumnMapping))
    assert remembered.name == "County LMS"
    assert remembered.mapping["Badge"] == "shield_number"
    assert record_count() == 1
    history = client.get(f"/training/members/{member.id}").get_data(as_text=True)
    assert '<span class="badge bg-success">compliant</span>' in history
    assert "to go" not in history
    assert "Procedural Justice" in history
    assert "<td>Imported</td>" in history
    assert "<td>imported</td>" not in history


@pytest.mark.parametrize(("content", "filename", "message"), [
    (b"", "lms.csv", "The uploaded file is empty."),
    (b"%PDF-1.4", "lms.pdf", "Upload a .csv or .xlsx file."),
])
def test_upload_step_refuses_an_unfit_file_and_keeps_nothing(client, login, app, content,
                                                             filename, message):
    login(factories.make_user("training"))
    response = post_form(client, "/training/import", {
        "file": (BytesIO(content), filename), "source_name": "County LMS"},
        content_type="multipart/form-data")
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert not list((Path(app.instance_path) / "uploads" / "training").glob("*"))
    assert client.get("/training/import/mapping").status_code == 302


def test_mapping_step_through_the_one_entry_records_a_dry_run_batch(client, login, station):
    factories.make_member(station, shield="100")
    with acting_as("test"):
        course = services.save_course(services.CourseDetails(title="CIT 40-hour", hours=40))
    user = factories.make_user("training")
    login(user)
    post_form(client, "/training/import", {
        "file": (BytesIO(b"Star,Session end date\n100,2026-03-01\n"), "cit roster.csv"),
        "source_name": "CPD"}, content_type="multipart/form-data")
    page = post_form(client, "/training/import/mapping", {
        "map-0": "shield_number", "map-1": "completed_on", "default_course_id": str(course.id),
        "dry_run": "1"}).get_data(as_text=True)
    assert "cit_roster.csv: read 1 rows: 1 would be added, 0 already present, 0 rejected." in page
    batch = db.session.scalar(select(ImportBatch))
    assert (batch.kind, batch.dry_run, batch.user_id) == ("training", True, user.id)
    assert record_count() == 0
    again = post_form(client, "/training/import/mapping", {
        "map-0": "shield_number", "map-1": "shield_number"}, form_page="/training/import/mapping")
    assert again.status_code == 400
    assert "Each of our fields can take only one of the file" in again.get_data(as_text=True)


def test_cli_imports_with_a_remembered_mapping(app, tmp_path, station):
    factories.make_member(station, shield="100")
    with acting_as("test"):
        services.save_course(services.CourseDetails(title="Procedural Justice", hours=8))
        services.save_mapping("County LMS", {"Badge": "shield_number", "Class": "course_title",
                                             "Finished": "completed_on"}, None)
    export = tmp_path / "lms.csv"
    export.write_text("Badge,Class,Finished\n100,Procedural Justice,2026-03-01\n"
                      "100,Procedural Justice,2026-03-02\n")
    runner = app.test_cli_runner()
    result = runner.invoke(args=["cpp", "import", "training", str(export),
                                 "--mapping", "County LMS"])
    assert result.exit_code == 0, result.output
    assert "2 inserted" in result.output
    missing = runner.invoke(args=["cpp", "import", "training", str(export), "--mapping", "X"])
    assert missing.exit_code != 0
    assert "No mapping named 'X'" in missing.output
    assert db.session.scalar(select(func.count()).select_from(TrainingCourse)) == 1
