"""Survey pages for staff: the builder, opening and closing, results, export and flyers."""

from __future__ import annotations

import segno
from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    render_template,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms.fields.choices import SelectChoice

from cpp_app.links import public_url
from cpp_app.permissions import (
    Action,
    can,
    can_manage_survey,
    can_view_survey,
    permission_required,
    station_scope,
)
from cpp_app.roles import Role
from cpp_app.stations.languages import language_code_for
from cpp_app.stations.scoping import station_choices, visible_stations
from cpp_app.surveys import services
from cpp_app.surveys.bursts import response_bursts
from cpp_app.surveys.export import responses_csv
from cpp_app.surveys.forms import NewSurveyForm, question_form_class, settings_form_class
from cpp_app.surveys.kinds import rules_for
from cpp_app.surveys.models import Survey, SurveyQuestion, SurveyStatus
from cpp_app.surveys.results import INDEX_FORMULA, compute_results
from cpp_app.viewhelpers import csv_download, optional_int, paginate, run_confirmed, submit_form

blueprint = Blueprint("surveys", __name__, url_prefix="/surveys")
blueprint.add_app_template_global(SurveyStatus, "SurveyStatus")

SURVEY_TEXTS = ("title", "introduction", "thank_you")


@blueprint.route("")
@permission_required(Action.VIEW_SURVEYS)
def survey_list() -> ResponseReturnValue:
    """Surveys within the user's reach, newest first, with response counts."""
    page = paginate(services.survey_query(station_scope(current_user)))
    counts = services.response_counts([survey.id for survey in page.items])
    return render_template("surveys/list.html", page=page, counts=counts)


@blueprint.route("/new", methods=["GET", "POST"])
@permission_required(Action.MANAGE_SURVEYS)
def survey_new() -> ResponseReturnValue:
    """Start a survey, from the template or blank."""
    form = NewSurveyForm()
    form.station_id.choices = _station_choices()
    if request.method == "GET" and current_user.station_id:
        form.station_id.data = str(current_user.station_id)
    done = submit_form(form, lambda: services.create_survey(
        _settings(form, form.languages.data), current_user.id,
        form.start_from.data == "template"),
        success="Survey created as a draft.", next_url=_detail_page)
    return done or render_template("surveys/new.html", form=form)


@blueprint.route("/<int:survey_id>")
@permission_required(Action.VIEW_SURVEYS)
def survey_detail(survey_id: int) -> ResponseReturnValue:
    """The builder: settings, questions, missing translations, and opening or closing."""
    survey = _survey_or_404(survey_id)
    return render_template(
        "surveys/detail.html", survey=survey, missing=services.missing_translations(survey),
        may_manage=can_manage_survey(current_user, survey),
        public_url=public_url("survey_public.survey_form", slug=survey.slug),
        response_count=services.response_counts([survey.id]).get(survey.id, 0),
    )


@blueprint.route("/<int:survey_id>/settings", methods=["GET", "POST"])
@permission_required(Action.MANAGE_SURVEYS)
def survey_settings(survey_id: int) -> ResponseReturnValue:
    """Edit the survey's station, languages, dates and texts."""
    survey = _survey_or_404(survey_id, manage=True)
    form = settings_form_class(survey.languages)(obj=survey)
    form.station_id.choices = _station_choices()
    if request.method == "GET":
        _fill_settings_form(form, survey)
    done = submit_form(form, lambda: services.update_settings(survey, _settings(
        form, form.languages_text.data, survey.languages)), success="Settings saved.",
        next_url=_detail_page, field_names={"languages": "languages_text"})
    return done or render_template("surveys/settings.html", form=form, survey=survey)


