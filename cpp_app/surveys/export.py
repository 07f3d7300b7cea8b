"""Survey responses as CSV: one row per response, one column per question."""

from __future__ import annotations

import csv
import io

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from cpp_app.extensions import db
from cpp_app.importing.services import spreadsheet_safe
from cpp_app.surveys.models import Survey, SurveyAnswer, SurveyQuestion, SurveyResponse


def responses_csv(survey: Survey) -> str:
    """The survey's responses as CSV text; cells a spreadsheet would run are disarmed."""
    questions = list(survey.questions)
    output = io.StringIO()
    writer = csv.writer(output)
    writer.writerow(["response_id", "submitted_on", "language",
                     *[question.code for question in questions]])
    responses = db.session.scalars(
        select(SurveyResponse).where(SurveyResponse.survey_id == survey.id)
        .order_by(SurveyResponse.id).options(selectinload(SurveyResponse.answers))
        .execution_options(yield_per=2000)
    )
    for response in responses:
        by_question: dict[int, list[SurveyAnswer]] = {}
        for answer in response.answers:
            by_question.setdefault(answer.question_id, []).append(answer)
        cells = [_cell(question, by_question.get(question.id, [])) for question in questions]
        writer.writerow([response.id, response.submitted_on.isoformat(), response.language,
                         *[spreadsheet_safe(cell) for cell in cells]])
    return output.getvalue()


def _cell(question: SurveyQuestion, answers: list[SurveyAnswer]) -> str:
    return question.rules.export_cell(answers) if answers else ""
