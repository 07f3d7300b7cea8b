"""The `flask cpp` commands: every import, create-admin, seed-demo and audit verify."""

from __future__ import annotations

import pytest
from sqlalchemy import select, update

from cpp_app.audit.models import AuditEvent
from cpp_app.audit.services import acting_as
from cpp_app.auth.models import User
from cpp_app.demo.department import DEMO_STATIONS, MEMBERS_PER_STATION
from cpp_app.engagement.models import EngagementRecord
from cpp_app.extensions import db
from cpp_app.importing.models import ImportBatch
from cpp_app.outreach.models import Stakeholder
from cpp_app.stations import services as stations
from cpp_app.stations.models import Member, Station
from cpp_app.stations.services import find_member
from cpp_app.training import services as training
from cpp_app.training.models import TrainingRecord
from tests import factories
from tests.helpers import log_in, row_count

ROSTER = ("Shield number,First name,Last name,Station\n"
          "0101,Ann,Lee,CEN\n"
          "0102,Bo,Kim,XYZ\n"
          "\n"
          "0103,Cy,Park,CEN\n"
          ",Di,Ng,CEN\n")
GOOD_PASSWORD = "a long enough passphrase"


@pytest.mark.usefixtures("station")
def test_import_members_prints_the_counts_and_each_rejected_line(cpp, tmp_path):
    path = tmp_path / "roster.csv"
    path.write_text(ROSTER)
    result = cpp("import", "members", path)
    assert result.exit_code == 0, result.output
    batch = db.session.scalar(select(ImportBatch))
    assert (f"read 4 rows: 2 inserted, 0 updated, 0 unchanged, 2 rejected (batch {batch.id})."
            in result.stdout)
    assert "  line 3: station 'XYZ' does not exist (use a station code)" in result.stdout
    assert "  line 6: the shield number is empty" in result.stdout
    assert set(db.session.scalars(select(Member.shield_number))) == {"0101", "0103"}
    assert batch.actor_label == "cli:import-members"

    again = cpp("import", "members", path)
    assert "read 4 rows: 0 inserted, 0 updated, 2 unchanged, 2 rejected" in again.stdout


@pytest.mark.usefixtures("station")
def test_import_members_dry_run_changes_nothing(cpp, tmp_path):
    factories.make_member(None, shield="0101", first_name="Ann", last_name="Lee")
    events_before = row_count(AuditEvent)
    path = tmp_path / "roster.csv"
    path.write_text(ROSTER)
    result = cpp("import", "members", path, "--dry-run")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(
        "Dry run, nothing changed: would have read 4 rows: 1 inserted, 1 updated, 0 unchanged, "
        "2 rejected")
    db.session.expire_all()
    assert row_count(Member) == 1
    assert find_member("0101").station_id is None
    assert result.stdout.splitlines()[-3:] == [
        "What the import would do:", "  line 2: update #0101 Ann Lee, CEN: station",
        "  line 5: add #0103 Cy Park, CEN"]
    assert row_count(AuditEvent) == events_before
    assert db.session.scalar(select(ImportBatch)).dry_run


def test_import_members_of_a_file_without_shields_fails_with_the_reason(cpp, tmp_path):
    path = tmp_path / "names.csv"
    path.write_text("First name,Last name\nAnn,Lee\n")
    result = cpp("import", "members", path)
    assert result.exit_code == 1
    assert "Error: The file has no column for: Shield number." in result.stderr


def test_import_members_lists_50_rejects_then_says_how_many_more(cpp, tmp_path):
    path = tmp_path / "roster.csv"
    path.write_text("Shield number,First name,Last name\n" + ",Ann,Lee\n" * 53)
    result = cpp("import", "members", path)
    lines = result.stdout.splitlines()
    assert lines[1:51] == [f"  line {n}: the shield number is empty" for n in range(2, 52)]
    assert lines[51:] == ["  … and 3 more; see the batch page in the app for all of them."]


def test_import_stakeholders_prints_the_counts_and_rejects(cpp, tmp_path, station):
    path = tmp_path / "directory.csv"
    path.write_text("Station,Organisation,Kind\n"
                    f"{station.code},Al-Noor Mosque,Mosque\nNOPE,Ghost Org,Church\n")
    result = cpp("import", "stakeholders", path)
    assert result.exit_code == 0, result.output
    batch = db.session.scalar(select(ImportBatch))
    assert result.stdout.splitlines() == [
        f"read 2 rows: 1 inserted, 0 updated, 0 unchanged, 1 rejected (batch {batch.id}).",
        "  line 3: station 'NOPE' does not exist"]
    assert batch.actor_label == "cli:import-stakeholders"
    assert row_count(Stakeholder) == 1
    missing = cpp("import", "stakeholders", path, "--dry-run")
    assert missing.stdout.startswith("Dry run, nothing changed: would have read 2 rows: "
                                     "0 inserted, 0 updated, 1 unchanged, 1 rejected")


