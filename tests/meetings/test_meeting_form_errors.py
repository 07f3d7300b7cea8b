"""The meeting pages' forms sent back with errors.

A summary with a link to each field, "Error:" in the title, what was typed kept, and the
address staying the page's.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from cpp_app.audit.services import acting_as
from cpp_app.extensions import db
from cpp_app.meetings import services
from cpp_app.meetings.models import Meeting, MeetingFeedback
from tests import factories
from tests.helpers import post_form, row_count
from tests.pages import read_page


def test_a_failed_save_of_the_long_meeting_form_links_to_each_error(client, login, station):
    login(factories.make_user("staff", station=station))
    response = post_form(client, "/meetings/new", {
        "station_id": str(station.id), "title": "", "held_on": "2027-01-20",
        "kind": "school", "place": "Lincoln Elementary gym", "attendance": "-4",
        "notes": "Parents asked about the crossing on Elm",
        "languages-0-language": "Elvish", "languages-0-status": "provided",
    })
    page = read_page(response.get_data(as_text=True))
    assert response.request.path == "/meetings/new"
    assert page.title.startswith("Error: ")
    hrefs = [href for href, _text in page.summary.links]
    assert hrefs == ["#title", "#attendance", "#languages-0-language"]
    assert all(href[1:] in page.ids for href in hrefs)
    assert page.summary.links[2][1].startswith("Languages 1: Language")
    assert "autofocus" in page.summary.heading
    assert page.values["place"] == "Lincoln Elementary gym"
    assert page.values["attendance"] == "-4"
    assert page.values["notes"] == "Parents asked about the crossing on Elm"
    assert page.values["languages-0-language"] == "Elvish"
    assert list(db.session.scalars(select(Meeting))) == []


def test_the_feedback_form_posts_to_the_meeting_page_and_comes_back_there(
        client, login, station):
    with acting_as("test"):
        meeting = services.save_meeting(services.MeetingDetails(
            station_id=station.id, held_on=date(2027, 1, 15), title="Spring town hall",
            kind="town_hall"))
    login(factories.make_user("staff", station=station))
    page_url = f"/meetings/{meeting.id}"
    html = client.get(page_url).get_data(as_text=True)
    assert f'action="{page_url}"' in html
    response = post_form(client, page_url, {
        "form_action": f"{page_url}/feedback", "topic": "", "text": "Waited two hours",
        "tone": "critical"})
    assert response.status_code == 400
    assert response.request.path == page_url
    page = read_page(response.get_data(as_text=True))
    assert page.title.startswith("Error: ")
    assert [href for href, _text in page.summary.links] == ["#topic"]
    assert page.values["text"] == "Waited two hours"
    assert row_count(MeetingFeedback) == 0
    saved = post_form(client, page_url, {
        "form_action": f"{page_url}/feedback", "topic": "Noise", "tone": "critical"})
    assert saved.status_code == 302
    assert row_count(MeetingFeedback) == 1