@blueprint.route("/<int:survey_id>/questions/new", methods=["GET", "POST"])
@blueprint.route("/<int:survey_id>/questions/<int:question_id>", methods=["GET", "POST"])
@permission_required(Action.MANAGE_SURVEYS)
def question_edit(survey_id: int, question_id: int | None = None) -> ResponseReturnValue:
    """Add or edit a question with its texts in every language of the survey."""
    survey = _survey_or_404(survey_id, manage=True)
    question = _question_or_404(survey, question_id) if question_id else None
    form = question_form_class(survey.languages)(obj=question)
    if request.method == "GET" and question is not None:
        _fill_question_form(form, survey, question)
    language = survey.default_language
    done = submit_form(
        form, lambda: services.save_question(survey, _question_details(form, survey), question),
        success="Question saved.", next_url=_detail_page(survey),
        field_names={"prompt": f"prompt_{language}", "options": f"options_{language}"})
    return done or render_template("surveys/question_form.html", form=form, survey=survey,
                                   question=question)


@blueprint.route("/<int:survey_id>/questions/<int:question_id>/move", methods=["POST"])
@permission_required(Action.MANAGE_SURVEYS)
def question_move(survey_id: int, question_id: int) -> ResponseReturnValue:
    """Move a question up or down."""
    survey = _survey_or_404(survey_id, manage=True)
    question = _question_or_404(survey, question_id)
    offset = -1 if request.form.get("direction") == "up" else 1
    return run_confirmed(lambda: services.move_question(survey, question, offset),
                         success="Question moved.", next_url=_detail_page(survey))


@blueprint.route("/<int:survey_id>/questions/<int:question_id>/delete",
                 methods=["GET", "POST"])
@permission_required(Action.MANAGE_SURVEYS)
def question_delete(survey_id: int, question_id: int) -> ResponseReturnValue:
    """Confirm, then remove a question."""
    survey = _survey_or_404(survey_id, manage=True)
    question = _question_or_404(survey, question_id)
    if request.method == "POST":
        return run_confirmed(lambda: services.remove_question(survey, question),
                             success="Question removed.", next_url=_detail_page(survey))
    return render_template("surveys/question_delete.html", survey=survey,
                           question=question)


@blueprint.route("/<int:survey_id>/open", methods=["POST"])
@permission_required(Action.MANAGE_SURVEYS)
def survey_open(survey_id: int) -> ResponseReturnValue:
    """Open the survey (refused while a translation is missing)."""
    survey = _survey_or_404(survey_id, manage=True)
    return run_confirmed(lambda: services.open_survey(survey), success="The survey is open.",
                         next_url=_detail_page(survey))


@blueprint.route("/<int:survey_id>/close", methods=["POST"])
@permission_required(Action.MANAGE_SURVEYS)
def survey_close(survey_id: int) -> ResponseReturnValue:
    """Close the survey."""
    survey = _survey_or_404(survey_id, manage=True)
    return run_confirmed(lambda: services.close_survey(survey), success="The survey is closed.",
                         next_url=_detail_page(survey))


@blueprint.route("/<int:survey_id>/results")
@permission_required(Action.VIEW_SURVEYS)
def survey_results(survey_id: int) -> ResponseReturnValue:
    """Distributions, means, indices with their formula, languages, neighbourhoods, texts."""
    survey = _survey_or_404(survey_id)
    results = compute_results(survey, min_count=1, include_texts=True)
    return render_template("surveys/results.html", survey=survey, results=results,
                           formula=INDEX_FORMULA, bursts=response_bursts(survey.id),
                           may_promote=survey.station_id is not None
                           and can(current_user, Action.EDIT_PLANS, survey.station_id),
                           public_minimum=current_app.config["CPP_MIN_PUBLIC_COUNT"])


@blueprint.route("/<int:survey_id>/responses.csv")
@permission_required(Action.VIEW_SURVEYS)
def survey_export(survey_id: int) -> Response:
    """Every response as CSV, one row per response, safe to open in a spreadsheet."""
    survey = _survey_or_404(survey_id)
    return csv_download(responses_csv(survey), f"survey-{survey.slug}-responses.csv")


