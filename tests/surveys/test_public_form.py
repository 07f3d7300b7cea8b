"""The public survey form: languages, errors in the respondent's language, honeypot, dates."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from cpp_app.clock import today_local
from cpp_app.extensions import db
from cpp_app.surveys.models import SurveyResponse
from tests.factories.surveys import template_survey
from tests.helpers import csrf_token


def count_responses() -> int:
    """Survey responses stored."""
    return db.session.scalar(select(func.count()).select_from(SurveyResponse))


def question_ids(survey) -> dict[str, int]:
    """The survey's question ids by question code."""
    return {question.code: question.id for question in survey.questions}


def test_language_from_query_then_browser_then_default(client, station):
    survey = template_survey(station)
    spanish = client.get(f"/s/{survey.slug}?lang=es").get_data(as_text=True)
    assert 'lang="es"' in spanish
    assert "Me siento seguro/a en mi vecindario." in spanish
    assert "Enviar mis respuestas" in spanish
    chinese = client.get(f"/s/{survey.slug}",
                         headers={"Accept-Language": "zh-CN,zh;q=0.9,en;q=0.5"})
    assert "提交我的回答" in chinese.get_data(as_text=True)
    fallback = client.get(f"/s/{survey.slug}", headers={"Accept-Language": "de"})
    assert "Send my answers" in fallback.get_data(as_text=True)
    assert "Español" in fallback.get_data(as_text=True)  # the language switcher


def test_invalid_answer_gets_a_spanish_message_and_keeps_what_was_typed(client, station):
    survey = template_survey(station)
    ids = question_ids(survey)
    token = csrf_token(client, f"/s/{survey.slug}?lang=es")
    response = client.post(f"/s/{survey.slug}?lang=es", data={
        "csrf_token": token, "lang": "es", f"q{ids['feel_safe']}": "9",
        f"q{ids['police_respect']}": "4", f"q{ids['top_issue']}": "Exceso de velocidad",
    })
    body = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Elija un valor entre 1 y 5." in body
    assert "Por favor, responda esta pregunta." in body  # police_listen is required
    assert "Exceso de velocidad</textarea>" in body
    assert f'name="q{ids["police_respect"]}" id="q{ids["police_respect"]}-4" value="4" checked' \
        in body
    assert count_responses() == 0


def test_valid_submission_is_stored_and_thanks_in_the_same_language(client, station):
    survey = template_survey(station)
    ids = question_ids(survey)
    token = csrf_token(client, f"/s/{survey.slug}?lang=vi")
    response = client.post(f"/s/{survey.slug}?lang=vi", data={
        "csrf_token": token, "lang": "vi", f"q{ids['feel_safe']}": "2",
        f"q{ids['police_respect']}": "4", f"q{ids['police_listen']}": "3",
        f"q{ids['trust_overall']}": "6",
    })
    assert response.status_code == 302
    thanks = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Xin cảm ơn" in thanks
    stored = db.session.scalar(select(SurveyResponse))
    assert stored.language == "vi"
    assert len(stored.answers) == 4


def test_expired_token_keeps_the_answers_on_the_page(client, station):
    survey = template_survey(station)
    ids = question_ids(survey)
    response = client.post(f"/s/{survey.slug}", data={
        "csrf_token": "stale", f"q{ids['top_issue']}": "Noise at night"})
    body = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "please send them again" in body
    assert "Noise at night</textarea>" in body
    assert count_responses() == 0


def test_honeypot_submissions_are_dropped_quietly(client, station):
    survey = template_survey(station)
    ids = question_ids(survey)
    token = csrf_token(client, f"/s/{survey.slug}")
    response = client.post(f"/s/{survey.slug}", data={
        "csrf_token": token, "website": "http://spam.example", f"q{ids['feel_safe']}": "5",
        f"q{ids['police_respect']}": "5", f"q{ids['police_listen']}": "5"})
    assert response.status_code == 302
    assert count_responses() == 0


def test_closed_and_not_yet_open_surveys_say_so_politely(client, station):
    today = today_local()
    future = template_survey(station, opens_on=today + timedelta(days=30))
    page = client.get(f"/s/{future.slug}?lang=es").get_data(as_text=True)
    assert "Esta encuesta todavía no está abierta." in page
    past = template_survey(station, closes_on=today - timedelta(days=30),
                           opens_on=today - timedelta(days=60))
    page = client.get(f"/s/{past.slug}?lang=zh").get_data(as_text=True)
    assert "本调查已结束。" in page
    draft = template_survey(station, open_it=False)
    assert "not open yet" in client.get(f"/s/{draft.slug}").get_data(as_text=True)


def test_unknown_survey_is_404(client):
    assert client.get("/s/nothing-here").status_code == 404
