"""Reading a respondent's answers from the public form, with a reason for each one refused."""

from __future__ import annotations

from dataclasses import dataclass, field

from werkzeug.datastructures import MultiDict

from cpp_app.surveys.models import SurveyAnswer, SurveyQuestion

#: The reason given when a required question has no answer (each kind's reader gives the
#: other reasons, in `cpp_app.surveys.kinds`).
REQUIRED = "required"


@dataclass
class ReadAnswers:
    """The answers read from a submission, and the problems found, by question id."""

    answers: list[SurveyAnswer] = field(default_factory=list)
    problems: dict[int, str] = field(default_factory=dict)

    @property
    def is_valid(self) -> bool:
        """Whether every answer could be accepted."""
        return not self.problems


def read_answers(questions: list[SurveyQuestion], form: MultiDict[str, str]) -> ReadAnswers:
    """Check every question's answer in the submitted form (a MultiDict)."""
    result = ReadAnswers()
    for question in questions:
        answers, problem = question.rules.read(question, form)
        if problem:
            result.problems[question.id] = problem
        elif question.required and not answers:
            result.problems[question.id] = REQUIRED
        else:
            result.answers.extend(answers)
    return result
