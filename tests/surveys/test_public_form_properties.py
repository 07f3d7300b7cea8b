"""Property tests of the public survey form.

Whatever a browser sends to POST /s/<slug>, the answer is a stored response or a refusal, never
a server error.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from cpp_app.audit.services import acting_as
from cpp_app.extensions import db
from cpp_app.surveys import services
from cpp_app.surveys.kinds import MAX_TEXT_ANSWER
from cpp_app.surveys.models import SurveyAnswer, SurveyResponse
from tests.factories.surveys import template_survey
from tests.helpers import csrf_token, row_count

LANGUAGES = ("en", "es")
HONEYPOT = "website"
#: Values a person or a script could type, chosen to trip number and option parsing.
AWKWARD_VALUES = (
    "", " ", "\t", "0", "1", "3", "5", "6", "10", "11", "-1", "-0", "+4", "4.0", "4.5", " 4 ",
    "1e309", "-1e309", "1e-309", "NaN", "nan", "inf", "-Infinity", "1_0", "0x4", "٣", "４",
    "\u200b4", "4\u00a0", "o1", "o2", "o3", "o9", " o1 ", "O1", "1" * 400, "9" * 5000,
    "<script>alert(1)</script>", "'; DROP TABLE survey_answers; --", "\ufeff", "\U0001f600",
)
#: Characters long texts are made of (a text answer holds at most MAX_TEXT_ANSWER).
LONG_TEXT_CHARACTERS = ("x", "é", "9", " ", "\U0001f600", "\n")
FORM_SETTINGS = settings(max_examples=60, deadline=None,
                         suppress_health_check=[HealthCheck.function_scoped_fixture])


def answer_values(allow_nul: bool) -> st.SearchStrategy[str]:
    """One value for a form field: an awkward one, arbitrary text, a huge number or a long text."""
    odd_text = st.text(alphabet=st.characters(codec="utf-8", exclude_characters=(
        "" if allow_nul else "\x00")), max_size=30)
    huge_numbers = st.integers(min_value=-(10 ** 400), max_value=10 ** 400).map(str)
    long_texts = st.builds(lambda character, length: character * length,
                           st.sampled_from(LONG_TEXT_CHARACTERS),
                           st.integers(MAX_TEXT_ANSWER - 5, MAX_TEXT_ANSWER + 5))
    values = st.one_of(st.sampled_from(AWKWARD_VALUES), odd_text, huge_numbers, long_texts)
    if allow_nul:
        values = st.one_of(values, st.sampled_from(("\x00", "4\x00", "o1\x00", "note\x00")))
    return values


def options(prefix: str, count: int) -> list[tuple[str, dict]]:
    """`count` options o1, o2, … labelled in every survey language."""
    return [(f"o{n}", dict.fromkeys(LANGUAGES, f"{prefix} {n}")) for n in range(1, count + 1)]


@pytest.fixture
def survey_of_every_kind(station):
    """The open template survey with a single, a multiple and a ranking question added."""
    survey = template_survey(station, languages=LANGUAGES, open_it=False)
    with acting_as("test"):
        for kind, prefix, count in (("single", "Choice", 3), ("multiple", "Item", 3),
                                    ("ranking", "Rank", 3)):
            services.save_question(survey, services.QuestionDetails(
                kind=kind, required=False, index_role="", help_text={},
                prompt=dict.fromkeys(LANGUAGES, f"{prefix}?"), options=options(prefix, count)))
        services.open_survey(survey)
    return services.survey_with_questions(survey_id=survey.id)


def field_names(survey) -> list[str]:
    """Every form field the survey's questions read (a ranking has one per option)."""
    names = []
    for question in survey.questions:
        if question.kind == "ranking":
            names += [f"q{question.id}_{option.value}" for option in question.options]
        else:
            names.append(f"q{question.id}")
    return names


def submissions(survey, allow_nul: bool) -> st.SearchStrategy[dict[str, list[str]]]:
    """Form fields, each absent or sent one to three times, with the honeypot and lang."""
    values = st.lists(answer_values(allow_nul), min_size=1, max_size=3)
    optional = dict.fromkeys([*field_names(survey), "lang"], values)
    optional[HONEYPOT] = st.lists(st.sampled_from(("", "http://spam.example")), min_size=1,
                                  max_size=1)
    return st.fixed_dictionaries({}, optional=optional)


def ranking_fields(survey) -> list[str]:
    """The form fields of the survey's ranking questions, one per option."""
    return [f"q{question.id}_{option.value}" for question in survey.questions
            if question.kind == "ranking" for option in question.options]


def first_value(fields: dict[str, list[str]], name: str) -> str:
    """The value the form gives for a field (the first one sent), stripped; '' if absent."""
    return (fields.get(name) or [""])[0].strip()


