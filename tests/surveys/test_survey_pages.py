"""The survey builder pages: creating from the template, questions, opening, permissions."""

from __future__ import annotations

from sqlalchemy import select

from cpp_app.extensions import db
from cpp_app.surveys import services
from cpp_app.surveys.models import Survey
from tests import factories
from tests.factories.surveys import template_survey
from tests.helpers import post_form


def test_commander_creates_a_template_survey_and_opens_it(client, login, station):
    login(factories.make_user("commander", station=station))
    response = post_form(client, "/surveys/new", {
        "station_id": str(station.id), "languages": "en, es, zh, vi", "start_from": "template"})
    assert response.status_code == 302
    survey = db.session.scalar(select(Survey))
    assert survey.station_id == station.id
    assert len(survey.questions) == 6
    page = client.get(f"/surveys/{survey.id}").get_data(as_text=True)
    assert "I feel safe in my neighbourhood." in page
    post_form(client, f"/surveys/{survey.id}/open", {}, form_page=f"/surveys/{survey.id}")
    db.session.refresh(survey)
    assert survey.status == "open"


def test_commander_cannot_create_for_another_station(client, login, station):
    other = factories.make_station("EST", "East")
    login(factories.make_user("commander", station=station))
    response = post_form(client, "/surveys/new", {
        "station_id": str(other.id), "languages": "en", "start_from": "blank"})
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert '<div id="station_id-errors"' in body
    assert "Not a valid choice." in body
    assert db.session.scalar(select(Survey)) is None


def test_adding_a_question_with_a_missing_translation_blocks_opening(client, login, station):
    login(factories.make_user("commander", station=station))
    survey = template_survey(station, languages=("en", "es"), open_it=False)
    response = post_form(client, f"/surveys/{survey.id}/questions/new", {
        "kind": "neighbourhood", "prompt_en": "Where do you live?", "prompt_es": "",
        "options_en": "North\nSouth", "options_es": "Norte\nSur"})
    assert response.status_code == 302
    page = client.get(f"/surveys/{survey.id}").get_data(as_text=True)
    assert "Question 7 in Spanish" in page
    response = post_form(client, f"/surveys/{survey.id}/open", {},
                         form_page=f"/surveys/{survey.id}", follow_redirects=True)
    assert "cannot open until every text is translated" in response.get_data(as_text=True)


def test_question_without_options_is_refused_beside_the_field(client, login, station):
    login(factories.make_user("admin"))
    survey = template_survey(station, languages=("en",), open_it=False)
    response = post_form(client, f"/surveys/{survey.id}/questions/new", {
        "kind": "single", "prompt_en": "Pick one", "options_en": "Only one"})
    assert "at least two options" in response.get_data(as_text=True)
    assert len(services.survey_with_questions(survey_id=survey.id).questions) == 6


def test_other_stations_surveys_are_out_of_reach(client, login, station):
    other = factories.make_station("EST", "East")
    survey = template_survey(other)
    login(factories.make_user("commander", station=station))
    assert client.get(f"/surveys/{survey.id}").status_code == 403
    assert client.get(f"/surveys/{survey.id}/results").status_code == 403
    assert client.get(f"/surveys/{survey.id}/responses.csv").status_code == 403
    assert "No surveys yet" in client.get("/surveys").get_data(as_text=True)


def test_department_wide_surveys_are_managed_by_admins_only(client, login, station):
    survey = template_survey(None, open_it=False)
    login(factories.make_user("commander", station=station))
    assert client.get(f"/surveys/{survey.id}").status_code == 200
    assert client.get(f"/surveys/{survey.id}/settings").status_code == 403


def test_a_surveys_languages_may_be_given_by_name_and_an_unknown_one_is_named(client, login,
                                                                             station):
    login(factories.make_user("commander", station=station))
    refused = post_form(client, "/surveys/new", {
        "station_id": str(station.id), "languages": "English, Elvish", "start_from": "blank"})
    assert refused.status_code == 200
    assert "Unknown language code(s): Elvish." in refused.get_data(as_text=True)
    response = post_form(client, "/surveys/new", {
        "station_id": str(station.id), "languages": "English, Spanish; ko",
        "start_from": "blank"})
    assert response.status_code == 302
    assert db.session.scalar(select(Survey)).languages == ["en", "es", "ko"]
