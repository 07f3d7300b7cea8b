"""Survey building, translation completeness, and reading respondents' answers."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, inspect, select

from cpp_app.audit.services import acting_as
from cpp_app.extensions import db
from cpp_app.surveys import services
from cpp_app.surveys.models import SurveyAnswer, SurveyResponse
from tests.factories.surveys import answer_form, respond, template_survey


def test_template_brings_the_core_items_in_every_language(station):
    survey = template_survey(station, languages=("en", "es", "zh", "vi", "ko"), open_it=False)
    codes = [question.code for question in survey.questions]
    assert codes[:6] == ["feel_safe", "feel_safe_night", "police_respect", "police_listen",
                         "trust_overall", "top_issue"]
    assert services.missing_translations(survey) == []
    assert survey.questions[2].text("es").startswith("La policía de mi vecindario")
    assert [o.label["ko"] for o in survey.questions[0].options][0] == "전혀 동의하지 않음"


def test_a_survey_cannot_open_while_a_translation_is_missing(station):
    survey = template_survey(station, languages=("en", "es"), open_it=False)
    with acting_as("test"):
        services.save_question(survey, services.QuestionDetails(
            kind="single", required=False, index_role="",
            prompt={"en": "How did you hear about this survey?", "es": ""},
            help_text={}, options=[("o1", {"en": "Flyer", "es": "Volante"}),
                                   ("o2", {"en": "Meeting", "es": ""})]))
        with pytest.raises(services.SurveyError) as refused:
            services.open_survey(survey)
    message = str(refused.value)
    assert "Question 7 in Spanish" in message
    assert "option “o2”, in Spanish" in message
    assert survey.status == "draft"


def test_languages_must_be_known():
    with pytest.raises(services.SurveyError, match="Unknown language"):
        services.check_languages(["en", "xx-klingon"])


def test_only_scale_questions_count_toward_an_index(station):
    survey = template_survey(station, open_it=False)
    with pytest.raises(services.SurveyError, match="Only scale questions"):
        services.save_question(survey, services.QuestionDetails(
            kind="text", required=False, index_role="trust", prompt={"en": "Why?"},
            help_text={}, options=[]))


@pytest.mark.parametrize(("answers", "problem"), [
    ({"feel_safe": "7"}, "out_of_range"),
    ({"feel_safe": "abc"}, "not_a_number"),
    ({"trust_overall": "11"}, "out_of_range"),
    ({"top_issue": "x" * 5001}, "too_long"),
])
def test_bad_answers_are_refused_with_a_reason(station, answers, problem):
    survey = template_survey(station)
    base = {"feel_safe": "4", "police_respect": "4", "police_listen": "3"}
    base.update(answers)
    response, read = services.submit_response(survey, "en", answer_form(survey, **base),
                                              date(2026, 11, 22))
    assert response is None
    assert problem in read.problems.values()
    assert db.session.scalar(select(func.count()).select_from(SurveyResponse)) == 0


def test_required_answers_are_enforced(station):
    survey = template_survey(station)
    response, read = services.submit_response(
        survey, "en", answer_form(survey, feel_safe="4"), date(2026, 11, 22))
    assert response is None
    required = {q.id for q in survey.questions if q.code in {"police_respect", "police_listen"}}
    assert set(read.problems) == required
    assert set(read.problems.values()) == {"required"}


def test_choice_rank_and_multiple_answers(station):
    survey = template_survey(station, open_it=False)
    with acting_as("test"):
        services.save_question(survey, services.QuestionDetails(
            kind="ranking", required=False, index_role="", help_text={},
            prompt={"en": "Rank", "es": "Ordene", "zh": "排序", "vi": "Xếp hạng"},
            options=[(f"o{n}", dict.fromkeys(("en", "es", "zh", "vi"), f"Item {n}"))
                     for n in (1, 2, 3)]))
        services.save_question(survey, services.QuestionDetails(
            kind="multiple", required=False, index_role="", help_text={},
            prompt={"en": "Which", "es": "Cuáles", "zh": "哪些", "vi": "Những"},
            options=[(f"o{n}", dict.fromkeys(("en", "es", "zh", "vi"), f"Choice {n}"))
                     for n in (1, 2)]))
        services.open_survey(survey)
    survey = services.survey_with_questions(survey_id=survey.id)
    ranking, multiple = survey.questions[-2:]
    form = answer_form(survey, feel_safe=5, police_respect=4, police_listen=4)
    form.add(f"q{ranking.id}_o1", "2")
    form.add(f"q{ranking.id}_o3", "2")
    _, read = services.submit_response(survey, "en", form, date(2026, 11, 22))
    assert read.problems == {ranking.id: "rank_repeated"}
    form.setlist(f"q{ranking.id}_o3", ["1"])
    form.add(f"q{multiple.id}", "o2")
    form.add(f"q{multiple.id}", "o9")
    _, read = services.submit_response(survey, "en", form, date(2026, 11, 22))
    assert read.problems == {multiple.id: "unknown_option"}
    form.setlist(f"q{multiple.id}", ["o1", "o2"])
    response, read = services.submit_response(survey, "en", form, date(2026, 11, 22))
    ranks = sorted((a.option_value, a.rank) for a in response.answers
                   if a.question_id == ranking.id)
    assert ranks == [("o1", 2), ("o3", 1)]


def test_a_response_stores_no_identifying_data(station):
    survey = template_survey(station)
    respond(survey, feel_safe=4, police_respect=4, police_listen=4)
    columns = {c.key for c in inspect(SurveyResponse).columns} | \
        {c.key for c in inspect(SurveyAnswer).columns}
    assert not columns & {"ip", "ip_address", "remote_addr", "user_agent", "email", "name",
                          "session_id"}
