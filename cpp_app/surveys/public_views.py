"""The public survey form `/s/<slug>`: no account, the respondent's language, works without JS.

No response id ever appears in an address: after a response is stored the respondent goes to
`/s/<slug>/thanks`, so access logs cannot tie a client to a response.
"""

from __future__ import annotations

from flask import Blueprint, abort, current_app, g, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_wtf.csrf import CSRFError, validate_csrf
from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Response
from wtforms import ValidationError

from cpp_app.clock import today_local
from cpp_app.database import reads_only
from cpp_app.extensions import csrf, limiter
from cpp_app.i18n import shipped_locales
from cpp_app.surveys import devices, services
from cpp_app.surveys.languages import choose_language
from cpp_app.surveys.models import Survey, SurveyAvailability

blueprint = Blueprint("survey_public", __name__)
blueprint.add_app_template_global(SurveyAvailability, "SurveyAvailability")

HONEYPOT_FIELD = "website"
SUBMIT_RATE_LIMIT = "30 per minute;300 per hour"
VIEW_RATE_LIMIT = "120 per minute"
FORM_ENDPOINT = "survey_public.survey_form"
# The form's own transaction only reads; a response is written in a short one of its own.
reads_only(FORM_ENDPOINT)


def stored_response_limit() -> str:
    """Responses one client address may store (CPP_SURVEY_RESPONSE_RATE_LIMIT)."""
    return current_app.config["CPP_SURVEY_RESPONSE_RATE_LIMIT"]


def _stored_a_response(_response: Response) -> bool:
    return bool(g.get("survey_response_stored"))


@blueprint.route("/s/<slug>", methods=["GET", "POST"])
@limiter.limit(VIEW_RATE_LIMIT, methods=["GET"])
@limiter.limit(SUBMIT_RATE_LIMIT, methods=["POST"])
@limiter.limit(stored_response_limit, methods=["POST"], deduct_when=_stored_a_response,
               scope="survey-stored-responses")
@csrf.exempt
def survey_form(slug: str) -> ResponseReturnValue:
    """Show the survey in the chosen language, check the answers, store a valid response."""
    survey, language = _survey_in_language(slug)
    availability = survey.availability(today_local())
    if availability != SurveyAvailability.OPEN:
        return render_template("surveys/public_unavailable.html", survey=survey,
                               language=language, availability=availability), 200
    if not survey.allow_repeat_responses and devices.has_answered(request, survey.id):
        return render_template("surveys/public_answered.html", survey=survey,
                               language=language), 409 if request.method == "POST" else 200
    if request.method == "POST":
        return _take_answers(survey, language)
    return _form_page(survey, language)


@blueprint.route("/s/<slug>/thanks")
@limiter.limit(VIEW_RATE_LIMIT)
def thanks(slug: str) -> ResponseReturnValue:
    """The thank-you page, in the respondent's language."""
    survey, language = _survey_in_language(slug)
    return render_template("surveys/public_thanks.html", survey=survey, language=language)


@blueprint.errorhandler(429)
def too_many_requests(_error: HTTPException) -> ResponseReturnValue:
    """Rate-limited respondents get a polite page in their language, with their answers kept."""
    survey = _posted_survey()
    if survey is not None:
        language = choose_language(survey, request)
        g.survey_language = language
        return _form_page(survey, language, notice="rate_limited", status=429)
    locales = shipped_locales()
    asked = request.values.get("lang", "")
    language = asked if asked in locales else \
        (request.accept_languages.best_match(locales) or "en")
    g.survey_language = language
    return render_template("surveys/public_rate_limited.html", language=language), 429


def _survey_in_language(slug: str) -> tuple[Survey, str]:
    """The survey at `slug` (or 404) and the language to show it in."""
    survey = services.survey_with_questions(slug=slug) or abort(404)
    language = choose_language(survey, request)
    g.survey_language = language
    return survey, language


def _take_answers(survey: Survey, language: str) -> ResponseReturnValue:
    """Read a submission: thank and remember the device, or show the form again with why."""
    if request.form.get(HONEYPOT_FIELD):
        return redirect(url_for(".thanks", slug=survey.slug, lang=language))
    try:
        validate_csrf(request.form.get("csrf_token"))
    except (ValidationError, CSRFError):
        return _form_page(survey, language, notice="session_expired", status=400)
    try:
        response, read = services.submit_response(survey, language, request.form,
                                                  today_local())
    except services.ResponseNotSavedError:
        survey, language = _survey_in_language(survey.slug)  # loaded again after the rollback
        return _form_page(survey, language, notice="not_saved", status=503)
    if response is None:
        return _form_page(survey, language, problems=read.problems, status=400)
    g.survey_response_stored = True
    done = redirect(url_for(".thanks", slug=survey.slug, lang=language))
    devices.remember_answered(done, request, survey.id)
    return done


def _form_page(survey: Survey, language: str, *, problems: dict | None = None,
               notice: str = "", status: int = 200) -> ResponseReturnValue:
    """The form, with what was sent (if anything), the problems and a notice."""
    return render_template(
        "surveys/public_form.html", survey=survey, language=language, problems=problems or {},
        submitted=request.form if request.method == "POST" else None, notice=notice,
        honeypot_field=HONEYPOT_FIELD,
    ), status


def _posted_survey() -> Survey | None:
    """The open survey a rate-limited POST was sent to, to show its form again."""
    if request.method != "POST" or request.endpoint != FORM_ENDPOINT:
        return None
    survey = services.survey_with_questions(slug=(request.view_args or {}).get("slug"))
    if survey is None or survey.availability(today_local()) != SurveyAvailability.OPEN:
        return None
    return survey
