"""Building surveys, opening and closing them, and taking in anonymous responses."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Select, func, select
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import selectinload
from werkzeug.datastructures import MultiDict

from cpp_app.audit import services as audit
from cpp_app.database import objects_kept_on_commit, writing
from cpp_app.errors import ServiceError
from cpp_app.extensions import db
from cpp_app.stations.languages import language_names
from cpp_app.surveys.answers import ReadAnswers, read_answers
from cpp_app.surveys.kinds import QuestionKind, rules_for
from cpp_app.surveys.models import (
    IndexRole,
    QuestionOption,
    Survey,
    SurveyQuestion,
    SurveyResponse,
    SurveyStatus,
)
from cpp_app.surveys.template import INTRODUCTION, THANK_YOU, TITLE, template_questions

_CODE = re.compile(r"[^a-z0-9]+")
logger = logging.getLogger(__name__)


class SurveyError(ServiceError):
    """A survey change that cannot be made, with a message saying why."""


class ResponseNotSavedError(SurveyError):
    """The database could not store a response just now (locked, full or read-only).

    The respondent gets the form back with every answer, to send again.
    """


def survey_with_questions(survey_id: int | None = None, slug: str | None = None
                          ) -> Survey | None:
    """A survey with its questions and options loaded, by id or public slug."""
    query = select(Survey).options(
        selectinload(Survey.questions).selectinload(SurveyQuestion.options),
        selectinload(Survey.station),
    )
    query = query.where(Survey.id == survey_id) if survey_id is not None else \
        query.where(Survey.slug == slug)
    return db.session.scalar(query)


def survey_query(station_id: int | None = None) -> Select:
    """Surveys newest first; with a station, that station's and the department-wide ones."""
    query = select(Survey).options(selectinload(Survey.station)).order_by(Survey.id.desc())
    if station_id is not None:
        query = query.where((Survey.station_id == station_id) | Survey.station_id.is_(None))
    return query


def open_surveys(today: date, station_id: int | None = None) -> list[Survey]:
    """Surveys taking responses today, closing soonest first.

    With a station, its surveys and the department-wide ones; without, every survey.
    """
    query = (select(Survey).options(selectinload(Survey.station))
             .where(Survey.status == SurveyStatus.OPEN,
                    (Survey.opens_on.is_(None)) | (Survey.opens_on <= today),
                    (Survey.closes_on.is_(None)) | (Survey.closes_on >= today))
             .order_by(Survey.closes_on.is_(None), Survey.closes_on, Survey.id))
    if station_id is not None:
        query = query.where((Survey.station_id == station_id) | Survey.station_id.is_(None))
    return list(db.session.scalars(query))


def response_counts(survey_ids: list[int]) -> dict[int, int]:
    """Responses per survey, in one query."""
    rows = db.session.execute(
        select(SurveyResponse.survey_id, func.count())
        .where(SurveyResponse.survey_id.in_(survey_ids)).group_by(SurveyResponse.survey_id))
    return dict(rows.all())


def check_languages(codes: list[str]) -> list[str]:
    """Known, de-duplicated language codes; at least one."""
    known = language_names()
    cleaned = list(dict.fromkeys(code.strip() for code in codes if code.strip()))
    unknown = [code for code in cleaned if code not in known]
    if unknown:
        raise SurveyError(f"Unknown language code(s): {', '.join(unknown)}.", "languages")
    if not cleaned:
        raise SurveyError("Choose at least one language.", "languages")
    return cleaned


@dataclass
class SurveySettings:
    """What the builder sets on a survey as a whole."""

    station_id: int | None
    languages: list[str]
    opens_on: date | None
    closes_on: date | None
    title: dict
    introduction: dict
    thank_you: dict
    allow_repeat_responses: bool = False