def stored_answers(response: SurveyResponse) -> dict[int, list]:
    """A stored response's answers by question id."""
    answers: dict[int, list] = {}
    for answer in response.answers:
        answers.setdefault(answer.question_id, []).append(answer)
    return answers


def assert_matches_what_was_sent(survey, fields: dict[str, list[str]], response) -> None:
    """A stored response holds only valid answers, exactly as the form gave them."""
    answers = stored_answers(response)
    for question in survey.questions:
        sent = first_value(fields, f"q{question.id}")
        stored = answers.get(question.id, [])
        if question.required:
            assert stored, f"{question.code} is required but was stored without an answer"
        if question.scale_range:
            low, high = question.scale_range
            assert [a.number for a in stored] == ([float(sent)] if sent else [])
            assert all(low <= a.number <= high and a.number.is_integer() for a in stored)
        elif question.kind == "text":
            typed = sent.replace("\x00", "").strip()
            assert [a.text for a in stored] == ([typed] if typed else [])
            assert all(len(a.text) <= MAX_TEXT_ANSWER for a in stored)
        elif question.kind == "single":
            assert [a.option_value for a in stored] == ([sent] if sent else [])
        if question.kind in ("single", "multiple", "ranking"):
            known = {option.value for option in question.options}
            assert {a.option_value for a in stored} <= known


@FORM_SETTINGS
@given(data=st.data())
def test_any_submission_is_stored_once_or_refused_never_a_server_error(
        client, survey_of_every_kind, data):
    survey = survey_of_every_kind
    url = f"/s/{survey.slug}"
    fields = data.draw(submissions(survey, allow_nul=True), label="fields")
    form = MultiDict([("csrf_token", csrf_token(client, url))]
                     + [(name, value) for name, values in fields.items() for value in values])
    before = row_count(SurveyResponse)

    response = client.post(url, data=form)

    assert response.status_code in (302, 400), response.status_code
    event(f"status {response.status_code}")
    added = row_count(SurveyResponse) - before
    required_missing = any(not first_value(fields, f"q{question.id}")
                           for question in survey.questions if question.required)
    if first_value(fields, HONEYPOT):
        assert (response.status_code, added) == (302, 0)
    elif response.status_code == 302:
        assert added == 1
        assert not required_missing
        assert f"/s/{survey.slug}/thanks" in response.headers["Location"]
        stored = db.session.scalars(select(SurveyResponse).order_by(
            SurveyResponse.id.desc())).first()
        assert_matches_what_was_sent(survey, fields, stored)
    else:
        assert added == 0
        assert 'id="form-problems"' in response.get_data(as_text=True)


def test_an_infinite_answer_is_refused_and_a_valid_submission_stored(client,
                                                                      survey_of_every_kind):
    survey = survey_of_every_kind
    ids = {question.code: question.id for question in survey.questions}
    url = f"/s/{survey.slug}"
    good = {f"q{ids['feel_safe']}": "4", f"q{ids['police_respect']}": "5",
            f"q{ids['police_listen']}": "3"}
    refused = client.post(url, data={"csrf_token": csrf_token(client, url),
                                     **good, f"q{ids['feel_safe']}": "1e309"})
    assert refused.status_code == 400
    assert row_count(SurveyResponse) == 0
    accepted = client.post(url, data={"csrf_token": csrf_token(client, url), **good})
    assert accepted.status_code == 302
    assert row_count(SurveyResponse) == 1


@pytest.mark.parametrize("rank", ["²", "1" * 4301], ids=["superscript-two", "4301-digits"])
def test_a_rank_int_cannot_read_is_refused_not_a_server_error(client, survey_of_every_kind,
                                                               rank):
    survey = survey_of_every_kind
    ids = {question.code: question.id for question in survey.questions}
    ranking = next(question for question in survey.questions if question.kind == "ranking")
    url = f"/s/{survey.slug}"
    response = client.post(url, data={
        "csrf_token": csrf_token(client, url), f"q{ids['feel_safe']}": "4",
        f"q{ids['police_respect']}": "4", f"q{ids['police_listen']}": "4",
        f"q{ranking.id}_o1": rank})
    assert response.status_code == 400
    assert row_count(SurveyResponse) == 0


def test_a_nul_byte_in_a_text_answer_is_not_a_server_error(client, station):
    survey = template_survey(station)
    ids = {question.code: question.id for question in survey.questions}
    url = f"/s/{survey.slug}"
    response = client.post(url, data={
        "csrf_token": csrf_token(client, url), f"q{ids['feel_safe']}": "4",
        f"q{ids['police_respect']}": "4", f"q{ids['police_listen']}": "4",
        f"q{ids['top_issue']}": "Speeding\x00"})
    assert response.status_code == 302
    assert db.session.scalars(select(SurveyAnswer.text).where(
        SurveyAnswer.text.is_not(None))).all() == ["Speeding"]
