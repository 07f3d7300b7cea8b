"""The department overview and the plan page run a fixed number of queries at any data size."""

from __future__ import annotations

from datetime import date

from cpp_app.extensions import db
from cpp_app.plans.models import Plan, PlannedResponse, Priority, Problem
from tests import factories
from tests.helpers import counting_queries


def build_station_history(station, versions: int, responses: int, owner) -> Plan:
    """`versions` plan versions (the last active), each with `responses` responses."""
    plan = None
    for version in range(1, versions + 1):
        plan = Plan(station_id=station.id, version=version,
                    status="active" if version == versions else "superseded",
                    adopted_on=date(2020, 1, 31), schedule_start_on=date(2020, 1, 31),
                    previous_plan_id=plan.id if plan else None)
        db.session.add(plan)
        db.session.flush()
        priority = Priority(plan_id=plan.id, kind="public_safety", source="survey", title="P")
        db.session.add(priority)
        db.session.flush()
        problem = Problem(plan_id=plan.id, priority_id=priority.id, title="Problem")
        db.session.add(problem)
        db.session.flush()
        db.session.add_all(
            PlannedResponse(plan_id=plan.id, problem_id=problem.id, description=f"R{n}",
                            kind="prevention", owner_member_id=owner.id, position=n)
            for n in range(responses)
        )
    db.session.commit()
    return plan


def plan_page_queries(client, station) -> int:
    with counting_queries() as statements:
        response = client.get(f"/manage/stations/{station.id}/plan")
    assert response.status_code == 200
    return len(statements)


def overview_queries(client) -> int:
    with counting_queries() as statements:
        response = client.get("/plans")
    assert response.status_code == 200
    return len(statements)


def test_plan_page_query_count_does_not_grow(admin_client):
    small = factories.make_station("SMALL", "Small")
    large = factories.make_station("LARGE", "Large")
    build_station_history(small, versions=1, responses=2, owner=factories.make_member(small))
    owners = [factories.make_member(large) for _ in range(5)]
    build_station_history(large, versions=6, responses=60, owner=owners[0])
    assert plan_page_queries(admin_client, small) == plan_page_queries(admin_client, large)


def test_overview_query_count_does_not_grow(admin_client):
    for number in range(2):
        station = factories.make_station(f"A{number}")
        build_station_history(station, 2, 1, factories.make_member(station))
    small = overview_queries(admin_client)
    for number in range(25):
        station = factories.make_station(f"B{number}")
        build_station_history(station, 2, 1, factories.make_member(station))
    assert overview_queries(admin_client) == small
