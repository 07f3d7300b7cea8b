"""PDF downloads: a station's plan, an update, the training report, the annual report."""

from __future__ import annotations

from flask import Blueprint, Response, abort, render_template, request
from flask_login import current_user

from cpp_app.auth.permissions import Action, permission_required, require, station_scope
from cpp_app.extensions import db
from cpp_app.plans.models import PlanUpdate
from cpp_app.reports import services
from cpp_app.reports.pdf import render_pdf
from cpp_app.stations.models import Station
from cpp_app.viewhelpers import today_local, visible_stations

blueprint = Blueprint("reports", __name__, url_prefix="/reports")


@blueprint.route("")
@permission_required(Action.VIEW_DASHBOARD)
def index():
    """The reports the user may download."""
    return render_template("reports/index.html", stations=visible_stations(),
                           year=today_local().year)


@blueprint.route("/plan/<int:station_id>.pdf")
@permission_required(Action.VIEW_PLANS)
def plan_pdf(station_id: int):
    """The station's plan as PDF."""
    station = db.get_or_404(Station, station_id)
    require(Action.VIEW_PLANS, station.id)
    try:
        context = services.plan_context(station)
    except LookupError:
        abort(404)
    return _pdf("reports/plan.html", context, f"plan-{station.code}.pdf")


@blueprint.route("/update/<int:update_id>.pdf")
@permission_required(Action.VIEW_PLANS)
def update_pdf(update_id: int):
    """A semi-annual update as PDF."""
    update = db.get_or_404(PlanUpdate, update_id)
    require(Action.VIEW_PLANS, update.station_id)
    return _pdf("reports/update.html", services.update_context(update.id),
                f"update-{update.id}.pdf")


@blueprint.route("/training.pdf")
@permission_required(Action.VIEW_TRAINING)
def training_pdf():
    """The training compliance report as PDF."""
    if station_scope(current_user) is not None:
        abort(403)  # the report covers every station
    return _pdf("reports/training.html", services.training_context(today_local()),
                "training-compliance.pdf")


@blueprint.route("/annual/<int:year>.pdf")
@permission_required(Action.VIEW_DASHBOARD)
def annual_pdf(year: int):
    """The department's annual report as PDF (aggregates only; small groups suppressed)."""
    if not 2000 <= year <= today_local().year:
        abort(404)
    return _pdf("reports/annual.html", services.annual_context(year),
                f"annual-report-{year}.pdf")


def _pdf(template: str, context: dict, filename: str) -> Response:
    pdf = render_pdf(template, generated_on=today_local().isoformat(), **context)
    disposition = "inline" if request.args.get("inline") else "attachment"
    return Response(pdf, mimetype="application/pdf",
                    headers={"Content-Disposition": f'{disposition}; filename="{filename}"'})
