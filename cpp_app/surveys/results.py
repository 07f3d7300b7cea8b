"""Survey results with pandas over one query: distributions, means, trust and safety indices.

How the indices are computed is `INDEX_FORMULA` (shown on the results page); each kind's
0–100 index score, in words and in code, is in `cpp_app.surveys.kinds`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import groupby
from operator import itemgetter

import numpy
import pandas as pd
from sqlalchemy import Select, select
from sqlalchemy.orm import selectinload

from cpp_app.disclosure import publishable, suppress_line
from cpp_app.extensions import db
from cpp_app.surveys.kinds import KIND_RULES, AnswerSummary, QuestionKind, rules_for
from cpp_app.surveys.models import (
    SURVEY_INDICES,
    IndexRole,
    Survey,
    SurveyAnswer,
    SurveyQuestion,
    SurveyResponse,
)

INDEX_FORMULA = (
    "Each answer to an index item is put on a 0–100 scale ("
    + "; ".join(rules.index_score.formula for rules in KIND_RULES.values() if rules.index_score)
    + "). A respondent's index is the mean of their answers to that index's items, and counts "
    "only when they answered more than half of the items. The index is the mean over those "
    "respondents."
)
ANSWER_COLUMNS = ["response_id", "language", "question_id", "number", "option_value", "rank",
                  "text"]
_WORDS = re.compile(r"[^\w\s]+")
ANSWERS_PER_FETCH = 20_000


@dataclass
class IndexResult:
    """An index's value (None when suppressed or no one qualified) and who counts toward it."""

    name: str
    value: float | None
    respondents: int
    items: list[str]
    role: IndexRole


@dataclass
class QuestionResult(AnswerSummary):
    """One question's figures, how many answered it, and whether it is suppressed.

    The figures are counts per choice or value, a mean, or texts.
    """

    question: SurveyQuestion
    answered: int
    suppressed: bool = False


@dataclass
class SurveyResults:
    """Everything the results page and public summaries show."""

    survey: Survey
    responses: int
    by_language: list[tuple[str, int]]
    by_neighbourhood: list[tuple[str, int]]
    questions: list[QuestionResult]
    indices: list[IndexResult]
    top_issues: list[tuple[str, int]]
    min_count: int
    suppressed: bool


def answers_frame(survey_id: int) -> pd.DataFrame:
    """Every answer of the survey with its response's language, in one query."""
    # Core rows turned into plain tuples: pandas builds a frame from tuples several times
    # faster than from SQLAlchemy Row objects.
    result = db.session.connection().execute(
        _answers_query().where(SurveyResponse.survey_id == survey_id))
    return pd.DataFrame([tuple(row) for row in result], columns=ANSWER_COLUMNS)


def answers_by_survey(survey_ids: list[int]) -> Iterator[tuple[int, pd.DataFrame]]:
    """(survey id, its answers as answers_frame gives them) for each survey, in id order.

    They come from one query read survey by survey: only one survey's answers are in memory at
    a time.
    """
    result = db.session.connection().execute(
        _answers_query().add_columns(SurveyResponse.survey_id)
        .where(SurveyResponse.survey_id.in_(survey_ids)).order_by(SurveyResponse.survey_id)
        .execution_options(yield_per=ANSWERS_PER_FETCH))
    groups = groupby(result, key=itemgetter(-1))
    group = next(groups, None)
    for survey_id in sorted(survey_ids):
        rows = []
        if group is not None and group[0] == survey_id:
            rows = [tuple(row)[:-1] for row in group[1]]
            group = next(groups, None)
        yield survey_id, pd.DataFrame(rows, columns=ANSWER_COLUMNS)


def _answers_query() -> Select:
    """The answer columns of answers_frame, joined to their responses."""
    return (select(SurveyAnswer.response_id, SurveyResponse.language, SurveyAnswer.question_id,
                   SurveyAnswer.number, SurveyAnswer.option_value, SurveyAnswer.rank,
                   SurveyAnswer.text)
            .join(SurveyResponse, SurveyResponse.id == SurveyAnswer.response_id))


def results_of_surveys(survey_ids: list[int] | Select, min_count: int = 1,
                       include_texts: bool = False) -> list[SurveyResults]:
    """Results of many surveys in a fixed number of queries, in id order.

    The surveys come with their questions and options, then their answers survey by survey
    from one query. `survey_ids` is a list of ids or a select() of them; groups below
    `min_count` are suppressed as `compute_results` does.
    """
    surveys = {survey.id: survey for survey in db.session.scalars(
        select(Survey).where(Survey.id.in_(survey_ids))
        .options(selectinload(Survey.questions).selectinload(SurveyQuestion.options),
                 selectinload(Survey.station)))}
    return [compute_results(surveys[survey_id], min_count=min_count,
                            include_texts=include_texts, answers=answers)
            for survey_id, answers in answers_by_survey(list(surveys))]


