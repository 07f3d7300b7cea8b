"""Reading a respondent's answers from the public form, with a reason for each one refused."""

from __future__ import annotations

from dataclasses import dataclass, field

from cpp_app.surveys.models import MAX_TEXT_ANSWER, SurveyAnswer, SurveyQuestion

#: Why an answer was refused; the public page shows each in the respondent's language.
REQUIRED = "required"
OUT_OF_RANGE = "out_of_range"
NOT_A_NUMBER = "not_a_number"
UNKNOWN_OPTION = "unknown_option"
TOO_LONG = "too_long"
RANK_REPEATED = "rank_repeated"


@dataclass
class ReadAnswers:
    """The answers read from a submission, and the problems found, by question id."""

    answers: list[SurveyAnswer] = field(default_factory=list)
    problems: dict[int, str] = field(default_factory=dict)

    @property
    def is_valid(self) -> bool:
        """Whether every answer could be accepted."""
        return not self.problems


def field_name(question: SurveyQuestion, option_value: str | None = None) -> str:
    """The form field name of a question (and of one option, for rankings)."""
    return f"q{question.id}" if option_value is None else f"q{question.id}_{option_value}"


def read_answers(questions: list[SurveyQuestion], form) -> ReadAnswers:
    """Check every question's answer in the submitted form (a MultiDict)."""
    result = ReadAnswers()
    for question in questions:
        reader = READERS[question.kind]
        answers, problem = reader(question, form)
        if problem:
            result.problems[question.id] = problem
        elif question.required and not answers:
            result.problems[question.id] = REQUIRED
        else:
            result.answers.extend(answers)
    return result


def _read_scale(question: SurveyQuestion, form):
    raw = (form.get(field_name(question)) or "").strip()
    if not raw:
        return [], None
    try:
        number = float(raw)
    except ValueError:
        return [], NOT_A_NUMBER
    low, high = question.scale_range
    if not number.is_integer() or not low <= number <= high:
        return [], OUT_OF_RANGE
    return [SurveyAnswer(question_id=question.id, number=number)], None


def _read_single(question: SurveyQuestion, form):
    raw = (form.get(field_name(question)) or "").strip()
    if not raw:
        return [], None
    if raw not in {option.value for option in question.options}:
        return [], UNKNOWN_OPTION
    return [SurveyAnswer(question_id=question.id, option_value=raw)], None


def _read_multiple(question: SurveyQuestion, form):
    chosen = [value.strip() for value in form.getlist(field_name(question)) if value.strip()]
    known = {option.value for option in question.options}
    if any(value not in known for value in chosen):
        return [], UNKNOWN_OPTION
    return [SurveyAnswer(question_id=question.id, option_value=value)
            for value in dict.fromkeys(chosen)], None


def _read_ranking(question: SurveyQuestion, form):
    count = len(question.options)
    ranks: dict[str, int] = {}
    for option in question.options:
        raw = (form.get(field_name(question, option.value)) or "").strip()
        if not raw:
            continue
        if not raw.isdigit():
            return [], NOT_A_NUMBER
        rank = int(raw)
        if not 1 <= rank <= count:
            return [], OUT_OF_RANGE
        ranks[option.value] = rank
    if len(set(ranks.values())) != len(ranks):
        return [], RANK_REPEATED
    return [SurveyAnswer(question_id=question.id, option_value=value, rank=rank)
            for value, rank in sorted(ranks.items(), key=lambda item: item[1])], None


def _read_text(question: SurveyQuestion, form):
    raw = (form.get(field_name(question)) or "").strip()
    if not raw:
        return [], None
    if len(raw) > MAX_TEXT_ANSWER:
        return [], TOO_LONG
    return [SurveyAnswer(question_id=question.id, text=raw)], None


READERS = {
    "agree5": _read_scale,
    "scale10": _read_scale,
    "single": _read_single,
    "neighbourhood": _read_single,
    "multiple": _read_multiple,
    "ranking": _read_ranking,
    "text": _read_text,
}