def create_survey(settings: SurveySettings, owner_user_id: int | None,
                  from_template: bool) -> Survey:
    """Create a draft survey, blank or from the trust and safety template."""
    languages = check_languages(settings.languages)
    _check_dates(settings.opens_on, settings.closes_on)
    survey = Survey(station_id=settings.station_id, owner_user_id=owner_user_id,
                    languages=languages, opens_on=settings.opens_on,
                    closes_on=settings.closes_on, status=SurveyStatus.DRAFT,
                    allow_repeat_responses=settings.allow_repeat_responses)
    if from_template:
        survey.title = {code: TITLE[code] for code in languages if code in TITLE}
        survey.introduction = {code: INTRODUCTION[code] for code in languages
                               if code in INTRODUCTION}
        survey.thank_you = {code: THANK_YOU[code] for code in languages if code in THANK_YOU}
        for position, item in enumerate(template_questions(languages)):
            question = SurveyQuestion(position=position, code=item["code"], kind=item["kind"],
                                      required=item["required"], index_role=item["index_role"],
                                      prompt=item["prompt"], help_text={})
            question.options = [QuestionOption(position=n, value=value, label=label)
                                for n, (value, label) in enumerate(item.get("options", []))]
            survey.questions.append(question)
    for name in ("title", "introduction", "thank_you"):
        supplied = {k: v.strip() for k, v in getattr(settings, name).items() if v.strip()}
        getattr(survey, name).update(supplied) if from_template else setattr(survey, name,
                                                                             supplied)
    db.session.add(survey)
    db.session.flush()
    audit.record("survey.create", survey, station_id=survey.station_id,
                 summary=survey.display_title)
    db.session.commit()
    return survey


def update_settings(survey: Survey, settings: SurveySettings) -> Survey:
    """Change a survey's station, languages, dates and texts (questions stay)."""
    languages = check_languages(settings.languages)
    _check_dates(settings.opens_on, settings.closes_on)
    if survey.status != SurveyStatus.DRAFT and set(languages) - set(survey.languages):
        raise SurveyError("Languages can be added only while the survey is a draft.",
                          "languages")
    before = survey.audit_snapshot()
    survey.station_id = settings.station_id
    survey.languages = languages
    survey.opens_on, survey.closes_on = settings.opens_on, settings.closes_on
    survey.allow_repeat_responses = settings.allow_repeat_responses
    survey.title = _clean_texts(settings.title)
    survey.introduction = _clean_texts(settings.introduction)
    survey.thank_you = _clean_texts(settings.thank_you)
    audit.record("survey.update", survey, before=before, station_id=survey.station_id)
    db.session.commit()
    return survey


@dataclass
class QuestionDetails:
    """A question as the builder edits it: texts per language, options one per line."""

    kind: str
    required: bool
    index_role: str
    prompt: dict
    help_text: dict
    options: list[tuple[str, dict]]
    code: str = ""


def save_question(survey: Survey, details: QuestionDetails,
                  question: SurveyQuestion | None = None) -> SurveyQuestion:
    """Add a question to a survey, or change one; options are replaced as given."""
    _require_editable(survey)
    _check_question(details)
    options = details.options if rules_for(details.kind).options.takes_options else []
    before = question.audit_snapshot() if question else None
    if question is None:
        question = SurveyQuestion(position=len(survey.questions))
        survey.questions.append(question)
    question.kind, question.required = details.kind, details.required
    question.index_role = details.index_role
    question.prompt = _clean_texts(details.prompt)
    question.help_text = _clean_texts(details.help_text)
    question.code = details.code or question.code or _code_from(question.prompt, survey)
    question.options = [
        QuestionOption(position=n, value=value, label=_clean_texts(label))
        for n, (value, label) in enumerate(options)
    ]
    db.session.flush()
    audit.record("survey.question." + ("update" if before else "create"), question,
                 before=before, station_id=survey.station_id)
    db.session.commit()
    return question


def move_question(survey: Survey, question: SurveyQuestion, offset: int) -> None:
    """Move a question up (-1) or down (+1) in the survey's order."""
    _require_editable(survey)
    questions = list(survey.questions)
    index = questions.index(question)
    target = index + offset
    if not 0 <= target < len(questions):
        return
    questions[index], questions[target] = questions[target], questions[index]
    for position, item in enumerate(questions):
        item.position = position
    audit.record("survey.question.move", question, station_id=survey.station_id)
    db.session.commit()


def remove_question(survey: Survey, question: SurveyQuestion) -> None:
    """Take a question out of a draft survey."""
    _require_editable(survey)
    before = question.audit_snapshot()
    survey.questions.remove(question)
    for position, item in enumerate(survey.questions):
        item.position = position
    audit.record("survey.question.delete", entity_type="survey_questions",
                 entity_id=question.id, before=before, station_id=survey.station_id)
    db.session.commit()