def compute_results(survey: Survey, min_count: int = 1, include_texts: bool = True,
                    answers: pd.DataFrame | None = None) -> SurveyResults:
    """Results of a survey; any group with fewer than `min_count` responses is suppressed.

    `answers` is the survey's answers_frame when the caller has already loaded it.
    """
    frame = answers_frame(survey.id) if answers is None else answers
    languages = survey.default_language
    responses = int(frame["response_id"].nunique()) if not frame.empty else 0
    suppressed = not publishable(responses, min_count)
    per_language = frame.groupby("language")["response_id"].nunique() if responses else {}
    by_language = _suppress_counts(
        sorted(((code, int(n)) for code, n in dict(per_language).items()), key=lambda x: -x[1]),
        min_count)
    questions = [_question_result(q, frame, languages, min_count, include_texts)
                 for q in survey.questions]
    return SurveyResults(
        survey=survey, responses=responses, by_language=by_language,
        by_neighbourhood=_neighbourhoods(survey, frame, min_count),
        questions=questions,
        indices=[_index(survey, frame, role, min_count) for role in SURVEY_INDICES],
        top_issues=[] if suppressed else _top_issues(survey, frame),
        min_count=min_count, suppressed=suppressed,
    )


def _question_result(question: SurveyQuestion, frame: pd.DataFrame, language: str,
                     min_count: int, include_texts: bool) -> QuestionResult:
    answers = frame[frame["question_id"] == question.id]
    answered = int(answers["response_id"].nunique())
    result = QuestionResult(question, answered, suppressed=not publishable(answered, min_count))
    if result.suppressed or answers.empty:
        return result
    labels = {o.value: o.text(language, question.survey.default_language)
              for o in question.options}
    summary = question.rules.summarise(question, answers, labels, include_texts)
    summary.counts = _suppress_counts(summary.counts, min_count)
    return QuestionResult(question, answered, **vars(summary))


def _index(survey: Survey, frame: pd.DataFrame, role: IndexRole, min_count: int
           ) -> IndexResult:
    items = [q for q in survey.questions if q.index_role == role]
    labels = [q.text(survey.default_language) for q in items]
    if not items or frame.empty:
        return IndexResult(role.label, None, 0, labels, role)
    kinds = {q.id: q.kind for q in items}
    answers = frame[frame["question_id"].isin(kinds)].copy()
    if answers.empty:
        return IndexResult(role.label, None, 0, labels, role)
    answers["score"] = index_scores(answers, kinds)
    per_person = answers.groupby("response_id")["score"].agg(["mean", "count"])
    qualified = per_person[per_person["count"] > len(items) / 2]
    count = int(len(qualified))
    if not publishable(count, min_count):
        return IndexResult(role.label, None, count, labels, role)
    return IndexResult(role.label, round(float(qualified["mean"].mean()), 1), count, labels,
                       role)


def index_scores(answers: pd.DataFrame, kinds: dict[int, str]) -> pd.Series:
    """Each answer on the 0–100 index scale of its question's kind (kinds by question id).

    An answer to a kind with no index score has none.
    """
    scores = pd.Series(numpy.nan, index=answers.index)
    for kind, rows in answers.groupby(answers["question_id"].map(kinds)):
        index_score = rules_for(kind).index_score
        if index_score is not None:
            scores.loc[rows.index] = index_score.score(rows["number"].astype(float))
    return scores


def _neighbourhoods(survey: Survey, frame: pd.DataFrame, min_count: int
                    ) -> list[tuple[str, int]]:
    questions = [q for q in survey.questions if q.kind == QuestionKind.NEIGHBOURHOOD]
    if not questions or frame.empty:
        return []
    question = questions[0]
    labels = {o.value: o.text(survey.default_language, survey.default_language)
              for o in question.options}
    counts = frame[frame["question_id"] == question.id]["option_value"].value_counts()
    return _suppress_counts([(labels.get(v, v), int(n)) for v, n in counts.items()], min_count)


def _top_issues(survey: Survey, frame: pd.DataFrame, limit: int = 10) -> list[tuple[str, int]]:
    """The most frequent open-text issues (case and punctuation ignored)."""
    text_ids = [q.id for q in survey.questions if q.rules.is_free_text]
    texts = frame[frame["question_id"].isin(text_ids)]["text"].dropna()
    if texts.empty:
        return []
    normalised = texts.map(lambda t: " ".join(_WORDS.sub(" ", t.lower()).split()))
    counts = normalised[normalised != ""].value_counts().head(limit)
    return [(issue, int(n)) for issue, n in counts.items()]


def _suppress_counts(pairs: list[tuple[str, int]], min_count: int
                     ) -> list[tuple[str, int | None]]:
    """Groups keep their name but lose a count suppressed by `cpp_app.disclosure`.

    That is a count below the minimum, and the complements that keep it from being worked
    out from the total.
    """
    counts, _total = suppress_line([n for _label, n in pairs], min_count)
    return [(label, count) for (label, _n), count in zip(pairs, counts, strict=True)]
