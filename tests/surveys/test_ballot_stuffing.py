"""One response per device (a signed cookie), kiosks, stored-response limits, bursts, no ids.

The device cookie holds survey ids only; nothing about the device is stored with a response.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from flask import request
from sqlalchemy import func, select

from cpp_app.extensions import db
from cpp_app.surveys import devices
from cpp_app.surveys.bursts import response_bursts
from cpp_app.surveys.models import SurveyResponse
from tests import factories
from tests.factories.surveys import respond, template_survey
from tests.helpers import csrf_token, make_test_app, post_form


def count_responses() -> int:
    """Survey responses stored."""
    return db.session.scalar(select(func.count()).select_from(SurveyResponse))


def valid_answers(survey, client, language="en") -> dict:
    """A complete, valid submission with a fresh CSRF token from the form."""
    ids = {question.code: question.id for question in survey.questions}
    return {"csrf_token": csrf_token(client, f"/s/{survey.slug}?lang={language}"),
            "lang": language, f"q{ids['feel_safe']}": "2", f"q{ids['police_respect']}": "4",
            f"q{ids['police_listen']}": "3", f"q{ids['top_issue']}": "Speeding on Elm"}


def kiosk(survey):
    """Let the survey take several responses from one device."""
    survey.allow_repeat_responses = True
    db.session.commit()
    return survey


def test_a_second_response_from_the_same_device_is_refused_kindly(client, station):
    survey = template_survey(station)
    first = client.post(f"/s/{survey.slug}?lang=es", data=valid_answers(survey, client, "es"))
    assert first.status_code == 302
    cookie = client.get_cookie(devices.COOKIE_NAME, path=devices.COOKIE_PATH)
    assert cookie is not None
    assert cookie.http_only
    again = client.post(f"/s/{survey.slug}?lang=es", data={
        "lang": "es", "csrf_token": "any", "q1": "3"})
    assert again.status_code == 409
    assert "Ya respondió, gracias." in again.get_data(as_text=True)
    page = client.get(f"/s/{survey.slug}")
    assert page.status_code == 200
    assert "You have already answered, thank you." in page.get_data(as_text=True)
    assert "Send my answers" not in page.get_data(as_text=True)
    assert count_responses() == 1
    other = template_survey(station)  # another survey on the same device is still open to it
    assert "Send my answers" in client.get(f"/s/{other.slug}").get_data(as_text=True)


def test_the_cookie_holds_no_response_id_and_a_forged_one_counts_for_nothing(client, app,
                                                                              station):
    survey = template_survey(station)
    client.post(f"/s/{survey.slug}", data=valid_answers(survey, client))
    cookie = client.get_cookie(devices.COOKIE_NAME, path=devices.COOKIE_PATH)
    with app.test_request_context(headers={"Cookie": f"{devices.COOKIE_NAME}={cookie.value}"}):
        assert devices.answered_surveys(request) == [survey.id]
    response_id = db.session.scalar(select(SurveyResponse.id))
    assert cookie.value.split(".")[0] != str(response_id)
    fresh = app.test_client()
    fresh.set_cookie(devices.COOKIE_NAME, "WzFd.forged", path=devices.COOKIE_PATH)
    assert "Send my answers" in fresh.get(f"/s/{survey.slug}").get_data(as_text=True)


def test_a_kiosk_survey_takes_several_responses_from_one_device(client, station):
    survey = kiosk(template_survey(station))
    for _ in range(3):
        response = client.post(f"/s/{survey.slug}", data=valid_answers(survey, client))
        assert response.status_code == 302
    assert count_responses() == 3


def test_the_builder_sets_several_responses_per_device(login, station):
    commander = factories.make_user("commander", station=station)
    client = login(commander)
    survey = template_survey(station)
    settings = client.get(f"/surveys/{survey.id}/settings").get_data(as_text=True)
    assert "Allow several responses from one device" in settings
    data = {"station_id": str(station.id), "languages_text": "en, es, zh, vi",
            "allow_repeat_responses": "y"}
    for code in survey.languages:
        data.update({f"title_{code}": survey.text("title", code),
                     f"thank_you_{code}": survey.text("thank_you", code)})
    saved = post_form(client, f"/surveys/{survey.id}/settings", data)
    assert saved.status_code == 302
    db.session.expire_all()
    assert survey.allow_repeat_responses is True
    detail = client.get(f"/surveys/{survey.id}").get_data(as_text=True)
    assert "Several responses may come from one device" in detail


def test_no_response_id_in_any_address_after_submitting(app, client, station):
    survey = template_survey(station)
    response = client.post(f"/s/{survey.slug}?lang=vi", data=valid_answers(survey, client, "vi"))
    assert response.status_code == 302
    assert response.headers["Location"] == f"/s/{survey.slug}/thanks?lang=vi"
    honeypot = app.test_client().post(f"/s/{survey.slug}", data={"website": "x"})
    assert honeypot.headers["Location"] == f"/s/{survey.slug}/thanks?lang=en"
    thanks = client.get(response.headers["Location"])
    stored = db.session.scalar(select(SurveyResponse))
    assert f"response={stored.id}" not in thanks.get_data(as_text=True)
    assert "Xin cảm ơn" in thanks.get_data(as_text=True)


@pytest.mark.usefixtures("limiter_restored")
def test_stored_responses_per_client_are_limited_and_the_answers_kept(app, tmp_path, station):
    survey = kiosk(template_survey(station))
    limited = make_test_app(tmp_path, RATELIMIT_ENABLED=True,
                            CPP_SURVEY_RESPONSE_RATE_LIMIT="3 per minute",
                            SQLALCHEMY_DATABASE_URI=app.config["SQLALCHEMY_DATABASE_URI"])
    client = limited.test_client()
    invalid = [client.post(f"/s/{survey.slug}", data={"lang": "en"}).status_code
               for _ in range(5)]
    assert invalid == [400] * 5  # refused submissions do not use up the allowance
    stored = [client.post(f"/s/{survey.slug}", data=valid_answers(survey, client)).status_code
              for _ in range(3)]
    assert stored == [302] * 3
    refused = client.post(f"/s/{survey.slug}?lang=es", data=valid_answers(survey, client, "es"))
    body = refused.get_data(as_text=True)
    assert refused.status_code == 429
    assert "espere un minuto y envíelas de nuevo" in body
    assert "Speeding on Elm</textarea>" in body
    assert count_responses() == 3
    with limited.app_context():
        db.engine.dispose()


def test_bursts_are_the_minutes_with_far_more_responses_than_usual(station):
    survey = kiosk(template_survey(station))
    start = datetime(2026, 11, 2, 15, 0, tzinfo=UTC)
    for hour in range(8):  # the usual: one response in a minute, now and then
        response = respond(survey, feel_safe=3, police_respect=3, police_listen=3)
        response.submitted_at = start + timedelta(hours=hour)
    for second in range(12):  # then twelve in one minute
        response = respond(survey, feel_safe=5, police_respect=5, police_listen=5)
        response.submitted_at = start + timedelta(hours=9, seconds=second * 4)
    db.session.commit()
    report = response_bursts(survey.id)
    assert report.usual == pytest.approx(20 / 541)  # 20 responses over 9 hours' minutes
    assert [(burst.minute, burst.responses, burst.times_usual) for burst in report.bursts] == [
        (start + timedelta(hours=9), 12, round(12 / (8 / 540), 1))]
    assert report.responses_in_bursts == 12


def test_the_results_page_lists_bursts_as_counts_only(login, station):
    commander = factories.make_user("commander", station=station)
    client = login(commander)
    survey = kiosk(template_survey(station))
    moment = datetime(2026, 11, 3, 18, 30, tzinfo=UTC)
    for day in range(1, 4):
        respond(survey, feel_safe=3, police_respect=3, police_listen=3).submitted_at = \
            moment - timedelta(days=day)
    for _ in range(6):
        respond(survey, feel_safe=1, police_respect=1, police_listen=1,
                top_issue="Secret words").submitted_at = moment
    db.session.commit()
    page = client.get(f"/surveys/{survey.id}/results").get_data(as_text=True)
    section = page[page.index('id="bursts"'):]
    assert "1 minute</strong> stands out, with 6 of 9 responses" in section
    assert "2026-11-03 12:30" in section  # in CPP_TIMEZONE, America/Chicago
    assert "Secret words" not in section


def test_a_burst_that_makes_up_most_of_the_responses_still_stands_out(station):
    survey = kiosk(template_survey(station))
    start = datetime(2026, 11, 4, 9, 0, tzinfo=UTC)
    for second in range(30):
        respond(survey, feel_safe=5, police_respect=5, police_listen=5).submitted_at = \
            start + timedelta(seconds=second)
    for minute in (3, 7):
        respond(survey, feel_safe=2, police_respect=2, police_listen=2).submitted_at = \
            start + timedelta(minutes=minute)
    db.session.commit()
    report = response_bursts(survey.id)
    assert [(burst.minute, burst.responses) for burst in report.bursts] == [(start, 30)]


def test_a_quiet_survey_has_no_bursts(station):
    survey = kiosk(template_survey(station))
    assert response_bursts(survey.id).bursts == []
    start = datetime(2026, 11, 5, 9, 0, tzinfo=UTC)
    for minute in range(0, 40, 2):  # a meeting's kiosk: one response every two minutes
        respond(survey, feel_safe=4, police_respect=4, police_listen=4).submitted_at = \
            start + timedelta(minutes=minute)
    db.session.commit()
    report = response_bursts(survey.id)
    assert (report.minutes_with_responses, report.bursts) == (20, [])


def test_an_open_survey_without_questions_refuses_a_submission_without_an_error(app, station):
    survey = template_survey(station)
    for question in list(survey.questions):
        db.session.delete(question)
    db.session.commit()
    client = app.test_client()
    response = client.post(f"/s/{survey.slug}", data={
        "csrf_token": csrf_token(client, f"/s/{survey.slug}"), "lang": "en"})
    assert response.status_code == 400
    assert count_responses() == 0
