"""The public pages: a station's published plan and updates, no login needed."""

from __future__ import annotations

from flask import Blueprint, abort, render_template

from cpp_app.extensions import limiter
from cpp_app.public import services

blueprint = Blueprint("public", __name__)

PUBLIC_RATE_LIMIT = "120 per minute"


@blueprint.route("/stations/<code>")
@limiter.limit(PUBLIC_RATE_LIMIT)
def station(code: str):
    """A station's published plan and its published updates."""
    station = services.station_by_code(code) or abort(404)
    return render_template(
        "public/station.html", station=station,
        public_plan=services.published_plan(station.id),
        public_updates=services.published_updates(station.id),
    )
