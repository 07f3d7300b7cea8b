"""The kinds of survey question, and in one registry everything that differs between them.

For each kind: its label, the template partial that draws it on the public form, how an answer
is read from the form (and why one is refused), how its answers are summarised for the results
and written to the CSV export, which options it takes, its scale, and, when it can be part of a
trust or safety index, its 0–100 index score. A new kind is a member of `QuestionKind`, an
entry in `KIND_RULES` and its partial under templates/surveys/kinds/.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum
from typing import TYPE_CHECKING

import pandas as pd

from cpp_app.enums import LabelledEnum

if TYPE_CHECKING:
    from werkzeug.datastructures import MultiDict

    from cpp_app.surveys.models import SurveyAnswer, SurveyQuestion

MAX_TEXT_ANSWER = 5000
MAX_TEXTS_SHOWN = 500

#: Why an answer was refused; the public page shows each in the respondent's language.
OUT_OF_RANGE = "out_of_range"
NOT_A_NUMBER = "not_a_number"
UNKNOWN_OPTION = "unknown_option"
TOO_LONG = "too_long"
RANK_REPEATED = "rank_repeated"


class QuestionKind(LabelledEnum):
    """What kind of question it is; `KIND_RULES` says how each kind behaves."""

    AGREE5 = "agree5", "Agreement, 5-point scale"
    SCALE10 = "scale10", "Scale from 0 to 10"
    SINGLE = "single", "Single choice"
    MULTIPLE = "multiple", "Multiple choice"
    RANKING = "ranking", "Ranking of priorities"
    TEXT = "text", "Free text"
    NEIGHBOURHOOD = "neighbourhood", "Neighbourhood or beat"


class OptionsRule(Enum):
    """Which options the builder must give a kind of question."""

    NONE = "none"
    AT_LEAST_TWO = "at least two"
    AGREEMENT_FIVE = "exactly five, valued 1 to 5"

    @property
    def takes_options(self) -> bool:
        """Whether respondents choose from options the builder writes."""
        return self is not OptionsRule.NONE

    def problem(self, count: int) -> str | None:
        """Why `count` options will not do for this rule, or None when they will."""
        if self.takes_options and count < 2:
            return "Give at least two options, one per line."
        if self is OptionsRule.AGREEMENT_FIVE and count != 5:
            return "A 5-point agreement question has exactly five options."
        return None

    def value_at(self, position: int) -> str:
        """The stored value of the option at `position` (counted from 0)."""
        return str(position + 1) if self is OptionsRule.AGREEMENT_FIVE else f"o{position + 1}"


@dataclass(frozen=True)
class IndexScore:
    """How an answer goes on the 0–100 index scale.

    `formula` says it in words for the results page; `score` computes it over a column of
    answers.
    """

    formula: str
    score: Callable[[pd.Series], pd.Series]


@dataclass(kw_only=True)
class AnswerSummary:
    """A question's figures: counts per value or option, mean, mean ranks, or texts."""

    counts: list[tuple[str, int]] = field(default_factory=list)
    mean: float | None = None
    mean_ranks: list[tuple[str, float]] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)


#: The answers read from the form and None, or no answers and the reason they were refused.
ReadOutcome = tuple[list["SurveyAnswer"], str | None]
Reader = Callable[["SurveyQuestion", "MultiDict"], ReadOutcome]
Summariser = Callable[["SurveyQuestion", pd.DataFrame, dict[str, str], bool], AnswerSummary]
Exporter = Callable[[list["SurveyAnswer"]], str]


@dataclass(frozen=True)
class KindRules:
    """How one kind of question behaves.

    `form_partial` draws its inputs on the public form; `read` takes its answer from the
    submitted form and returns (answers, None) or ([], the reason it was refused);
    `summarise` gives its figures from its rows of the answers frame, with option labels by
    value; `export_cell` writes its (non-empty) answers to one CSV cell. `counts_heading`
    heads the results table of counts, and `is_free_text` marks answers in the respondent's
    own words (shown to staff only, never in open data).
    """

    form_partial: str
    read: Reader
    summarise: Summariser
    export_cell: Exporter
    options: OptionsRule = OptionsRule.NONE
    scale: tuple[int, int] | None = None
    index_score: IndexScore | None = None
    counts_heading: str = "Answer"
    is_free_text: bool = False


def field_name(question: SurveyQuestion, option_value: str | None = None) -> str:
    """The form field name of a question (and of one option, for rankings)."""
    return f"q{question.id}" if option_value is None else f"q{question.id}_{option_value}"


# --- Reading an answer from the public form ------------------------------------------------


def _read_scale(question: SurveyQuestion, form: MultiDict) -> ReadOutcome:
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
    return [question.answer(number=number)], None


def _read_one_option(question: SurveyQuestion, form: MultiDict) -> ReadOutcome:
    raw = (form.get(field_name(question)) or "").strip()
    if not raw:
        return [], None
    if raw not in {option.value for option in question.options}:
        return [], UNKNOWN_OPTION
    return [question.answer(option_value=raw)], None


def _read_options(question: SurveyQuestion, form: MultiDict) -> ReadOutcome:
    chosen = [value.strip() for value in form.getlist(field_name(question)) if value.strip()]
    known = {option.value for option in question.options}
    if any(value not in known for value in chosen):
        return [], UNKNOWN_OPTION
    return [question.answer(option_value=value) for value in dict.fromkeys(chosen)], None


