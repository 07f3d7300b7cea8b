"""Survey pages for staff: the builder, opening and closing, results, export and flyers."""

from __future__ import annotations

import segno
from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user

from cpp_app.extensions import db
from cpp_app.forms import ConfirmForm
from cpp_app.permissions import (
    Action,
    can,
    can_manage_survey,
    can_view_survey,
    permission_required,
    require,
    station_scope,
)
from cpp_app.plans.models import PRIORITY_KINDS
from cpp_app.plans.services import PlanError
from cpp_app.roles import Role
from cpp_app.surveys import services
from cpp_app.surveys.export import responses_csv
from cpp_app.surveys.forms import NewSurveyForm, question_form_class, settings_form_class
from cpp_app.surveys.models import Survey, SurveyQuestion
from cpp_app.surveys.results import INDEX_FORMULA, compute_results
from cpp_app.viewhelpers import (
    form_errors_to_field,
    optional_int,
    paginate,
    station_choices,
    visible_stations,
)

blueprint = Blueprint("surveys", __name__, url_prefix="/surveys")


@blueprint.route("")
@permission_required(Action.VIEW_SURVEYS)
def survey_list():
    """Surveys within the user's reach, newest first, with response counts."""
    page = paginate(services.survey_query(station_scope(current_user)))
    counts = services.response_counts([survey.id for survey in page.items])
    return render_template("surveys/list.html", page=page, counts=counts)


@blueprint.route("/new", methods=["GET", "POST"])
@permission_required(Action.MANAGE_SURVEYS)
def survey_new():
    """Start a survey, from the template or blank."""
    form = NewSurveyForm()
    form.station_id.choices = _station_choices()
    if request.method == "GET" and current_user.station_id:
        form.station_id.data = str(current_user.station_id)
    if form.validate_on_submit():
        station_id = optional_int(form.station_id.data)
        if not _may_use_station(station_id):
            form.station_id.errors.append("You can create surveys only for your own station.")
        else:
            settings = services.SurveySettings(
                station_id=station_id, languages=_split_codes(form.languages.data),
                opens_on=form.opens_on.data, closes_on=form.closes_on.data,
                title={}, introduction={}, thank_you={})
            try:
                survey = services.create_survey(settings, current_user.id,
                                                form.start_from.data == "template")
            except services.SurveyError as error:
                db.session.rollback()
                form_errors_to_field(form, error)
            else:
                flash("Survey created as a draft.", "success")
                return redirect(url_for("surveys.survey_detail", survey_id=survey.id))
    return render_template("surveys/new.html", form=form)


@blueprint.route("/<int:survey_id>")
@permission_required(Action.VIEW_SURVEYS)
def survey_detail(survey_id: int):
    """The builder: settings, questions, missing translations, and opening or closing."""
    survey = _survey_or_404(survey_id)
    return render_template(
        "surveys/detail.html", survey=survey, missing=services.missing_translations(survey),
        may_manage=can_manage_survey(current_user, survey), confirm_form=ConfirmForm(),
        public_url=url_for("survey_public.survey_form", slug=survey.slug, _external=True),
        response_count=services.response_counts([survey.id]).get(survey.id, 0),
    )


@blueprint.route("/<int:survey_id>/settings", methods=["GET", "POST"])
@permission_required(Action.MANAGE_SURVEYS)
def survey_settings(survey_id: int):
    """Edit the survey's station, languages, dates and texts."""
    survey = _survey_or_404(survey_id, manage=True)
    form = settings_form_class(survey.languages)(obj=survey)
    form.station_id.choices = _station_choices()
    if request.method == "GET":
        form.station_id.data = str(survey.station_id or "")
        form.languages_text.data = ", ".join(survey.languages)
        for code in survey.languages:
            for name in ("title", "introduction", "thank_you"):
                form[f"{name}_{code}"].data = (getattr(survey, name) or {}).get(code, "")
    if form.validate_on_submit():
        station_id = optional_int(form.station_id.data)
        if not _may_use_station(station_id):
            form.station_id.errors.append("You can use only your own station.")
        else:
            texts = {name: {code: form[f"{name}_{code}"].data or ""
                            for code in survey.languages}
                     for name in ("title", "introduction", "thank_you")}
            settings = services.SurveySettings(
                station_id=station_id, languages=_split_codes(form.languages_text.data),
                opens_on=form.opens_on.data, closes_on=form.closes_on.data, **texts)
            try:
                services.update_settings(survey, settings)
            except services.SurveyError as error:
                db.session.rollback()
                form_errors_to_field(form, _settings_field(error))
            else:
                flash("Settings saved.", "success")
                return redirect(url_for("surveys.survey_detail", survey_id=survey.id))
    return render_template("surveys/settings.html", form=form, survey=survey)