@blueprint.route("/<int:survey_id>/flyer/<language>")
@permission_required(Action.VIEW_SURVEYS)
def survey_flyer(survey_id: int, language: str) -> ResponseReturnValue:
    """A printable flyer in one language with a QR code of the survey's link."""
    survey = _survey_or_404(survey_id)
    if language not in survey.languages:
        abort(404)
    link = public_url("survey_public.survey_form", slug=survey.slug, lang=language)
    qr_image = segno.make(link, error="m").svg_data_uri(scale=6, border=2)
    return render_template("surveys/flyer.html", survey=survey, language=language, link=link,
                           qr_image=qr_image)


def _survey_or_404(survey_id: int, manage: bool = False) -> Survey:
    survey = services.survey_with_questions(survey_id=survey_id) or abort(404)
    allowed = can_manage_survey(current_user, survey) if manage else \
        can_view_survey(current_user, survey)
    if not allowed:
        abort(403)
    return survey


def _question_or_404(survey: Survey, question_id: int) -> SurveyQuestion:
    question = next((q for q in survey.questions if q.id == question_id), None)
    return question or abort(404)


def _station_choices() -> list[SelectChoice]:
    empty = "Department-wide" if current_user.role == Role.ADMIN else None
    return station_choices(visible_stations(), empty)


def _may_use_station(station_id: int | None) -> bool:
    if current_user.role == Role.ADMIN:
        return True
    return station_id is not None and station_id == current_user.station_id


def _split_codes(text: str) -> list[str]:
    """Language codes from text giving each by code or English name ('en, Spanish; ko')."""
    return [language_code_for(item) or item.strip()
            for item in (text or "").replace(";", ",").split(",")]


def _fill_question_form(form: FlaskForm, survey: Survey, question: SurveyQuestion) -> None:
    for code in survey.languages:
        form[f"prompt_{code}"].data = question.prompt.get(code, "")
        form[f"help_{code}"].data = (question.help_text or {}).get(code, "")
        form[f"options_{code}"].data = "\n".join(o.label.get(code, "") for o in question.options)


def _question_details(form: FlaskForm, survey: Survey) -> services.QuestionDetails:
    lines = {code: [line.strip() for line in (form[f"options_{code}"].data or "").splitlines()]
             for code in survey.languages}
    main = [line for line in lines[survey.default_language] if line]
    options_rule = rules_for(form.kind.data).options
    options = []
    for position, label in enumerate(main):
        value = options_rule.value_at(position)
        labels = {code: (lines[code][position] if position < len(lines[code]) else "")
                  for code in survey.languages}
        labels[survey.default_language] = label
        options.append((value, labels))
    return services.QuestionDetails(
        kind=form.kind.data, required=form.required.data,
        index_role=form.index_role.data or "",
        prompt={code: form[f"prompt_{code}"].data or "" for code in survey.languages},
        help_text={code: form[f"help_{code}"].data or "" for code in survey.languages},
        options=options,
    )


def _detail_page(survey: Survey) -> str:
    return url_for("surveys.survey_detail", survey_id=survey.id)


def _settings(form: FlaskForm, languages_text: str, text_languages: list[str] | None = None
              ) -> services.SurveySettings:
    """The settings a new-survey or settings form describes, for the station the user may use.

    `text_languages` are the languages whose title, introduction and thank-you texts the form
    carries (none on the new-survey form).
    """
    station_id = optional_int(form.station_id.data)
    if not _may_use_station(station_id):
        raise services.SurveyError("You can use only your own station.", "station_id")
    texts = {name: {code: form[f"{name}_{code}"].data or "" for code in text_languages or []}
             for name in SURVEY_TEXTS}
    return services.SurveySettings(
        station_id=station_id, languages=_split_codes(languages_text),
        opens_on=form.opens_on.data, closes_on=form.closes_on.data,
        allow_repeat_responses=bool(form.allow_repeat_responses.data), **texts)


def _fill_settings_form(form: FlaskForm, survey: Survey) -> None:
    form.station_id.data = str(survey.station_id or "")
    form.languages_text.data = ", ".join(survey.languages)
    for code in survey.languages:
        for name in SURVEY_TEXTS:
            form[f"{name}_{code}"].data = (getattr(survey, name) or {}).get(code, "")
