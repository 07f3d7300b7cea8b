"""The public pages: a station's published plan and updates, no login needed."""

from __future__ import annotations

from flask import Blueprint, Response, abort, render_template

from cpp_app.extensions import limiter
from cpp_app.public import services
from cpp_app.public.open_data import DATASETS, dataset_csv
from cpp_app.stations.services import all_stations
from cpp_app.viewhelpers import today_local

blueprint = Blueprint("public", __name__)

PUBLIC_RATE_LIMIT = "120 per minute"


@blueprint.route("/stations/<code>")
@limiter.limit(PUBLIC_RATE_LIMIT)
def station(code: str):
    """A station's published plan and its published updates."""
    station = services.station_by_code(code) or abort(404)
    public_updates = services.published_updates(station.id)
    return render_template(
        "public/station.html", station=station,
        public_plan=services.published_plan(station.id), public_updates=public_updates,
        you_said=services.you_said_we_did(public_updates),
    )


@blueprint.route("/portal")
@limiter.limit(PUBLIC_RATE_LIMIT)
def home():
    """The public portal: every station's plan, the dashboard and the open data."""
    return render_template("public/home.html", stations=all_stations())


@blueprint.route("/portal/dashboard")
@limiter.limit(PUBLIC_RATE_LIMIT)
def dashboard():
    """Department figures for the public; small groups are suppressed."""
    return render_template("public/dashboard.html",
                           data=services.public_dashboard(today_local()))


@blueprint.route("/open-data")
@limiter.limit(PUBLIC_RATE_LIMIT)
def open_data():
    """The data dictionary and the download links."""
    return render_template("public/open_data.html", datasets=DATASETS.values())


@blueprint.route("/open-data/<name>.csv")
@limiter.limit(PUBLIC_RATE_LIMIT)
def open_data_csv(name: str):
    """One dataset as CSV."""
    if name not in DATASETS:
        abort(404)
    return Response(dataset_csv(name), mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="{name}.csv"'})
