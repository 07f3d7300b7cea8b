"""Meetings: logging with languages and interpreters, feedback, promotion, update wiring."""

from __future__ import annotations

import re
from datetime import date

import pytest
from sqlalchemy import select

from cpp_app.audit.services import acting_as
from cpp_app.errors import ServiceError
from cpp_app.extensions import db
from cpp_app.meetings import services
from cpp_app.meetings.models import Meeting
from cpp_app.plans import services as plan_services
from cpp_app.plans.models import Plan, Priority
from cpp_app.updates import promotion
from cpp_app.updates import services as updates
from tests import factories
from tests.factories.plans import adopted_plan
from tests.factories.surveys import respond, template_survey
from tests.helpers import post_form


def log_meeting(station, held_on=date(2027, 1, 15), **overrides) -> Meeting:
    """A saved town-hall meeting with Spanish interpreted and Korean asked for but not provided."""
    details = services.MeetingDetails(
        station_id=station.id, held_on=held_on, title="Spring town hall", kind="town_hall",
        place="Library", attendance=42,
        languages=[services.LanguageNeed("es", "provided", interpreter_name="Rosa (volunteer)"),
                   services.LanguageNeed("ko", "requested_not_provided")])
    for key, value in overrides.items():
        setattr(details, key, value)
    with acting_as("test"):
        return services.save_meeting(details)


def test_staff_log_a_meeting_with_languages_through_the_form(client, login, station):
    interpreter = factories.make_member(station, shield="3030", languages=["vi"])
    login(factories.make_user("staff", station=station))
    response = post_form(client, "/meetings/new", {
        "station_id": str(station.id), "title": "Temple youth night", "held_on": "2027-01-20",
        "kind": "faith_based", "attendance": "30",
        "languages-0-language": "Vietnamese", "languages-0-status": "provided",
        "languages-0-interpreter_shield": "3030",
        "languages-1-language": "Korean", "languages-1-status": "requested_not_provided",
    })
    assert response.status_code == 302
    meeting = db.session.scalar(select(Meeting))
    assert [(n.language_code, n.status) for n in meeting.languages] == [
        ("ko", "requested_not_provided"), ("vi", "provided")]
    assert meeting.languages[1].interpreter_member_id == interpreter.id
    assert meeting.unserved_languages == ["ko"]
    listing = client.get("/meetings").get_data(as_text=True)
    assert "Temple youth night" in listing
    assert "no interpreter" in listing


def test_unknown_language_and_missing_interpreter_are_refused(client, login, station):
    login(factories.make_user("staff", station=station))
    response = post_form(client, "/meetings/new", {
        "station_id": str(station.id), "title": "X", "held_on": "2027-01-20", "kind": "school",
        "languages-0-language": "Elvish", "languages-0-status": "provided"})
    assert "“Elvish” is not a language name or code." in response.get_data(as_text=True)
    response = post_form(client, "/meetings/new", {
        "station_id": str(station.id), "title": "X", "held_on": "2027-01-20", "kind": "school",
        "languages-0-language": "es", "languages-0-status": "provided"})
    assert "Say who interpreted Spanish." in response.get_data(as_text=True)
    assert db.session.scalar(select(Meeting)) is None


def test_staff_cannot_log_for_another_station(client, login, station):
    other = factories.make_station("EST", "East")
    login(factories.make_user("staff", station=station))
    response = post_form(client, "/meetings/new", {
        "station_id": str(other.id), "title": "X", "held_on": "2027-01-20", "kind": "school"})
    body = response.get_data(as_text=True)
    assert response.status_code == 200  # not a choice they are offered
    assert '<div id="station_id-errors"' in body
    assert "Not a valid choice." in body
    assert db.session.scalar(select(Meeting)) is None
    meeting = log_meeting(other)
    assert client.get(f"/meetings/{meeting.id}").status_code == 403


def test_feedback_is_recorded_with_its_tone(client, login, station):
    meeting = log_meeting(station)
    login(factories.make_user("staff", station=station))
    post_form(client, f"/meetings/{meeting.id}/feedback", {
        "topic": "Slow response to noise complaints", "text": "Waited two hours",
        "tone": "critical"}, form_page=f"/meetings/{meeting.id}")
    db.session.refresh(meeting)
    assert [(f.topic, f.tone) for f in meeting.feedback] == [
        ("Slow response to noise complaints", "critical")]


