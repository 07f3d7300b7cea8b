"""The question-kind registry, its answer readers and its index scores.

Every kind is there, each reader accepts a valid answer and refuses an invalid one with its
documented reason, and the index scores match their formula.
"""

from __future__ import annotations

import re

import pandas as pd
import pytest
from flask import Flask
from werkzeug.datastructures import MultiDict

from cpp_app.audit.services import acting_as
from cpp_app.surveys import kinds, services
from cpp_app.surveys.kinds import KIND_RULES, OptionsRule, QuestionKind, rules_for
from cpp_app.surveys.models import QuestionOption, SurveyQuestion
from cpp_app.surveys.results import INDEX_FORMULA, compute_results, index_scores
from tests.factories.surveys import respond, template_survey

QUESTION_ID = 7


def question_of(kind: QuestionKind, options: int = 3) -> SurveyQuestion:
    """An unsaved question of `kind` with options o1, o2… (1…5 for agreement)."""
    rule = rules_for(kind).options
    question = SurveyQuestion(id=QUESTION_ID, kind=kind, required=False)
    count = 5 if rule is OptionsRule.AGREEMENT_FIVE else options if rule.takes_options else 0
    question.options = [QuestionOption(position=n, value=rule.value_at(n), label={"en": f"{n}"})
                        for n in range(count)]
    return question


def form(**fields) -> MultiDict:
    """Submitted form data; a list gives a field several values."""
    data = MultiDict()
    for name, value in fields.items():
        for item in value if isinstance(value, list) else [value]:
            data.add(name, item)
    return data


def answered(answers) -> list[tuple]:
    """What each answer holds, in order."""
    return [(a.question_id, a.number, a.option_value, a.rank, a.text) for a in answers]


def test_the_registry_covers_every_kind_and_each_partial_exists(app: Flask):
    assert set(KIND_RULES) == set(QuestionKind)
    assert list(KIND_RULES) == list(QuestionKind)
    for kind, rules in KIND_RULES.items():
        assert app.jinja_env.get_template(rules.form_partial), kind
        assert callable(rules.read)
        assert callable(rules.summarise)
        assert callable(rules.export_cell)
        assert (rules.scale is None) == (rules.index_score is None), kind
    assert rules_for("agree5") is KIND_RULES[QuestionKind.AGREE5]
    with pytest.raises(KeyError):
        rules_for("slider")


VALID = [
    (QuestionKind.AGREE5, {"q7": "4"}, [(7, 4.0, None, None, None)]),
    (QuestionKind.SCALE10, {"q7": "0"}, [(7, 0.0, None, None, None)]),
    (QuestionKind.SCALE10, {"q7": " 10 "}, [(7, 10.0, None, None, None)]),
    (QuestionKind.SINGLE, {"q7": "o2"}, [(7, None, "o2", None, None)]),
    (QuestionKind.NEIGHBOURHOOD, {"q7": "o3"}, [(7, None, "o3", None, None)]),
    (QuestionKind.MULTIPLE, {"q7": ["o3", "o1", "o3"]},
     [(7, None, "o3", None, None), (7, None, "o1", None, None)]),
    (QuestionKind.RANKING, {"q7_o1": "2", "q7_o2": "1"},
     [(7, None, "o2", 1, None), (7, None, "o1", 2, None)]),
    (QuestionKind.TEXT, {"q7": "  Speeding on Elm Street "},
     [(7, None, None, None, "Speeding on Elm Street")]),
]


@pytest.mark.parametrize(("kind", "fields", "expected"), VALID,
                         ids=[f"{case[0]}-{n}" for n, case in enumerate(VALID)])
def test_each_reader_accepts_a_valid_answer(kind, fields, expected):
    question = question_of(kind)
    answers, problem = question.rules.read(question, form(**fields))
    assert problem is None
    assert answered(answers) == expected


INVALID = [
    (QuestionKind.AGREE5, {"q7": "6"}, kinds.OUT_OF_RANGE),
    (QuestionKind.AGREE5, {"q7": "agree"}, kinds.NOT_A_NUMBER),
    (QuestionKind.SCALE10, {"q7": "11"}, kinds.OUT_OF_RANGE),
    (QuestionKind.SCALE10, {"q7": "7.5"}, kinds.OUT_OF_RANGE),
    (QuestionKind.SINGLE, {"q7": "o9"}, kinds.UNKNOWN_OPTION),
    (QuestionKind.NEIGHBOURHOOD, {"q7": "elsewhere"}, kinds.UNKNOWN_OPTION),
    (QuestionKind.MULTIPLE, {"q7": ["o1", "o9"]}, kinds.UNKNOWN_OPTION),
    (QuestionKind.RANKING, {"q7_o1": "1", "q7_o2": "1"}, kinds.RANK_REPEATED),
    (QuestionKind.RANKING, {"q7_o1": "4"}, kinds.OUT_OF_RANGE),
    (QuestionKind.RANKING, {"q7_o1": "first"}, kinds.NOT_A_NUMBER),
    (QuestionKind.TEXT, {"q7": "x" * (kinds.MAX_TEXT_ANSWER + 1)}, kinds.TOO_LONG),
]


@pytest.mark.parametrize(("kind", "fields", "reason"), INVALID,
                         ids=[f"{case[0]}-{case[2]}" for case in INVALID])
def test_each_reader_refuses_an_invalid_answer_with_its_reason(kind, fields, reason):
    question = question_of(kind)
    assert question.rules.read(question, form(**fields)) == ([], reason)


@pytest.mark.parametrize("kind", list(QuestionKind))
def test_an_unanswered_question_gives_no_answer_and_no_problem(kind):
    question = question_of(kind)
    assert question.rules.read(question, form()) == ([], None)