def test_import_training_names_the_courses_it_created(cpp, tmp_path, station):
    factories.make_member(station, shield="100")
    path = tmp_path / "lms.csv"
    path.write_text("Employee ID,Course,Completion Date,Hours\n"
                    "100,Implicit Bias,2026-03-01,4\n100,Implicit Bias,2099-01-01,4\n")
    result = cpp("import", "training", path)
    assert result.exit_code == 0, result.output
    batch = db.session.scalar(select(ImportBatch))
    assert result.stdout.splitlines() == [
        f"read 2 rows: 1 inserted, 0 updated, 0 unchanged, 1 rejected (batch {batch.id}).",
        "  line 3: the completion date 2099-01-01 is in the future",
        "New courses created (not counting toward the requirement until a coordinator says "
        "so): Implicit Bias"]
    assert row_count(TrainingRecord) == 1
    refused = cpp("import", "training", path, "--course", "Nope")
    assert refused.exit_code == 1
    assert "Error: No course titled 'Nope'." in refused.stderr


def test_import_training_with_one_course_for_the_file(cpp, tmp_path, station):
    factories.make_member(station, shield="100")
    with acting_as("test"):
        training.save_course(training.CourseDetails(title="CIT 40-hour", hours=40))
    path = tmp_path / "roster.csv"
    path.write_text("Star,Session end date\n100,2026-03-01\n")
    without = cpp("import", "training", path)
    assert without.exit_code == 1
    assert ("Error: The file has no column for: Course title or code (or choose one course "
            "for the whole file).") in without.stderr
    result = cpp("import", "training", path, "--course", "cit 40-HOUR", "--dry-run")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("Dry run, nothing changed: would have read 1 rows: "
                                    "1 inserted")
    assert row_count(TrainingRecord) == 0


def test_import_engagements_reports_each_file_then_the_links_and_totals(cpp, tmp_path, station):
    first, second = tmp_path / "q1.csv", tmp_path / "q2.csv"
    first.write_text("Date,Time,CallType,ShieldNumber,Location\n"
                     "2017-01-03,13:05,COP Activity,4242,1 Plaza\n"
                     "2017-01-03,13:05,COP DDACTS,,2 Plaza\n")
    result = cpp("import", "engagements", first)
    assert result.stdout.splitlines() == [
        "q1.csv: read 2, inserted 2, already present 0, rejected 0.",
        "  call type kept as given: 'COP DDACTS' (1 rows)",
        "  2 of the 2 accepted rows match no member (their shield numbers are blank or "
        "unknown); 2 of the 2 accepted rows have no station (a location rule, or the "
        "member's station, would give them one).",
        "Links updated on 0 earlier records.",
        "Total: read 2, inserted 2, already present 0, rejected 0."]
    factories.make_member(station, shield="4242")
    second.write_text("Date,CallType\nsomeday,COP Activity\n2017-01-05,COP Activity\n")
    result = cpp("import", "engagements", first, second)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "q1.csv: read 2, inserted 0, already present 2, rejected 0.",
        "  call type kept as given: 'COP DDACTS' (1 rows)",
        "  1 of the 2 accepted rows match no member (their shield numbers are blank or "
        "unknown); 1 of the 2 accepted rows have no station (a location rule, or the "
        "member's station, would give them one).",
        "q2.csv: read 2, inserted 1, already present 0, rejected 1.",
        "  line 2: date 'someday' is not a date",
        "  1 of the 1 accepted rows match no member (the file has no ShieldNumber column); 1 "
        "of the 1 accepted rows have no station (a location rule, or the member's station, "
        "would give them one).",
        "Links updated on 1 earlier records.",
        "Total: read 4, inserted 1, already present 2, rejected 1."]
    assert [batch.actor_label for batch in db.session.scalars(select(ImportBatch))] == [
        "cli:import-engagements"] * 3
    dry = cpp("import", "engagements", second, "--dry-run")
    assert dry.stdout.splitlines()[-1] == ("Dry run, nothing changed. Total: read 2, "
                                           "inserted 0, already present 1, rejected 1.")
    assert "Links updated" not in dry.stdout
    assert row_count(EngagementRecord) == 3
    bad = cpp("import", "engagements", tmp_path / "q1.csv", path_without_call_type(tmp_path))
    assert bad.exit_code == 1
    assert "Error: q0.csv: The file has no column for: CallType." in bad.stderr


