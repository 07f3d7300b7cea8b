"""The department overview and the plan page run a fixed number of queries at any data size."""

from __future__ import annotations

from tests import factories
from tests.factories.plans import station_history
from tests.helpers import counting_queries


def plan_page_queries(client, station, shows: str) -> int:
    """The statements the station's plan page runs (checking the page shows `shows`)."""
    with counting_queries() as statements:
        response = client.get(f"/manage/stations/{station.id}/plan")
    assert response.status_code == 200
    assert shows in response.get_data(as_text=True)
    return len(statements)


def overview_queries(client, shows: str) -> int:
    """The statements the department overview runs (checking the page shows `shows`)."""
    with counting_queries() as statements:
        response = client.get("/plans")
    assert response.status_code == 200
    assert shows in response.get_data(as_text=True)
    return len(statements)


def test_plan_page_query_count_does_not_grow(admin_client):
    small = factories.make_station("SMALL", "Small")
    large = factories.make_station("LARGE", "Large")
    station_history(small, versions=1, responses=2, owner=factories.make_member(small))
    owners = [factories.make_member(large) for _ in range(5)]
    station_history(large, versions=6, responses=60, owner=owners[0])
    few_responses = plan_page_queries(admin_client, small, "R1")
    assert plan_page_queries(admin_client, large, "R59") == few_responses


def test_overview_query_count_does_not_grow(admin_client):
    for number in range(2):
        station = factories.make_station(f"A{number}")
        station_history(station, 2, 1, factories.make_member(station))
    small = overview_queries(admin_client, "A1")
    for number in range(25):
        station = factories.make_station(f"B{number}")
        station_history(station, 2, 1, factories.make_member(station))
    assert overview_queries(admin_client, "B24") == small
