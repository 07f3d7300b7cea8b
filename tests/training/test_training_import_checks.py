"""Training imports credit the person the file names, on believable days, to the right course."""

from __future__ import annotations

import csv
import io
from datetime import date
from io import BytesIO
from pathlib import Path

import pytest
from sqlalchemy import func, select

from cpp_app.audit.services import acting_as
from cpp_app.extensions import db
from cpp_app.importing.models import ImportBatch
from cpp_app.stations.names import given_names, same_person
from cpp_app.stations.services import find_member
from cpp_app.training import services
from cpp_app.training.models import TrainingCourse, TrainingRecord
from tests import factories
from tests.helpers import TEST_DATA, post_form

TODAY = date(2026, 11, 22)
CHICAGO = TEST_DATA / "chicago_cpd_FOIA_P050308_ActiveSworn_CIT_40HR_Certified.xlsx"


def import_file(path, **kwargs):
    """Import a training export through the service, as the upload page does."""
    with acting_as("test"):
        result, _ = services.import_training_file(path, filename=Path(path).name, today=TODAY,
                                                  **kwargs)
    return result


def course_count() -> int:
    """Courses listed."""
    return db.session.scalar(select(func.count()).select_from(TrainingCourse))


@pytest.mark.parametrize(("member", "given", "same"), [
    (("Norman", "Sween"), ("", "", "Sween, Norman J."), True),
    (("José", "Núñez"), ("JOSE", "NUNEZ", ""), True),
    (("David", "De Mato"), ("", "", "DE MATO, DAVID"), True),
    (("David", "DeMato"), ("", "", "David De-Mato"), True),
    (("Ann", "Lee"), ("", "", "Lee Ann"), True),        # written the other way round
    (("Annie", "Lee"), ("A.", "LEE", ""), True),
    (("Michael", "Taylor"), ("", "", "DE MATO, DAVID"), False),
    (("Michael", "Taylor"), ("Michelle", "Taylor", ""), False),
    (("Kevin", "Felts"), ("", "", "Felts"), False),
])
def test_names_are_compared_as_a_person_would(member, given, same):
    assert same_person(*member, *given_names(*given)) is same


def test_the_chicago_roster_credits_only_the_people_it_names(station):
    with acting_as("test"):
        cit = services.save_course(services.CourseDetails(title="CIT 40-hour", hours=40))
    factories.make_member(station, shield="1202", first_name="Michael", last_name="Taylor")
    factories.make_member(station, shield="18439", first_name="Vincent", last_name="Allen")
    dry = import_file(CHICAGO, default_course_id=cit.id, dry_run=True)
    reasons = {reject.line_number: reject.reason for reject in dry.rejects}
    assert reasons[25] == ("shield number 1202 is Michael Taylor here, but the file names "
                           "David De Mato")
    assert reasons[9] == "unknown shield number '4568' (Reginald Bell)"
    assert [(c.line_number, c.action, c.text) for c in dry.changes] == [
        (8, "add", "#18439 Vincent Allen: CIT 40-hour, 2004-10-29, 40 h")]
    assert db.session.scalar(select(func.count()).select_from(TrainingRecord)) == 0
    result = import_file(CHICAGO, default_course_id=cit.id)
    assert (result.summary["inserted"], result.changes) == (1, [])
    assert db.session.scalar(select(TrainingRecord.member_id)) == find_member("18439").id


