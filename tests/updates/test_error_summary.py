"""A form on the update page sent back with errors.

It keeps the page's address (the forms post to the page itself), shows an error summary at
the top of the form with a link to each field in error, says "Error:" in the title, and keeps
what was typed.
"""

from __future__ import annotations

from datetime import date

from cpp_app.audit.services import acting_as
from cpp_app.updates import services as updates
from cpp_app.updates.models import UpdateFeedbackSource
from tests import factories
from tests.factories.plans import adopted_plan
from tests.helpers import post_form, row_count
from tests.pages import read_page

ADOPTED = date(2026, 6, 30)


def draft_update(station):
    """An update just opened on an adopted plan."""
    plan = adopted_plan(station, adopted_on=ADOPTED)
    with acting_as("test"):
        return updates.start_update(plan.station_id)


def test_the_update_pages_forms_post_to_the_page_itself(client, login, station):
    update = draft_update(station)
    login(factories.make_user("commander", station=station))
    html = client.get(f"/updates/{update.id}").get_data(as_text=True)
    assert f'action="/updates/{update.id}"' in html
    assert f'name="form_action" value="/updates/{update.id}/sources"' in html
    assert f'action="/updates/{update.id}/sources"' not in html


def test_a_failed_save_shows_the_summary_with_links_and_keeps_what_was_typed(
        client, login, station):
    update = draft_update(station)
    login(factories.make_user("commander", station=station))
    response = post_form(client, f"/updates/{update.id}", {
        "form_action": f"/updates/{update.id}/sources", "section": "element-1",
        "kind": "meeting", "reference": "", "held_on": "31/31/2027",
        "headline": "Forty residents asked for evening patrols",
    }, form_page=f"/updates/{update.id}")
    assert response.status_code == 400
    assert response.request.path == f"/updates/{update.id}"
    page = read_page(response.get_data(as_text=True))
    assert page.title.startswith("Error: ")
    assert page.summary is not None
    assert page.summary.heading.get("tabindex") == "-1"
    assert "autofocus" in page.summary.heading
    hrefs = [href for href, _text in page.summary.links]
    assert hrefs == ["#reference", "#held_on"]
    assert all(href[1:] in page.ids for href in hrefs)
    assert page.summary.links[0][1].startswith("Survey or meeting: ")
    assert page.values["headline"] == "Forty residents asked for evening patrols"
    assert page.values["held_on"] == "31/31/2027"
    assert row_count(UpdateFeedbackSource) == 0


def test_a_refusal_by_the_service_is_summarised_too(client, login, station):
    update = draft_update(station)
    login(factories.make_user("commander", station=station))
    response = post_form(client, f"/updates/{update.id}", {
        "form_action": f"/updates/{update.id}/implementation", "section": "element-2",
        "modified": "yes", "reason": "   ",
    }, form_page=f"/updates/{update.id}")
    page = read_page(response.get_data(as_text=True))
    assert page.title.startswith("Error: ")
    assert [href for href, _text in page.summary.links] == ["#reason"]


def test_a_saved_form_still_redirects_to_its_section(client, login, station):
    update = draft_update(station)
    login(factories.make_user("commander", station=station))
    response = post_form(client, f"/updates/{update.id}", {
        "form_action": f"/updates/{update.id}/feedback", "section": "element-1",
        "feedback_summary": "Speeding near the schools",
    }, form_page=f"/updates/{update.id}")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/updates/{update.id}#element-1")
    page = read_page(client.get(f"/updates/{update.id}").get_data(as_text=True))
    assert page.summary is None
    assert not page.title.startswith("Error")


def test_only_the_pages_own_forms_are_reached(client, login, station):
    update = draft_update(station)
    other = draft_update(factories.make_station("EST", "East"))
    login(factories.make_user("admin"))
    for target in ("/logout", f"/updates/{other.id}/feedback", "/nowhere"):
        response = post_form(client, f"/updates/{update.id}", {
            "form_action": target, "feedback_summary": "x"},
            form_page=f"/updates/{update.id}")
        assert response.status_code == 400, target


def test_the_page_post_still_checks_the_forms_permission(client, login, station):
    update = draft_update(station)
    login(factories.make_user("viewer"))
    response = post_form(client, f"/updates/{update.id}", {
        "form_action": f"/updates/{update.id}/feedback", "feedback_summary": "x"},
        form_page=f"/updates/{update.id}")
    assert response.status_code == 403
