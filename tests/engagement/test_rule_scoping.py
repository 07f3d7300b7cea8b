"""Problem rules and hand links keep to the problem's station; the rules page shows one's own."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from cpp_app.audit.services import acting_as
from cpp_app.engagement import services
from cpp_app.engagement.models import EngagementRecord
from cpp_app.extensions import db
from tests import factories
from tests.factories.plans import adopted_plan
from tests.helpers import counting_queries, post_form


@pytest.fixture
def fenced():
    """Stations A and B, each with an adopted plan, and a record on Main St at A, at B, at none."""
    station_a = factories.make_station("STA", "Station A")
    station_b = factories.make_station("STB", "Station B")
    problem_a = adopted_plan(station_a).problems[0]
    problem_b = adopted_plan(station_b).problems[0]
    records = {}
    for key, station in (("a", station_a), ("b", station_b), ("none", None)):
        records[key] = EngagementRecord(
            occurred_on=date(2026, 9, 1), call_type="COP Problem Solving",
            location=f"100 MAIN ST ({key})", station_id=station.id if station else None,
            identity=f"main-st-{key}")
        db.session.add(records[key])
    db.session.commit()
    return {"a": station_a, "b": station_b, "problem_a": problem_a, "problem_b": problem_b,
            "records": records}


def problem_of(record: EngagementRecord) -> int | None:
    """The problem a record is linked to, read afresh."""
    return db.session.scalar(select(EngagementRecord.problem_id)
                             .where(EngagementRecord.id == record.id))


def test_a_problem_rule_links_only_records_of_the_problems_station(fenced):
    with acting_as("test"):
        services.save_problem_rule("main st", "", fenced["problem_a"].id)
    records = fenced["records"]
    assert problem_of(records["a"]) == fenced["problem_a"].id
    assert problem_of(records["b"]) is None
    assert problem_of(records["none"]) is None


def test_rules_run_again_after_an_import_keep_to_the_station(fenced):
    with acting_as("test"):
        services.save_problem_rule("main st", "", fenced["problem_b"].id)
        services.save_problem_rule("main st", "", fenced["problem_a"].id)
    assert services.apply_problem_rules() == 0
    records = fenced["records"]
    assert problem_of(records["a"]) == fenced["problem_a"].id
    assert problem_of(records["b"]) == fenced["problem_b"].id
    assert problem_of(records["none"]) is None


def test_a_commander_saves_rules_only_for_their_own_problems(client, login, fenced):
    login(factories.make_user("commander", station=fenced["a"]))
    response = post_form(client, "/engagement/rules", {
        "rule": "problem", "pattern": "main st", "call_type": "",
        "problem_id": fenced["problem_b"].id})
    assert response.status_code == 403
    assert problem_of(fenced["records"]["b"]) is None
    saved = post_form(client, "/engagement/rules", {
        "rule": "problem", "pattern": "main st", "call_type": "",
        "problem_id": fenced["problem_a"].id}, follow_redirects=True)
    assert "Rule saved and applied to the records." in saved.get_data(as_text=True)
    assert problem_of(fenced["records"]["a"]) == fenced["problem_a"].id
    assert problem_of(fenced["records"]["b"]) is None


def test_the_rules_page_shows_a_commander_only_their_stations_rules_and_problems(
        client, login, fenced):
    fenced["problem_b"].title = "Burglaries on B Street"
    db.session.commit()
    with acting_as("test"):
        services.save_location_rule("main st (a)", fenced["a"].id)
        services.save_location_rule("elm st", fenced["b"].id)
        services.save_problem_rule("oak ave", "", fenced["problem_a"].id)
        services.save_problem_rule("pine rd", "", fenced["problem_b"].id)
    login(factories.make_user("commander", station=fenced["a"]))
    page = client.get("/engagement/rules").get_data(as_text=True)
    assert "“oak ave”" in page
    assert "“main st (a)”" in page
    assert "pine rd" not in page
    assert "elm st" not in page
    assert "Burglaries on B Street" not in page
    assert "STB" not in page


def test_an_administrator_sees_every_stations_rules(client, login, fenced):
    with acting_as("test"):
        services.save_problem_rule("oak ave", "", fenced["problem_a"].id)
        services.save_problem_rule("pine rd", "", fenced["problem_b"].id)
    login(factories.make_user("admin"))
    page = client.get("/engagement/rules").get_data(as_text=True)
    assert "“oak ave”" in page
    assert "“pine rd”" in page


def test_a_record_is_linked_by_hand_only_to_a_problem_of_its_station(fenced):
    records = fenced["records"]
    for record in (records["b"], records["none"]):
        with acting_as("test"), pytest.raises(services.EngagementError,
                                              match="problems of its own station"):
            services.link_to_problem(record, fenced["problem_a"])
        db.session.rollback()
        assert problem_of(record) is None
    with acting_as("test"):
        services.link_to_problem(records["a"], fenced["problem_a"])
    assert problem_of(records["a"]) == fenced["problem_a"].id


def test_a_commander_cannot_link_a_record_of_no_station_to_their_problem(client, login, fenced):
    login(factories.make_user("commander", station=fenced["a"]))
    record = fenced["records"]["none"]
    response = post_form(client, f"/engagement/records/{record.id}/problem",
                         {"problem_id": fenced["problem_a"].id},
                         form_page="/engagement/rules", follow_redirects=True)
    assert "problems of its own station" in response.get_data(as_text=True)
    assert problem_of(record) is None


def rules_page_queries(client) -> int:
    """The statements the rules page runs."""
    with counting_queries() as statements:
        assert client.get("/engagement/rules").status_code == 200
    return len(statements)


def test_the_rules_page_runs_as_many_queries_whatever_the_number_of_rules(client, login,
                                                                           fenced):
    login(factories.make_user("admin"))
    with acting_as("test"):
        services.save_problem_rule("oak ave", "", fenced["problem_a"].id)
        services.save_location_rule("elm st", fenced["a"].id)
    few = rules_page_queries(client)
    with acting_as("test"):
        for number in range(5):
            services.save_problem_rule(f"street {number}", "", fenced["problem_b"].id)
            services.save_location_rule(f"avenue {number}", fenced["b"].id)
    page = client.get("/engagement/rules").get_data(as_text=True)
    assert "“street 4” → STB: Speeding near the school" in page
    assert rules_page_queries(client) == few