@blueprint.route("/<int:survey_id>/questions/new", methods=["GET", "POST"])
@blueprint.route("/<int:survey_id>/questions/<int:question_id>", methods=["GET", "POST"])
@permission_required(Action.MANAGE_SURVEYS)
def question_edit(survey_id: int, question_id: int | None = None):
    """Add or edit a question with its texts in every language of the survey."""
    survey = _survey_or_404(survey_id, manage=True)
    question = _question_or_404(survey, question_id) if question_id else None
    form = question_form_class(survey.languages)(obj=question)
    if request.method == "GET" and question is not None:
        _fill_question_form(form, survey, question)
    if form.validate_on_submit():
        try:
            services.save_question(survey, _question_details(form, survey), question)
        except services.SurveyError as error:
            db.session.rollback()
            form_errors_to_field(form, _question_field(error, survey))
        else:
            flash("Question saved.", "success")
            return redirect(url_for("surveys.survey_detail", survey_id=survey.id))
    return render_template("surveys/question_form.html", form=form, survey=survey,
                           question=question)


@blueprint.route("/<int:survey_id>/questions/<int:question_id>/move", methods=["POST"])
@permission_required(Action.MANAGE_SURVEYS)
def question_move(survey_id: int, question_id: int):
    """Move a question up or down."""
    survey = _survey_or_404(survey_id, manage=True)
    question = _question_or_404(survey, question_id)
    if ConfirmForm().validate_on_submit():
        _attempt(services.move_question, survey, question,
                 -1 if request.form.get("direction") == "up" else 1)
    return redirect(url_for("surveys.survey_detail", survey_id=survey.id))


@blueprint.route("/<int:survey_id>/questions/<int:question_id>/delete",
                 methods=["GET", "POST"])