def path_without_call_type(tmp_path):
    """An export that lacks the CallType column."""
    path = tmp_path / "q0.csv"
    path.write_text("Date,Location\n2017-01-03,1 Plaza\n")
    return path


def test_create_admin_reads_the_password_from_stdin_and_can_log_in(cpp, client):
    result = cpp("create-admin", "--email", "Chief@Example.org", "--name", "Chief",
                 input=GOOD_PASSWORD + "\n")
    assert result.exit_code == 0, result.output
    assert "Administrator chief@example.org created." in result.stdout
    user = db.session.scalar(select(User))
    assert (user.email, user.role, user.name) == ("chief@example.org", "admin", "Chief")
    response = log_in(client, "chief@example.org", GOOD_PASSWORD)
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/home")


def test_create_admin_refuses_a_short_password(cpp):
    result = cpp("create-admin", "--email", "chief@example.org", input="short\n")
    assert result.exit_code != 0
    assert "The password must be at least 12 characters long." in result.stderr
    assert row_count(User) == 0


def test_create_admin_refuses_a_duplicate_email(cpp):
    factories.make_user("viewer", email="chief@example.org")
    result = cpp("create-admin", "--email", "CHIEF@example.org", input=GOOD_PASSWORD + "\n")
    assert result.exit_code != 0
    assert "Another account already uses chief@example.org." in result.stderr
    assert row_count(User) == 1


def test_seed_demo_creates_the_department_once(cpp):
    first = cpp("seed-demo")
    assert first.exit_code == 0, first.output
    members = len(DEMO_STATIONS) * MEMBERS_PER_STATION
    assert (f"Demo department ready: 6 stations, {members} members and 5 users created."
            in first.stdout)
    assert row_count(Station) == 6
    assert 180 <= row_count(Member) == members <= 220
    roles = sorted(db.session.scalars(select(User.role)))
    assert roles == ["admin", "commander", "staff", "training", "viewer"]
    assert all(station.commander_member_id for station in db.session.scalars(select(Station)))
    totals = (row_count(Station), row_count(Member), row_count(User), row_count(AuditEvent))

    second = cpp("seed-demo")
    assert second.exit_code == 0, second.output
    assert "Demo department ready: 0 stations, 0 members and 0 users created." in second.stdout
    assert (row_count(Station), row_count(Member), row_count(User), row_count(AuditEvent)) == totals


def test_seed_demo_refuses_in_production_unless_forced(app, cpp, monkeypatch):
    monkeypatch.setitem(app.config, "ENV_NAME", "production")
    refused = cpp("seed-demo")
    assert refused.exit_code == 1
    assert ("Refusing to load the demo department in the production environment: it creates "
            "an administrator whose password is printed in the README.") in refused.stderr
    assert (row_count(Station), row_count(User)) == (0, 0)
    forced = cpp("seed-demo", "--force")
    assert forced.exit_code == 0, forced.output
    assert row_count(User) == 5


def test_audit_verify_is_intact_after_seed_and_names_a_tampered_event(cpp):
    cpp("seed-demo")
    events = row_count(AuditEvent)
    intact = cpp("audit", "verify")
    assert intact.exit_code == 0
    assert f"Audit chain intact: {events} events checked." in intact.stdout

    audit_table = AuditEvent.__table__
    tampered = events // 2
    db.session.execute(update(audit_table).where(audit_table.c.sequence == tampered)
                       .values(after={"name": "Someone Else"}))
    db.session.commit()
    broken = cpp("audit", "verify")
    assert broken.exit_code == 1
    assert (f"Audit chain BROKEN at event {tampered}: its content does not match its hash. "
            f"{tampered - 1} events before it are intact." in broken.stderr)


def test_audit_verify_finds_an_event_deleted_from_the_middle(cpp):
    with acting_as("test"):
        station = stations.create_station(stations.StationDetails(code="A", name="Alpha"))
        for number in range(4):
            stations.create_member(stations.MemberDetails(
                shield_number=str(number), first_name="Jo", last_name=f"Doe{number}",
                station_id=station.id))
    assert "5 events checked" in cpp("audit", "verify").stdout
    audit_table = AuditEvent.__table__
    db.session.execute(audit_table.delete().where(audit_table.c.sequence == 3))
    db.session.commit()
    broken = cpp("audit", "verify")
    assert broken.exit_code == 1
    assert ("Audit chain BROKEN at event 3: event 3 is missing. 2 events before it are intact."
            in broken.stderr)
