"""The public pages: a station's published plan and updates, no login needed.

Pages are in the visitor's language (?lang=, else the browser's Accept-Language, else English),
as the survey pages are.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, abort, g, render_template, request, url_for
from werkzeug.exceptions import HTTPException

from cpp_app.clock import today_local
from cpp_app.extensions import limiter
from cpp_app.i18n import asked_language, public_language, shipped_locales
from cpp_app.public import services
from cpp_app.public.errors import public_error_page
from cpp_app.public.localized import meeting_time, month_year, public_label
from cpp_app.public.open_data import DATASETS, dataset_csv
from cpp_app.reports.pdf import render_pdf
from cpp_app.stations.services import all_stations
from cpp_app.viewhelpers import csv_download

blueprint = Blueprint("public", __name__)

PUBLIC_RATE_LIMIT = "120 per minute"
PDF_RATE_LIMIT = "10 per minute"


@blueprint.url_value_preprocessor
def use_visitor_language(_endpoint: str | None, _values: dict[str, Any] | None) -> None:
    """Choose the page language before anything runs, so even the rate limiter's page has it.

    `g.survey_language` is what the app's locale selector reads for every public page.
    """
    g.asked_language = asked_language(request)
    g.survey_language = public_language(request)


@blueprint.url_defaults
def keep_chosen_language(_endpoint: str, values: dict[str, Any]) -> None:
    """Links between portal pages keep a language the visitor picked with ?lang=."""
    if g.get("asked_language"):
        values.setdefault("lang", g.asked_language)


@blueprint.context_processor
def language_helpers() -> dict:
    """The page language for <html lang>, the language switcher and the localised words."""
    return {"page_language": g.survey_language, "language_links": language_links(),
            "public_label": public_label, "month_year": month_year,
            "meeting_time": meeting_time}


def language_links() -> list[tuple[str, str]]:
    """This page in every shipped language: (language code, address)."""
    here = dict(request.view_args or {})
    return [(code, url_for(request.endpoint, **here, lang=code)) for code in shipped_locales()]


@blueprint.errorhandler(403)
@blueprint.errorhandler(404)
@blueprint.errorhandler(429)
@blueprint.errorhandler(500)
def public_error(error: HTTPException) -> tuple[str, int]:
    """Error pages in the visitor's language (the app's handler does the same off-blueprint)."""
    code = error.code or 500
    return public_error_page(code) or render_template("public/error.html", code=code), code


@blueprint.route("/stations/<code>")
@limiter.limit(PUBLIC_RATE_LIMIT)
def station(code: str) -> str:
    """A station's published plan and its published updates."""
    station = services.station_by_code(code) or abort(404)
    public_updates = services.published_updates(station.id)
    return render_template(
        "public/station.html", station=station,
        public_plan=services.published_plan(station.id), public_updates=public_updates,
        you_said=services.you_said_we_did(public_updates),
        whats_on=services.whats_on(today_local(), station.id),
    )


@blueprint.route("/stations/<code>/plan.pdf")
@limiter.limit(PDF_RATE_LIMIT)
def station_plan_pdf(code: str) -> Response:
    """A station's published plan as PDF, in the visitor's language."""
    station = services.station_by_code(code) or abort(404)
    public_plan = services.published_plan(station.id) or abort(404)
    pdf = render_pdf("public/plan_pdf.html", station=station, public_plan=public_plan,
                     you_said=services.you_said_we_did(services.published_updates(station.id)),
                     generated_on=today_local())
    filename = f"plan-{station.code}-{g.survey_language}.pdf"
    return Response(pdf, mimetype="application/pdf",
                    headers={"Content-Disposition": f'inline; filename="{filename}"'})


@blueprint.route("/portal")
@limiter.limit(PUBLIC_RATE_LIMIT)
def home() -> str:
    """The public portal: every station's plan, the dashboard and the open data."""
    return render_template("public/home.html", stations=all_stations(),
                           whats_on=services.whats_on(today_local()))


@blueprint.route("/portal/dashboard")
@limiter.limit(PUBLIC_RATE_LIMIT)
def dashboard() -> str:
    """Department figures for the public; small groups are suppressed."""
    return render_template("public/dashboard.html",
                           data=services.public_dashboard(today_local()))


@blueprint.route("/open-data")
@limiter.limit(PUBLIC_RATE_LIMIT)
def open_data() -> str:
    """The data dictionary and the download links."""
    return render_template("public/open_data.html", datasets=DATASETS.values())


@blueprint.route("/open-data/<name>.csv")
@limiter.limit(PUBLIC_RATE_LIMIT)
def open_data_csv(name: str) -> Response:
    """One dataset as CSV."""
    if name not in DATASETS:
        abort(404)
    return csv_download(dataset_csv(name), f"{name}.csv")
