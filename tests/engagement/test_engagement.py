"""Engagement records: the real format's quirks, idempotent imports, linking, measures, export."""

from __future__ import annotations

from datetime import date, time

import pandas as pd
import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from cpp_app.audit.services import acting_as
from cpp_app.engagement import services
from cpp_app.engagement.models import EngagementRecord
from cpp_app.engagement.parsing import parse_dates, parse_times
from cpp_app.extensions import db
from cpp_app.plans.models import PlannedResponse
from cpp_app.updates import services as updates
from tests import factories
from tests.factories.plans import adopted_plan
from tests.helpers import TEST_DATA

QUIRKY = (
    "\ufeff Date , TIME ,calltype,Shield Number,location\n"
    "1/3/2017,13:05,COP Relationships,1001,100 MAIN ST\n"
    "01/03/2017,1:05 PM, cop relationships ,1001,100 MAIN ST \n"
    "2017-01-03,1305,COP Problem Solving,,200 ELM ST\n"
    "42738,13:05:00,COP Activity,9999,300 OAK AVE\n"
    "not a date,13:05,COP Activity,1001,X\n"
    "2017-01-04,25:00,COP Activity,1001,X\n"
    "2017-01-05,,COP DDACTS,1001,400 PINE\n"
    ",,,,\n"
)


def count() -> int:
    """Engagement records stored."""
    return db.session.scalar(select(func.count()).select_from(EngagementRecord))


def run(path, **kwargs):
    """Import an engagement file through the service, as the upload page does."""
    with acting_as("test"):
        return services.import_engagements(path, **kwargs)


def test_dates_and_times_in_every_format():
    dates = parse_dates(pd.Series(["1/3/2017", "01/03/2017", "2017-01-03", "42738",
                                   "3/1/2024 13:40", "31/31/2017", ""]))
    assert [d.date() if pd.notna(d) else None for d in dates] == [
        date(2017, 1, 3)] * 4 + [date(2024, 3, 1), None, None]
    times, unreadable = parse_times(pd.Series(["13:05", "1:05 PM", "1305", "13:05:00",
                                               "12:30 AM", "", "25:00"]))
    assert times.tolist() == ["13:05:00"] * 4 + ["00:30:00", "", ""]
    assert unreadable.tolist() == [False] * 6 + [True]


def test_quirky_file_imports_with_rejects_and_kept_call_types(tmp_path, station):
    factories.make_member(station, shield="1001")
    source = tmp_path / "q1.csv"
    source.write_text(QUIRKY, encoding="utf-8")
    outcome = run(source)
    summary = outcome.result.summary
    assert (summary["read"], summary["inserted"], summary["rejected"]) == (7, 5, 2)
    assert [(r.line_number, r.reason) for r in outcome.result.rejects] == [
        (6, "date 'not a date' is not a date"), (7, "time '25:00' is not a time")]
    assert outcome.unknown_call_types == {"COP DDACTS": 1}
    relationships = db.session.scalars(select(EngagementRecord).where(
        EngagementRecord.call_type == "COP Relationships")).all()
    assert len(relationships) == 2  # identical genuine rows in one file are both kept
    assert {r.occurred_time for r in relationships} == {time(13, 5)}
    assert all(r.member_id is not None and r.station_id == station.id for r in relationships)
    again = run(source).result.summary
    assert (again["inserted"], again["unchanged"]) == (0, 5)
    assert count() == 5


@pytest.mark.usefixtures("station")
def test_excel_export_with_date_cells(tmp_path):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Date", "Time", "CallType", "ShieldNumber", "Location"])
    sheet.append([pd.Timestamp("2017-02-01").to_pydatetime(), "9:30 AM", "COP Activity", 77,
                  "1 Plaza"])
    sheet.append([42738, "1305", "COP Activity", "0077", "1 Plaza"])
    path = tmp_path / "q1.xlsx"
    workbook.save(path)
    summary = run(path).result.summary
    assert summary["inserted"] == 2
    days = sorted(db.session.scalars(select(EngagementRecord.occurred_on)))
    assert days == [date(2017, 1, 3), date(2017, 2, 1)]


def test_unknown_shields_are_kept_and_linked_when_the_member_appears(tmp_path, station):
    source = tmp_path / "q1.csv"
    source.write_text("Date,Time,CallType,ShieldNumber,Location\n"
                      "2017-01-03,13:05,COP Activity,4242,1 Plaza\n")
    run(source)
    assert services.unknown_shields() == [("4242", 1)]
    factories.make_member(station, shield="4242")
    assert services.link_members() == 1
    record = db.session.scalar(select(EngagementRecord))
    assert record.member.shield_number == "4242"
    assert record.station_id == station.id


def test_location_and_problem_rules(tmp_path, station):
    plan = adopted_plan(station)
    problem = plan.problems[0]
    source = tmp_path / "norman.csv"
    source.write_text((TEST_DATA / "norman_pd_COP_rows_2024-03-01_02.csv").read_text())
    outcome = run(source)
    assert outcome.result.summary["inserted"] == 5
    assert outcome.unknown_call_types == {"COP DDACTS": 2}
    with acting_as("test"):
        services.save_location_rule("rock creek", station.id)
        services.save_location_rule("classen", station.id)
        services.save_problem_rule("classen", "COP Problem Solving", problem.id)
    linked = db.session.scalars(select(EngagementRecord).where(
        EngagementRecord.problem_id == problem.id)).all()
    assert [r.location for r in linked] == ["2841 CLASSEN BLVD"]
    assert db.session.scalar(select(EngagementRecord.station_id).where(
        EngagementRecord.location.contains("ROCK CREEK"))) == station.id