def test_the_chicago_roster_updates_no_member_it_names_otherwise(app, station):
    factories.make_member(station, shield="1202", first_name="Michael", last_name="Taylor")
    runner = app.test_cli_runner()
    result = runner.invoke(args=["cpp", "import", "members", str(CHICAGO), "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "2161 inserted, 0 updated, 0 unchanged, 75 rejected" in result.stdout
    assert ("line 25: shield number 1202 is Michael Taylor here, but the file names David De "
            "Mato: check the shield number, or correct the member's name first") in result.stdout
    assert "  line 8: add #18439 Vincent Allen, no station" in result.stdout
    assert len([line for line in result.stdout.splitlines() if ": add #" in line]) == 2161


@pytest.fixture
def member(station):
    """The member the exports below are about."""
    return factories.make_member(station, shield="100", first_name="Ann", last_name="Lee")


@pytest.mark.usefixtures("member")
def test_multi_day_and_same_day_courses_are_judged_by_their_days(tmp_path):
    path = tmp_path / "lms.csv"
    path.write_text(
        "Employee ID,Name,Course,Course code,Start date,End date,Hours\n"
        "100,Ann Lee,ICS-300,ICS300,2022-02-28,2022-03-02,27\n"      # 9 a day: fine
        "100,Ann Lee,Radar operator,R1,,2025-07-02,14\n"              # by completion only
        "100,Ann Lee,Radar practical,R2,,2025-07-02,16\n"
        "100,Ann Lee,Night shift drill,N1,2022-03-01,2022-03-01,20\n"  # 9 + 20 on 03-01
        "100,Ann Lee,Marathon,M1,2024-05-01,2024-05-01,25\n"
        "100,Ann Lee,Backwards,B1,2024-06-03,2024-06-01,4\n"
        "100,Ann Lee,Forever,F1,2020-01-01,2024-06-01,40\n"
        "100,Ann Lee,Typo,T1,,2024-06-01,nan\n"
        "100,Ann Lee,Typo,T1,,2024-06-02,1e309\n")
    result = import_file(path)
    assert [(r.line_number, r.reason) for r in result.rejects] == [
        (5, "more than 24 hours on 2022-03-01 for shield 100"),
        (6, "more than 24 hours on 2024-05-01 for shield 100"),
        (7, "the start date 2024-06-03 is after the completion date 2024-06-01"),
        (8, "the course runs 1614 days (2020-01-01 to 2024-06-01); at most 366"),
        (9, "hours 'nan' is not a number"),
        (10, "hours '1e309' is not a number"),
    ]
    assert result.summary["inserted"] == 3
    ics = db.session.scalar(select(TrainingRecord).join(TrainingCourse).where(
        TrainingCourse.code == "ICS300"))
    assert (ics.started_on, ics.completed_on, ics.hours_credited) == (
        date(2022, 2, 28), date(2022, 3, 2), 27)
    assert course_count() == 3  # only the courses of rows that went in


@pytest.mark.usefixtures("member")
def test_rows_with_different_course_codes_are_different_records(tmp_path):
    path = tmp_path / "lms.csv"
    path.write_text("Employee ID,Title,Course,Date,Hours\n"
                    "100,Legal Updates,PDP31358,9/30/2022,0.25\n"
                    "100,Legal Updates,PDP27396,9/30/2022,0.25\n")
    first = import_file(path)
    assert (first.summary["inserted"], first.summary["unchanged"]) == (2, 0)
    assert sorted(db.session.scalars(select(TrainingCourse.code))) == ["PDP27396", "PDP31358"]
    again = import_file(path)
    assert (again.summary["inserted"], again.summary["unchanged"]) == (0, 2)


@pytest.mark.usefixtures("member")
def test_a_file_whose_every_row_is_rejected_writes_only_the_rejects(tmp_path):
    path = tmp_path / "lms.csv"
    path.write_text("Employee ID,Course,Date,Hours\n" + "".join(
        f"100,Course {n},2024-01-0{n},0\n" for n in range(1, 8)))
    result = import_file(path)
    assert (result.summary["inserted"], result.summary["rejected"]) == (0, 7)
    assert course_count() == 0
    assert db.session.scalar(select(func.count()).select_from(TrainingRecord)) == 0
    assert len(db.session.get(ImportBatch, result.batch.id).rejects) == 7


def test_the_coordinator_lists_a_dry_run_then_downloads_the_rejected_rows(client, login,
                                                                          station):
    factories.make_member(station, shield="100", first_name="Ann", last_name="Lee")
    factories.make_member(station, shield="200", first_name="Michael", last_name="Taylor")
    login(factories.make_user("training"))
    content = (b"Badge,Name,Class,Finished,Credit\n100,\"LEE, ANN\",Procedural Justice,"
               b"2026-03-01,8\n200,\"DE MATO, DAVID\",Procedural Justice,2026-03-01,8\n")
    post_form(client, "/training/import", {"file": (BytesIO(content), "lms.csv"),
                                           "source_name": "County LMS"},
              content_type="multipart/form-data")
    mapping = {"map-0": "shield_number", "map-1": "full_name", "map-2": "course_title",
               "map-3": "completed_on", "map-4": "hours"}
    dry = post_form(client, "/training/import/mapping", {**mapping, "dry_run": "1"})
    page = dry.get_data(as_text=True)
    assert "#100 Ann Lee: Procedural Justice (new course), 2026-03-01, 8 h" in page
    assert "shield number 200 is Michael Taylor here, but the file names David De Mato" in page
    done = post_form(client, "/training/import/mapping", mapping).get_data(as_text=True)
    assert "1 added" in done
    batch_id = db.session.scalar(select(ImportBatch.id).where(ImportBatch.dry_run.is_(False)))
    assert f'href="/imports/{batch_id}/rejects.csv"' in done
    rows = list(csv.reader(io.StringIO(
        client.get(f"/imports/{batch_id}/rejects.csv").get_data(as_text=True))))
    assert rows[1][:3] == ["3", "shield number 200 is Michael Taylor here, but the file names "
                           "David De Mato", "200"]
    assert client.get(f"/imports/{batch_id}").status_code == 200