def test_feedback_promoted_to_the_draft_plan_keeps_its_source(client, login, station):
    with acting_as("test"):
        plan = plan_services.start_plan(station)
    meeting = log_meeting(station)
    with acting_as("test"):
        item = services.add_feedback(meeting, "Speeding on Elm", "Kids at risk", "critical")
    login(factories.make_user("commander", station=station))
    post_form(client, f"/meetings/{meeting.id}/feedback/{item.id}/promote",
              {"kind": "quality_of_life"}, form_page=f"/meetings/{meeting.id}")
    priority = db.session.scalar(select(Priority).where(Priority.plan_id == plan.id))
    assert priority.title == "Speeding on Elm"
    assert priority.source == "meeting"
    assert priority.source_reference["meeting_id"] == meeting.id
    assert priority.source_reference["feedback_id"] == item.id


def test_promotion_into_an_update_joins_the_next_version(station):
    plan = adopted_plan(station)
    meeting = log_meeting(station)
    with acting_as("test"):
        item = services.add_feedback(meeting, "Lighting in the park", "", "neutral")
        with pytest.raises(ServiceError, match="Start the station's plan"):
            promotion.promote_meeting_feedback(item, "public_safety")
        update = updates.start_update(station.id)
        assert promotion.promote_meeting_feedback(item, "public_safety") == "update"
        updates.save_feedback_summary(update, "Lighting")
        updates.add_feedback_source(update, "meeting", "Town hall", None)
        updates.save_assessment(update, plan.responses[0].id, "too_early", "New", "keep")
        updates.save_implementation_decision(update, False, "Keep going")
        updates.add_sharing(update, "newsletter", date(2027, 2, 1))
        updates.submit(update)
        updates.approve(update, date(2027, 3, 1))
    new_plan = db.session.get(Plan, update.resulting_plan_id)
    assert "Lighting in the park" in [p.title for p in new_plan.priorities]


def test_survey_top_issue_promoted_from_the_results_page(client, login, station):
    with acting_as("test"):
        plan = plan_services.start_plan(station)
    survey = template_survey(station)
    for _ in range(3):
        respond(survey, feel_safe=2, police_respect=3, police_listen=3, top_issue="Speeding")
    login(factories.make_user("commander", station=station))
    page = client.get(f"/surveys/{survey.id}/results").get_data(as_text=True)
    assert "Promote to a plan priority" in page
    post_form(client, f"/surveys/{survey.id}/promote", {
        "title": "speeding", "kind": "quality_of_life",
        "evidence": "Named as the top issue by 3 respondents"},
        form_page=f"/surveys/{survey.id}/results")
    priority = db.session.scalar(select(Priority).where(Priority.plan_id == plan.id))
    assert priority.source == "survey"
    assert priority.source_reference["survey_id"] == survey.id


def test_update_lists_the_periods_surveys_and_meetings_to_cite(client, login, station):
    adopted_plan(station, adopted_on=date(2026, 8, 31))
    survey = template_survey(station)
    respond(survey, today=date(2026, 12, 1), feel_safe=4, police_respect=4, police_listen=4,
            top_issue="Noise")
    meeting = log_meeting(station, held_on=date(2027, 1, 15))
    log_meeting(station, held_on=date(2027, 6, 1), title="Later meeting")
    with acting_as("test"):
        update = updates.start_update(station.id)
    login(factories.make_user("commander", station=station))
    page = client.get(f"/updates/{update.id}").get_data(as_text=True)
    assert "Spring town hall" in page
    assert "Later meeting" not in page
    assert "1 responses" in page
    assert "top issues: noise (1)" in page
    post_form(client, f"/updates/{update.id}/linked-sources",
              {"kind": "meeting", "object_id": str(meeting.id)},
              form_page=f"/updates/{update.id}")
    post_form(client, f"/updates/{update.id}/linked-sources",
              {"kind": "survey", "object_id": str(survey.id)},
              form_page=f"/updates/{update.id}")
    update = updates.update_with_elements(update.id)
    linked = {(s.kind, s.meeting_id or s.survey_id) for s in update.feedback_sources}
    assert linked == {("meeting", meeting.id), ("survey", survey.id)}
    assert "42 attended" in next(s.headline for s in update.feedback_sources
                                 if s.kind == "meeting")


def test_each_language_box_suggests_every_languages_name_from_one_list(client, login, station):
    login(factories.make_user("staff", station=station))
    page = client.get("/meetings/new").get_data(as_text=True)
    boxes = re.findall(r'<input[^>]*name="languages-\d-language"[^>]*>', page)
    assert len(boxes) == 4
    assert all('list="language-names"' in box for box in boxes)
    assert page.count('<datalist id="language-names">') == 1
    names = page.split('<datalist id="language-names">', 1)[1].split("</datalist>", 1)[0]
    assert names.count("<option") >= 400
    assert '<option value="Vietnamese">' in names
