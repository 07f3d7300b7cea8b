"""Reports: PDF downloads, the annual report as a page, and requests for large PDFs.

The large PDFs are rendered outside the request.
"""

from __future__ import annotations

from flask import Blueprint, Response, abort, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from cpp_app.clock import today_local
from cpp_app.extensions import db
from cpp_app.permissions import (
    Action,
    can,
    can_view_survey,
    permission_required,
    require,
    station_scope,
)
from cpp_app.reports import jobs, services
from cpp_app.reports.forms import ReportRequestForm
from cpp_app.reports.models import QueuedReport, ReportJob, ReportJobStatus
from cpp_app.reports.pdf import render_pdf
from cpp_app.stations.models import Station
from cpp_app.stations.scoping import visible_stations
from cpp_app.surveys.services import survey_with_questions
from cpp_app.updates.models import PlanUpdate
from cpp_app.viewhelpers import submit_form

blueprint = Blueprint("reports", __name__, url_prefix="/reports")
blueprint.add_app_template_global(ReportJobStatus, "ReportJobStatus")


@blueprint.route("", methods=["GET", "POST"])
@permission_required(Action.VIEW_DASHBOARD)
def index() -> ResponseReturnValue:
    """The reports the user may download, and a form to prepare a large one."""
    today = today_local()
    form = ReportRequestForm(year=today.year)
    form.report.choices = [(report.value, report.label) for report in QueuedReport
                           if _may_see_report(report)]
    done = submit_form(
        form, lambda: jobs.request_report(current_user.id, form.report.data, form.year.data,
                                          today),
        success="", next_url=lambda job: url_for("reports.job_detail", job_id=job.id),
        redirect_code=303)
    return done or render_template("reports/index.html", stations=visible_stations(), form=form,
                           year=today.year, jobs=jobs.recent_jobs(current_user.id))


@blueprint.route("/annual/<int:year>")
@permission_required(Action.VIEW_DASHBOARD)
def annual_page(year: int) -> str:
    """The annual report as a page, with the same charts as the PDF."""
    if not jobs.FIRST_REPORT_YEAR <= year <= today_local().year:
        abort(404)
    return render_template("reports/annual_page.html", **services.annual_context(year))


@blueprint.route("/requests/<int:job_id>")
@permission_required(Action.VIEW_DASHBOARD)
def job_detail(job_id: int) -> str:
    """Where a requested report stands, with its download once it is ready."""
    return render_template("reports/job.html", job=_visible_job(job_id))


@blueprint.route("/requests/<int:job_id>.pdf")
@permission_required(Action.VIEW_DASHBOARD)
def job_pdf(job_id: int) -> Response:
    """Download a prepared report."""
    job = _visible_job(job_id)
    if job.status != ReportJobStatus.DONE or job.pdf is None:
        abort(404)
    return _pdf_response(job.pdf, job.filename)


@blueprint.route("/plan/<int:station_id>.pdf")
@permission_required(Action.VIEW_PLANS)
def plan_pdf(station_id: int) -> Response:
    """The station's plan as PDF (small enough to render in the request)."""
    station = db.get_or_404(Station, station_id)
    require(Action.VIEW_PLANS, station.id)
    try:
        context = services.plan_context(station)
    except LookupError:
        abort(404)
    return _render("reports/plan.html", context, f"plan-{station.code}.pdf")


@blueprint.route("/survey/<int:survey_id>/flyer-<language>.pdf")
@permission_required(Action.VIEW_SURVEYS)
def survey_flyer_pdf(survey_id: int, language: str) -> Response:
    """A survey's QR flyer in one of its languages as PDF, ready to print."""
    survey = survey_with_questions(survey_id=survey_id) or abort(404)
    if not can_view_survey(current_user, survey):
        abort(403)
    if language not in survey.languages:
        abort(404)
    link = url_for("survey_public.survey_form", slug=survey.slug, lang=language, _external=True)
    return _render("reports/flyer.html", services.flyer_context(survey, language, link),
                   f"flyer-{survey.slug}-{language}.pdf")


@blueprint.route("/update/<int:update_id>.pdf")
@permission_required(Action.VIEW_PLANS)
def update_pdf(update_id: int) -> Response:
    """A semi-annual update as PDF (small enough to render in the request)."""
    update = db.get_or_404(PlanUpdate, update_id)
    require(Action.VIEW_PLANS, update.station_id)
    return _render("reports/update.html", services.update_context(update.id),
                   f"update-{update.id}.pdf")


def _may_see_report(report: str) -> bool:
    """Annual reports hold aggregates only; the training report names members department-wide."""
    if report == QueuedReport.TRAINING:
        return can(current_user, Action.VIEW_TRAINING) and station_scope(current_user) is None
    return True


def _visible_job(job_id: int) -> ReportJob:
    """The job, if the current user may see that kind of report.

    Any requester's job will do: the report is the same whoever asked.
    """
    job = db.get_or_404(ReportJob, job_id)
    if not _may_see_report(job.report):
        abort(403)
    return job


def _render(template: str, context: dict, filename: str) -> Response:
    pdf = render_pdf(template, generated_on=today_local().isoformat(), **context)
    return _pdf_response(pdf, filename)


def _pdf_response(pdf: bytes, filename: str) -> Response:
    disposition = "inline" if request.args.get("inline") else "attachment"
    return Response(pdf, mimetype="application/pdf",
                    headers={"Content-Disposition": f'{disposition}; filename="{filename}"'})