def test_every_kind_has_its_options_rule():
    assert {kind for kind in QuestionKind if not rules_for(kind).options.takes_options} == {
        QuestionKind.SCALE10, QuestionKind.TEXT}
    agreement = rules_for(QuestionKind.AGREE5).options
    assert [agreement.value_at(n) for n in range(5)] == ["1", "2", "3", "4", "5"]
    assert agreement.problem(5) is None
    assert "exactly five" in agreement.problem(4)
    assert "at least two" in agreement.problem(1)
    choices = rules_for(QuestionKind.SINGLE).options
    assert choices.value_at(0) == "o1"
    assert choices.problem(2) is None
    assert "at least two" in choices.problem(1)
    assert OptionsRule.NONE.problem(0) is None


def arithmetic(formula: str) -> str:
    """The formula's expression ("name: expression") as plain arithmetic."""
    expression = formula.split(": ", 1)[1]
    return expression.replace("−", "-").replace("÷", "/").replace("×", "*")


@pytest.mark.parametrize(("kind", "answers", "scores"), [
    (QuestionKind.AGREE5, [1, 2, 3, 4, 5], [0, 25, 50, 75, 100]),
    (QuestionKind.SCALE10, [0, 3, 7, 10], [0, 30, 70, 100]),
])
def test_the_index_score_of_each_scale_is_its_published_formula(kind, answers, scores):
    index_score = rules_for(kind).index_score
    numbers = pd.Series(answers, dtype=float)
    assert index_score.score(numbers).tolist() == pytest.approx(scores)
    written = pd.eval(arithmetic(index_score.formula), local_dict={"answer": numbers})
    assert written.tolist() == pytest.approx(scores)
    assert index_score.formula in INDEX_FORMULA


def test_only_the_scales_can_be_part_of_an_index():
    assert {kind for kind, rules in KIND_RULES.items() if rules.index_score} == {
        QuestionKind.AGREE5, QuestionKind.SCALE10}
    assert INDEX_FORMULA.startswith(
        "Each answer to an index item is put on a 0–100 scale (5-point agreement: "
        "(answer − 1) ÷ 4 × 100; 0–10 scale: answer × 10). ")


def test_index_scores_put_each_answer_on_its_kinds_scale():
    answers = pd.DataFrame({"question_id": [1, 2, 1, 3], "number": [4.0, 6.0, 1.0, None]})
    scores = index_scores(answers, {1: "agree5", 2: "scale10", 3: "text"})
    assert scores.tolist()[:3] == [75.0, 60.0, 0.0]
    assert pd.isna(scores.tolist()[3])


def test_the_trust_index_mixes_both_scales_by_the_formula(station):
    survey = template_survey(station)
    # Trust items: police_respect and police_listen (agreement) and trust_overall (0–10).
    respond(survey, police_respect=4, police_listen=2, trust_overall=6, feel_safe=3)
    respond(survey, police_respect=5, police_listen=5, trust_overall=10, feel_safe=3)
    respond(survey, police_respect=1, police_listen=1, feel_safe=3)
    trust = compute_results(survey).indices[0]
    # (75 + 25 + 60) / 3 = 53.33…, (100 + 100 + 100) / 3 = 100, (0 + 0) / 2 = 0.
    assert trust.respondents == 3
    assert trust.value == round((160 / 3 + 100 + 0) / 3, 1)


def survey_of_every_kind(station):
    """An open survey with one question of each kind, in the order of `QuestionKind`."""
    settings = services.SurveySettings(station_id=station.id, languages=["en"], opens_on=None,
                                       closes_on=None, title={"en": "Every kind"},
                                       introduction={}, thank_you={})
    with acting_as("test"):
        survey = services.create_survey(settings, None, from_template=False)
        for kind in QuestionKind:
            rule = rules_for(kind).options
            count = 5 if rule is OptionsRule.AGREEMENT_FIVE else 3 if rule.takes_options else 0
            services.save_question(survey, services.QuestionDetails(
                kind=kind, required=False, index_role="", prompt={"en": f"About {kind}?"},
                help_text={}, options=[(rule.value_at(n), {"en": f"Option {n}"})
                                       for n in range(count)]))
        services.open_survey(survey)
    return services.survey_with_questions(survey_id=survey.id)


def test_the_public_form_draws_each_kind_with_its_partial(client, station):
    survey = survey_of_every_kind(station)
    page = client.get(f"/s/{survey.slug}").get_data(as_text=True)
    ids = {question.kind: question.id for question in survey.questions}

    def inputs(kind: QuestionKind, input_type: str) -> list[str]:
        pattern = rf'type="{input_type}" name="q{ids[kind]}(?:_\w+)?" id="[^"]+" value="([^"]*)"'
        return re.findall(pattern, page)

    assert inputs(QuestionKind.AGREE5, "radio") == ["1", "2", "3", "4", "5"]
    assert inputs(QuestionKind.SCALE10, "radio") == [str(n) for n in range(11)]
    assert inputs(QuestionKind.SINGLE, "radio") == ["o1", "o2", "o3"]
    assert inputs(QuestionKind.NEIGHBOURHOOD, "radio") == ["o1", "o2", "o3"]
    assert inputs(QuestionKind.MULTIPLE, "checkbox") == ["o1", "o2", "o3"]
    ranking = ids[QuestionKind.RANKING]
    assert re.findall(rf'max="3" name="(q{ranking}_o\d)"', page) == [
        f"q{ranking}_o1", f"q{ranking}_o2", f"q{ranking}_o3"]
    assert f'<textarea class="form-control" name="q{ids[QuestionKind.TEXT]}"' in page
