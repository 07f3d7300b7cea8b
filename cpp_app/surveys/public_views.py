"""The public survey form `/s/<slug>`: no account, the respondent's language, works without JS."""

from __future__ import annotations

from flask import Blueprint, abort, g, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_wtf.csrf import CSRFError, validate_csrf
from werkzeug.exceptions import HTTPException
from wtforms import ValidationError

from cpp_app.clock import today_local
from cpp_app.extensions import csrf, limiter
from cpp_app.i18n import shipped_locales
from cpp_app.surveys import services
from cpp_app.surveys.answers import ReadAnswers
from cpp_app.surveys.languages import choose_language
from cpp_app.surveys.models import SurveyAvailability

blueprint = Blueprint("survey_public", __name__)
blueprint.add_app_template_global(SurveyAvailability, "SurveyAvailability")

HONEYPOT_FIELD = "website"
SUBMIT_RATE_LIMIT = "30 per minute;300 per hour"
VIEW_RATE_LIMIT = "120 per minute"


@blueprint.route("/s/<slug>", methods=["GET", "POST"])
@limiter.limit(VIEW_RATE_LIMIT, methods=["GET"])
@limiter.limit(SUBMIT_RATE_LIMIT, methods=["POST"])
@csrf.exempt
def survey_form(slug: str) -> ResponseReturnValue:
    """Show the survey in the chosen language, check the answers, store a valid response."""
    survey = services.survey_with_questions(slug=slug) or abort(404)
    language = choose_language(survey, request)
    g.survey_language = language
    today = today_local()
    availability = survey.availability(today)
    if availability != SurveyAvailability.OPEN:
        return render_template("surveys/public_unavailable.html", survey=survey,
                               language=language, availability=availability), 200
    read, session_expired = ReadAnswers(), False
    if request.method == "POST":
        if request.form.get(HONEYPOT_FIELD):
            return redirect(url_for(".thanks", slug=slug, lang=language))
        try:
            validate_csrf(request.form.get("csrf_token"))
        except (ValidationError, CSRFError):
            session_expired = True
        else:
            response, read = services.submit_response(survey, language, request.form, today)
            if response is not None:
                return redirect(url_for(".thanks", slug=slug, lang=language))
    status = 400 if (read.problems or session_expired) else 200
    return render_template(
        "surveys/public_form.html", survey=survey, language=language, problems=read.problems,
        submitted=request.form if request.method == "POST" else None,
        session_expired=session_expired, honeypot_field=HONEYPOT_FIELD,
    ), status


@blueprint.route("/s/<slug>/thanks")
@limiter.limit(VIEW_RATE_LIMIT)
def thanks(slug: str) -> ResponseReturnValue:
    """The thank-you page, in the respondent's language."""
    survey = services.survey_with_questions(slug=slug) or abort(404)
    language = choose_language(survey, request)
    g.survey_language = language
    return render_template("surveys/public_thanks.html", survey=survey, language=language)


@blueprint.errorhandler(429)
def too_many_requests(_error: HTTPException) -> ResponseReturnValue:
    """Rate-limited respondents get a polite page in their language."""
    locales = shipped_locales()
    asked = request.values.get("lang", "")
    language = asked if asked in locales else \
        (request.accept_languages.best_match(locales) or "en")
    g.survey_language = language
    return render_template("surveys/public_rate_limited.html", language=language), 429