def test_problem_activity_before_and_after_responses_started(station):
    plan = adopted_plan(station)
    problem = plan.problems[0]
    db.session.execute(PlannedResponse.__table__.update().values(start_on=date(2026, 6, 1)))
    for day in (date(2026, 4, 1), date(2026, 5, 20), date(2026, 6, 10), date(2026, 7, 1),
                date(2026, 8, 1)):
        db.session.add(EngagementRecord(occurred_on=day, call_type="COP Problem Solving",
                                        problem_id=problem.id, identity=f"id-{day}"))
    db.session.commit()
    figures = services.problem_activity([problem.id], date(2026, 11, 22), window_days=90)
    assert (figures[problem.id].before, figures[problem.id].after) == (2, 3)


def test_one_pass_counts_match_the_separate_counts(station):
    other = factories.make_station("EST", "East")
    records = [(date(2025, 12, 31), "COP Activity", station.id),
               (date(2026, 1, 5), "COP Activity", station.id),
               (date(2026, 1, 9), "COP Relationships", other.id),
               (date(2026, 3, 2), "COP Activity", None),
               (date(2026, 3, 3), "COP Activity", other.id),
               (date(2026, 3, 4), "COP Activity", other.id)]
    db.session.add_all(EngagementRecord(occurred_on=day, call_type=call_type,
                                        station_id=station_id, identity=f"id-{n}")
                       for n, (day, call_type, station_id) in enumerate(records))
    db.session.commit()
    filters = services.EngagementFilter(date_from=date(2026, 1, 1), date_to=date(2026, 12, 31))
    counts = services.counts_by_type_month_and_station(filters)
    january, march = date(2026, 1, 1), date(2026, 3, 1)
    assert counts.months == [january, march]
    assert counts.by_type == {"COP Activity": {january: 1, march: 3},
                              "COP Relationships": {january: 1}}
    assert (counts.months, counts.by_type) == services.counts_by_type_and_month(filters)
    assert counts.by_station == [("EST", 3), (station.code, 1), ("No station", 1)]


@pytest.mark.usefixtures("station")
def test_export_in_five_columns_then_import_adds_nothing(tmp_path):
    source = tmp_path / "q1.csv"
    source.write_text(QUIRKY, encoding="utf-8")
    run(source)
    exported = tmp_path / "export.csv"
    exported.write_text(services.export_csv(services.EngagementFilter()))
    lines = exported.read_text().splitlines()
    assert lines[0] == "Date,Time,CallType,ShieldNumber,Location"
    assert len(lines) == 1 + 5
    assert "2017-01-03,13:05:00,COP Relationships,1001,100 MAIN ST" in lines
    again = run(exported).result.summary
    assert (again["read"], again["inserted"], again["unchanged"]) == (5, 0, 5)
    assert count() == 5


@pytest.mark.usefixtures("station")
def test_pages_and_permissions(client, login, tmp_path):
    source = tmp_path / "q1.csv"
    source.write_text(QUIRKY, encoding="utf-8")
    run(source)
    login(factories.make_user("viewer"))
    overview = client.get("/engagement").get_data(as_text=True)
    assert "COP Relationships" in overview
    assert "Jan 2017" in overview
    assert client.get("/engagement/import").status_code == 403
    assert "100 MAIN ST" in client.get("/engagement/records").get_data(as_text=True)


def test_update_shows_before_and_after_figures_beside_the_problem(client, login, station):
    plan = adopted_plan(station, adopted_on=date(2026, 1, 31))
    problem = plan.problems[0]
    db.session.execute(PlannedResponse.__table__.update().values(start_on=date(2026, 6, 1)))
    for day in (date(2026, 5, 1), date(2026, 6, 5), date(2026, 6, 6)):
        db.session.add(EngagementRecord(occurred_on=day, call_type="COP Problem Solving",
                                        problem_id=problem.id, identity=f"u-{day}"))
    db.session.commit()
    with acting_as("test"):
        update = updates.start_update(station.id)
    login(factories.make_user("commander", station=station))
    page = client.get(f"/updates/{update.id}").get_data(as_text=True)
    assert ("1 record in the 90 days before its responses started (2026-06-01); 2 in the 90 "
            "days after (to 2026-08-29).") in page


def test_a_rule_longer_than_its_column_is_refused_with_the_reason(station):
    problem = adopted_plan(station).problems[0]
    with acting_as("test"), pytest.raises(services.EngagementError, match="at most 120"):
        services.save_location_rule("A" * 121, station.id)
    with acting_as("test"), pytest.raises(services.EngagementError, match="at most 120"):
        services.save_problem_rule("x" * 5000, "", problem.id)
    with acting_as("test"), pytest.raises(services.EngagementError, match="at most 80"):
        services.save_problem_rule("classen", "C" * 81, problem.id)
    with acting_as("test"):
        assert services.save_location_rule("R" * 120, station.id).pattern == "R" * 120