def _read_ranking(question: SurveyQuestion, form: MultiDict) -> ReadOutcome:
    count = len(question.options)
    ranks: dict[str, int] = {}
    for option in question.options:
        raw = (form.get(field_name(question, option.value)) or "").strip()
        if not raw:
            continue
        if not (raw.isascii() and raw.isdigit()):  # '²' is a digit to str.isdigit
            return [], NOT_A_NUMBER
        digits = raw.lstrip("0") or "0"
        if len(digits) > len(str(count)) or not 1 <= int(digits) <= count:
            return [], OUT_OF_RANGE
        ranks[option.value] = int(digits)
    if len(set(ranks.values())) != len(ranks):
        return [], RANK_REPEATED
    return [question.answer(option_value=value, rank=rank)
            for value, rank in sorted(ranks.items(), key=lambda item: item[1])], None


def _read_text(question: SurveyQuestion, form: MultiDict) -> ReadOutcome:
    # A NUL character carries nothing a person typed, and PostgreSQL text cannot hold it.
    raw = (form.get(field_name(question)) or "").replace("\x00", "").strip()
    if not raw:
        return [], None
    if len(raw) > MAX_TEXT_ANSWER:
        return [], TOO_LONG
    return [question.answer(text=raw)], None


# --- Summarising a question's answers ------------------------------------------------------


def _summarise_scale(question: SurveyQuestion, answers: pd.DataFrame, labels: dict[str, str],
                     _include_texts: bool) -> AnswerSummary:
    values = answers["number"].astype(float)
    counts = values.value_counts()
    low, high = question.scale_range
    return AnswerSummary(
        counts=[(labels.get(str(v), str(v)), int(counts.get(float(v), 0)))
                for v in range(low, high + 1)],
        mean=round(float(values.mean()), 2))


def _summarise_options(_question: SurveyQuestion, answers: pd.DataFrame,
                       labels: dict[str, str], _include_texts: bool) -> AnswerSummary:
    counts = answers["option_value"].value_counts()
    return AnswerSummary(counts=[(labels[v], int(counts.get(v, 0))) for v in labels])


def _summarise_ranking(_question: SurveyQuestion, answers: pd.DataFrame,
                       labels: dict[str, str], _include_texts: bool) -> AnswerSummary:
    means = answers.groupby("option_value")["rank"].mean().sort_values()
    firsts = answers[answers["rank"] == 1]["option_value"].value_counts()
    return AnswerSummary(
        mean_ranks=[(labels.get(v, v), round(float(m), 2)) for v, m in means.items()],
        counts=[(labels.get(v, v), int(firsts.get(v, 0))) for v in labels])


def _summarise_texts(_question: SurveyQuestion, answers: pd.DataFrame, _labels: dict[str, str],
                     include_texts: bool) -> AnswerSummary:
    return AnswerSummary(
        texts=answers["text"].head(MAX_TEXTS_SHOWN).tolist() if include_texts else [])


# --- Writing a question's answers to the CSV export ----------------------------------------


def _export_number(answers: list[SurveyAnswer]) -> str:
    number = answers[0].number
    return str(int(number)) if float(number).is_integer() else str(number)


def _export_options(answers: list[SurveyAnswer]) -> str:
    return "; ".join(answer.option_value for answer in answers)


def _export_ranking(answers: list[SurveyAnswer]) -> str:
    return "; ".join(f"{answer.rank}:{answer.option_value}"
                     for answer in sorted(answers, key=lambda answer: answer.rank))


def _export_text(answers: list[SurveyAnswer]) -> str:
    return answers[0].text or ""


# --- The registry --------------------------------------------------------------------------

KIND_RULES: dict[QuestionKind, KindRules] = {
    QuestionKind.AGREE5: KindRules(
        form_partial="surveys/kinds/_radio_options.html", read=_read_scale,
        summarise=_summarise_scale, export_cell=_export_number,
        options=OptionsRule.AGREEMENT_FIVE, scale=(1, 5),
        index_score=IndexScore("5-point agreement: (answer − 1) ÷ 4 × 100",
                               lambda answer: (answer - 1) / 4 * 100)),
    QuestionKind.SCALE10: KindRules(
        form_partial="surveys/kinds/_number_scale.html", read=_read_scale,
        summarise=_summarise_scale, export_cell=_export_number, scale=(0, 10),
        index_score=IndexScore("0–10 scale: answer × 10", lambda answer: answer * 10)),
    QuestionKind.SINGLE: KindRules(
        form_partial="surveys/kinds/_radio_options.html", read=_read_one_option,
        summarise=_summarise_options, export_cell=_export_options,
        options=OptionsRule.AT_LEAST_TWO),
    QuestionKind.MULTIPLE: KindRules(
        form_partial="surveys/kinds/_checkbox_options.html", read=_read_options,
        summarise=_summarise_options, export_cell=_export_options,
        options=OptionsRule.AT_LEAST_TWO),
    QuestionKind.RANKING: KindRules(
        form_partial="surveys/kinds/_ranking.html", read=_read_ranking,
        summarise=_summarise_ranking, export_cell=_export_ranking,
        options=OptionsRule.AT_LEAST_TWO, counts_heading="First choice"),
    QuestionKind.TEXT: KindRules(
        form_partial="surveys/kinds/_free_text.html", read=_read_text,
        summarise=_summarise_texts, export_cell=_export_text, is_free_text=True),
    QuestionKind.NEIGHBOURHOOD: KindRules(
        form_partial="surveys/kinds/_radio_options.html", read=_read_one_option,
        summarise=_summarise_options, export_cell=_export_options,
        options=OptionsRule.AT_LEAST_TWO),
}


def rules_for(kind: str) -> KindRules:
    """How a kind of question behaves, by its member or stored code.

    A code that is not a kind raises KeyError.
    """
    return KIND_RULES[kind]