@permission_required(Action.MANAGE_SURVEYS)
def question_delete(survey_id: int, question_id: int):
    """Confirm, then remove a question."""
    survey = _survey_or_404(survey_id, manage=True)
    question = _question_or_404(survey, question_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        if _attempt(services.remove_question, survey, question):
            flash("Question removed.", "success")
        return redirect(url_for("surveys.survey_detail", survey_id=survey.id))
    return render_template("surveys/question_delete.html", form=form, survey=survey,
                           question=question)


@blueprint.route("/<int:survey_id>/open", methods=["POST"])
@permission_required(Action.MANAGE_SURVEYS)
def survey_open(survey_id: int):
    """Open the survey (refused while a translation is missing)."""
    survey = _survey_or_404(survey_id, manage=True)
    if ConfirmForm().validate_on_submit() and _attempt(services.open_survey, survey):
        flash("The survey is open.", "success")
    return redirect(url_for("surveys.survey_detail", survey_id=survey.id))


@blueprint.route("/<int:survey_id>/close", methods=["POST"])
@permission_required(Action.MANAGE_SURVEYS)
def survey_close(survey_id: int):
    """Close the survey."""
    survey = _survey_or_404(survey_id, manage=True)
    if ConfirmForm().validate_on_submit() and _attempt(services.close_survey, survey):
        flash("The survey is closed.", "success")
    return redirect(url_for("surveys.survey_detail", survey_id=survey.id))


@blueprint.route("/<int:survey_id>/results")
@permission_required(Action.VIEW_SURVEYS)
def survey_results(survey_id: int):
    """Distributions, means, indices with their formula, languages, neighbourhoods, texts."""
    survey = _survey_or_404(survey_id)
    results = compute_results(survey, min_count=1, include_texts=True)
    return render_template("surveys/results.html", survey=survey, results=results,
                           formula=INDEX_FORMULA, confirm_form=ConfirmForm(),
                           priority_kinds=PRIORITY_KINDS,
                           may_promote=survey.station_id is not None
                           and can(current_user, Action.EDIT_PLANS, survey.station_id),
                           public_minimum=current_app.config["CPP_MIN_PUBLIC_COUNT"])


@blueprint.route("/<int:survey_id>/promote", methods=["POST"])
@permission_required(Action.EDIT_PLANS)
def survey_promote(survey_id: int):
    """Make a finding of the survey a priority of the station's plan (or of its update)."""
    survey = _survey_or_404(survey_id)
    if survey.station_id is not None:
        require(Action.EDIT_PLANS, survey.station_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    kind = request.form.get("kind", "")
    if kind not in PRIORITY_KINDS or not request.form.get("title", "").strip():
        flash("Choose the kind of priority and give it a title.", "danger")
        return redirect(url_for("surveys.survey_results", survey_id=survey.id))
    try:
        where = services.promote_result(
            survey, request.form["title"], kind, request.form.get("evidence", ""),
            optional_int(request.form.get("question_id")))
    except (services.SurveyError, PlanError) as error:
        db.session.rollback()
        flash(str(error), "danger")
    else:
        flash("Added to the draft plan's priorities." if where == "plan" else
              "Proposed as a new priority in the update in progress.", "success")
    return redirect(url_for("surveys.survey_results", survey_id=survey.id))


@blueprint.route("/<int:survey_id>/responses.csv")
@permission_required(Action.VIEW_SURVEYS)
def survey_export(survey_id: int):
    """Every response as CSV, one row per response, safe to open in a spreadsheet."""
    survey = _survey_or_404(survey_id)
    return Response(
        responses_csv(survey), mimetype="text/csv",
        headers={"Content-Disposition":
                 f'attachment; filename="survey-{survey.slug}-responses.csv"'})


@blueprint.route("/<int:survey_id>/flyer/<language>")
@permission_required(Action.VIEW_SURVEYS)
def survey_flyer(survey_id: int, language: str):
    """A printable flyer in one language with a QR code of the survey's link."""
    survey = _survey_or_404(survey_id)
    if language not in survey.languages:
        abort(404)
    link = url_for("survey_public.survey_form", slug=survey.slug, lang=language, _external=True)
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


def _station_choices():
    empty = "Department-wide" if current_user.role == Role.ADMIN else None
    return station_choices(visible_stations(), empty)


def _may_use_station(station_id: int | None) -> bool:
    if current_user.role == Role.ADMIN:
        return True
    return station_id is not None and station_id == current_user.station_id


def _split_codes(text: str) -> list[str]:
    return [code.strip().lower() for code in (text or "").replace(";", ",").split(",")]


def _fill_question_form(form, survey: Survey, question: SurveyQuestion) -> None:
    for code in survey.languages:
        form[f"prompt_{code}"].data = question.prompt.get(code, "")
        form[f"help_{code}"].data = (question.help_text or {}).get(code, "")
        form[f"options_{code}"].data = "\n".join(o.label.get(code, "") for o in question.options)


def _question_details(form, survey: Survey) -> services.QuestionDetails:
    lines = {code: [line.strip() for line in (form[f"options_{code}"].data or "").splitlines()]
             for code in survey.languages}
    main = [line for line in lines[survey.default_language] if line]
    options = []
    for position, label in enumerate(main):
        value = str(position + 1) if form.kind.data == "agree5" else f"o{position + 1}"
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


def _question_field(error: services.SurveyError, survey: Survey) -> services.SurveyError:
    if error.field in {"prompt", "options"}:
        error.field = f"{error.field}_{survey.default_language}"
    return error


def _settings_field(error: services.SurveyError) -> services.SurveyError:
    if error.field == "languages":
        error.field = "languages_text"
    return error


def _attempt(action, *args) -> bool:
    try:
        action(*args)
    except services.SurveyError as error:
        db.session.rollback()
        flash(str(error), "danger")
        return False
    return True
