"""The update page runs a fixed number of queries whatever its period holds.

However many surveys, responses and meetings the period holds, the count stays the same.
"""

from __future__ import annotations

from datetime import date

from cpp_app.audit.services import acting_as
from cpp_app.meetings import services as meetings
from cpp_app.updates import services as updates
from tests import factories
from tests.factories.plans import adopted_plan
from tests.factories.surveys import respond, template_survey
from tests.helpers import counting_queries


def add_period_activity(station, surveys: int, responses: int, meeting_count: int) -> None:
    """Surveys answered and meetings held inside the first update's period."""
    for _ in range(surveys):
        survey = template_survey(station, languages=("en",))
        for number in range(responses):
            respond(survey, today=date(2026, 11, 1 + number % 20), feel_safe=1 + number % 5,
                    police_respect=3, police_listen=4, top_issue=f"Issue {number % 3}")
    with acting_as("test"):
        for number in range(meeting_count):
            meeting = meetings.save_meeting(meetings.MeetingDetails(
                station_id=station.id, held_on=date(2026, 12, 1 + number), title=f"M{number}",
                kind="town_hall", attendance=10,
                languages=[meetings.LanguageNeed("es", "requested_not_provided")]))
            meetings.add_feedback(meeting, f"Topic {number}", "", "neutral")


def update_page(client, update_id: int) -> tuple[int, str]:
    """The number of queries the update page ran, and its text."""
    with counting_queries() as statements:
        response = client.get(f"/updates/{update_id}")
    assert response.status_code == 200
    return len(statements), response.get_data(as_text=True)


def test_update_page_query_count_does_not_grow(admin_client, station):
    other = factories.make_station("OTH")
    small_plan, large_plan = adopted_plan(station), adopted_plan(other, responses=6)
    with acting_as("test"):
        small = updates.start_update(small_plan.station_id)
        large = updates.start_update(large_plan.station_id)
    add_period_activity(station, surveys=1, responses=2, meeting_count=1)
    add_period_activity(other, surveys=4, responses=12, meeting_count=5)

    small_queries, small_page = update_page(admin_client, small.id)
    large_queries, large_page = update_page(admin_client, large.id)

    assert small_page.count("2 responses") == 1
    assert large_page.count("12 responses") == 4
    assert all(f"M{number}" in large_page for number in range(5))
    assert large_queries == small_queries
