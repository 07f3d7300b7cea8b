"""The eight-hour rule: periods, grace, due soon, and the dashboard's fixed query count."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from cpp_app.extensions import db
from cpp_app.training.compliance import (
    TrainingRule,
    compliance_frame,
    due_soon,
    short_members,
    summarise,
)
from cpp_app.training.models import TrainingCourse, TrainingRecord
from tests import factories
from tests.helpers import counting_queries

TODAY = date(2026, 11, 22)


@pytest.fixture
def courses():
    """A course that counts toward the requirement and one that does not."""
    counting = TrainingCourse(title="Procedural justice", hours=4,
                              counts_toward_requirement=True)
    other = TrainingCourse(title="Firearms", hours=8, counts_toward_requirement=False)
    db.session.add_all([counting, other])
    db.session.commit()
    return counting, other


def give(member, course, on, hours):
    """Record that the member completed the course on `on`, credited `hours`."""
    db.session.add(TrainingRecord(member_id=member.id, course_id=course.id, completed_on=on,
                                  hours_credited=hours))
    db.session.commit()


def test_calendar_year_counts_only_counting_courses_this_year(station, courses):
    counting, other = courses
    member = factories.make_member(station, start_date=date(2015, 1, 1))
    give(member, counting, date(2026, 3, 1), 4)
    give(member, counting, date(2025, 12, 31), 4)  # last year
    give(member, other, date(2026, 5, 1), 8)  # does not count
    rule = TrainingRule(8, "calendar-year", 90)
    row = compliance_frame(rule, TODAY).iloc[0]
    assert (row.hours_done, row.hours_remaining, bool(row.compliant)) == (4.0, 4.0, False)
    rolling = compliance_frame(TrainingRule(8, "rolling-12-months", 90), TODAY).iloc[0]
    assert rolling.hours_done == 8.0
    assert bool(rolling.compliant)
    career = compliance_frame(TrainingRule(8, "career", 90), TODAY).iloc[0]
    assert career.hours_done == 8.0


def test_grace_period_and_due_soon(station, courses):
    counting, _ = courses
    factories.make_member(station, start_date=TODAY - timedelta(days=70), last_name="Newcomer")
    factories.make_member(station, start_date=TODAY - timedelta(days=10), last_name="Fresh")
    veteran = factories.make_member(station, start_date=date(2010, 1, 1), last_name="Vet")
    give(veteran, counting, date(2026, 2, 1), 8)
    frame = compliance_frame(TrainingRule(8, "calendar-year", 90), TODAY)
    assert list(due_soon(frame)["last_name"]) == ["Newcomer"]
    assert short_members(frame).empty
    department, stations = summarise(frame)
    assert (department.counted, department.compliant, department.in_grace) == (1, 1, 2)
    assert department.percent == 100.0
    assert stations[0].station_code == station.code
    in_grace = frame[frame["in_grace"]]
    assert sorted(in_grace["last_name"]) == ["Fresh", "Newcomer"]
    assert not in_grace["compliant"].any()


@pytest.mark.usefixtures("courses")
def test_inactive_members_are_not_counted(station):
    factories.make_member(station, active=False, last_name="Retired")
    assert compliance_frame(TrainingRule(8, "calendar-year", 90), TODAY).empty
    factories.make_member(station, last_name="Serving")
    frame = compliance_frame(TrainingRule(8, "calendar-year", 90), TODAY)
    assert list(frame["last_name"]) == ["Serving"]


def dashboard_queries(client, shows: str) -> int:
    """The statements the training dashboard runs (checking the page shows `shows`)."""
    with counting_queries() as statements:
        response = client.get("/training?sort=hours_done")
    assert response.status_code == 200
    assert shows in response.get_data(as_text=True)
    return len(statements)


def test_dashboard_query_count_does_not_grow(admin_client, station, courses):
    counting, _ = courses
    member = factories.make_member(station, start_date=date(2010, 1, 1))
    give(member, counting, date(2026, 1, 5), 2)
    small = dashboard_queries(admin_client, member.last_name)
    for _ in range(40):
        member = factories.make_member(station, start_date=date(2010, 1, 1))
        for day in range(1, 6):
            give(member, counting, date(2026, 1, day), 1)
    assert dashboard_queries(admin_client, member.last_name) == small


def test_dashboard_shows_the_rule_and_who_is_short(client, login, station, courses):
    counting, _ = courses
    short = factories.make_member(station, start_date=date(2010, 1, 1), last_name="Shortfall")
    give(short, counting, date(2026, 6, 1), 3)
    login(factories.make_user("training"))
    page = client.get("/training").get_data(as_text=True)
    assert "Every active member needs at least 8 hours" in page
    assert "Shortfall" in page
    assert ">5.0<" in page
    export = client.get("/training/short.csv").get_data(as_text=True)
    assert "Shortfall" in export
    assert ",3.0,5.0" in export


@pytest.mark.usefixtures("courses")
def test_commander_sees_only_their_station(client, login, station):
    other = factories.make_station("EST", "East")
    factories.make_member(other, start_date=date(2010, 1, 1), last_name="Elsewhere")
    factories.make_member(station, start_date=date(2010, 1, 1), last_name="Ownstation")
    login(factories.make_user("commander", station=station))
    page = client.get(f"/training?station={other.id}").get_data(as_text=True)
    assert "Ownstation" in page
    assert "Elsewhere" not in page


def compliance_row_headers(page: str) -> list[str]:
    """The row headers of the dashboard's compliance table, in order."""
    table = page.split('id="summary-heading"', 1)[1].split("</table>", 1)[0]
    return [cell.split(">", 1)[1].split("<", 1)[0]
            for cell in table.split('<th scope="row"')[1:]]


@pytest.mark.usefixtures("courses")
def test_a_chosen_stations_compliance_is_labelled_with_its_name(admin_client, station):
    other = factories.make_station("EST", "East Station")
    factories.make_member(other, start_date=date(2010, 1, 1))
    factories.make_member(station, start_date=date(2010, 1, 1))
    whole = admin_client.get("/training").get_data(as_text=True)
    assert compliance_row_headers(whole) == ["Department", station.code, "EST"]
    chosen = admin_client.get(f"/training?station={other.id}").get_data(as_text=True)
    assert compliance_row_headers(chosen) == ["East Station"]


@pytest.mark.usefixtures("courses")
def test_a_commanders_compliance_is_labelled_with_their_station(client, login, station):
    factories.make_member(station, start_date=date(2010, 1, 1))
    login(factories.make_user("commander", station=station))
    page = client.get("/training").get_data(as_text=True)
    assert compliance_row_headers(page) == [station.name]