def missing_translations(survey: Survey) -> list[str]:
    """Every text that lacks a translation in one of the survey's languages."""
    names = language_names()
    missing = []
    for code in survey.languages:
        language = names.get(code, code)
        if not (survey.title or {}).get(code):
            missing.append(f"The title in {language}")
        for number, question in enumerate(survey.questions, start=1):
            if not question.prompt.get(code):
                missing.append(f"Question {number} in {language}")
            for option in question.options:
                if not option.label.get(code):
                    missing.append(f"Question {number}, option “{option.value}”, in {language}")
    return missing


def open_survey(survey: Survey) -> Survey:
    """Start taking responses; refused while any text lacks a translation."""
    if not survey.questions:
        raise SurveyError("Add at least one question before opening the survey.")
    missing = missing_translations(survey)
    if missing:
        raise SurveyError("The survey cannot open until every text is translated: "
                          + "; ".join(missing[:10]) + ("…" if len(missing) > 10 else "") + ".")
    return _set_status(survey, SurveyStatus.OPEN)


def close_survey(survey: Survey) -> Survey:
    """Stop taking responses."""
    return _set_status(survey, SurveyStatus.CLOSED)


def submit_response(survey: Survey, language: str, form: MultiDict[str, str], today: date
                    ) -> tuple[SurveyResponse | None, ReadAnswers]:
    """Check and store one anonymous response; nothing is stored when any answer is refused."""
    read = read_answers(list(survey.questions), form)
    if not read.is_valid:
        return None, read
    if not read.answers:
        if survey.questions:
            read.problems[survey.questions[0].id] = "empty"
        return None, read
    response = SurveyResponse(survey_id=survey.id, submitted_on=today,
                              language=language if language in survey.languages
                              else survey.default_language)
    response.answers = read.answers
    store_response(response)
    return response, read


def store_response(response: SurveyResponse) -> None:
    """Write one response in a short transaction of its own, or raise ResponseNotSavedError.

    The reads before it (the survey, its questions) end first, so they never hold or wait
    for the write lock; the write then takes the lock for its own few statements. Any
    database failure (the lock not free within the busy timeout, a full disk, a read-only
    file) is reported, never lost silently, and no answer is logged. After a failure the
    session's objects are expired: load the survey again to show the form.
    """
    session = db.session()
    try:
        with objects_kept_on_commit(session):  # the survey stays loaded for the redirect
            session.commit()
            with writing():
                session.add(response)
                session.commit()
    except DBAPIError as error:
        session.rollback()
        reason = str(error.orig).splitlines()[0][:200] if str(error.orig) else ""
        logger.warning("survey response not stored: %s %s", type(error.orig).__name__, reason)
        raise ResponseNotSavedError("Your answers could not be saved just now.") from error


def _set_status(survey: Survey, status: str) -> Survey:
    before = survey.audit_snapshot()
    survey.status = status
    audit.record(f"survey.{status}", survey, before=before, station_id=survey.station_id)
    db.session.commit()
    return survey


def _check_question(details: QuestionDetails) -> None:
    """Refuse a question its kind does not allow.

    The kind's options rule applies, and only kinds with an index score count toward an index.
    """
    if not QuestionKind.has_value(details.kind):
        raise SurveyError("Choose a kind of question.", "kind")
    if not IndexRole.has_value(details.index_role):
        raise SurveyError("Choose an index or none.", "index_role")
    rules = rules_for(details.kind)
    if details.index_role and rules.index_score is None:
        raise SurveyError("Only scale questions can count toward an index.", "index_role")
    if not any(text.strip() for text in details.prompt.values()):
        raise SurveyError("Write the question.", "prompt")
    problem = rules.options.problem(len(details.options))
    if problem:
        raise SurveyError(problem, "options")


def _require_editable(survey: Survey) -> None:
    if survey.status != SurveyStatus.DRAFT:
        raise SurveyError("Questions can change only while the survey is a draft; "
                          "responses already given would no longer match.")


def _check_dates(opens_on: date | None, closes_on: date | None) -> None:
    if opens_on and closes_on and closes_on < opens_on:
        raise SurveyError("The closing date cannot be before the opening date.", "closes_on")


def _clean_texts(texts: dict) -> dict:
    return {code: text.strip() for code, text in (texts or {}).items() if text and text.strip()}


def _code_from(prompt: dict, survey: Survey) -> str:
    base = _CODE.sub("_", next(iter(prompt.values()), "question").lower()).strip("_")[:30]
    existing = {question.code for question in survey.questions}
    code, number = base or "question", 2
    while code in existing:
        code, number = f"{base}_{number}", number + 1
    return code
