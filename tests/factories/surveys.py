"""Surveys from the trust and safety template, and answers to them."""

from __future__ import annotations

from datetime import date

from werkzeug.datastructures import MultiDict

from cpp_app.audit.services import acting_as
from cpp_app.surveys import services


def template_survey(station=None, languages=("en", "es", "zh", "vi"), open_it=True,
                    **dates):
    """The trust and safety template survey, opened unless asked otherwise."""
    settings = services.SurveySettings(
        station_id=station.id if station else None, languages=list(languages),
        opens_on=dates.get("opens_on"), closes_on=dates.get("closes_on"),
        title={}, introduction={}, thank_you={})
    with acting_as("test"):
        survey = services.create_survey(settings, None, from_template=True)
        if open_it:
            services.open_survey(survey)
    return services.survey_with_questions(survey_id=survey.id)


def answer_form(survey, **by_code) -> MultiDict:
    """Form data answering questions by their codes (lists give several values)."""
    data = MultiDict()
    questions = {question.code: question for question in survey.questions}
    for code, value in by_code.items():
        name = f"q{questions[code].id}"
        for item in value if isinstance(value, list) else [value]:
            data.add(name, str(item))
    return data


def respond(survey, language="en", today=date(2026, 11, 22), **by_code):
    """Store one response through the service."""
    response, read = services.submit_response(survey, language, answer_form(survey, **by_code),
                                              today)
    assert response is not None, read.problems
    return response
