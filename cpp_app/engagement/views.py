"""Engagement pages: records, figures, imports, unknown shield numbers and linking rules."""

from __future__ import annotations

from flask import (
    Blueprint,
    Response,
    abort,
    render_template,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_login import current_user

from cpp_app.engagement import services
from cpp_app.engagement.models import KNOWN_CALL_TYPES, EngagementRecord
from cpp_app.extensions import db
from cpp_app.forms import ConfirmForm
from cpp_app.importing.pages import upload_page
from cpp_app.permissions import Action, can, permission_required, require, station_scope
from cpp_app.plans.models import Problem
from cpp_app.stations.scoping import scoped_station_id, visible_stations
from cpp_app.viewhelpers import (
    csv_download,
    optional_int,
    paginate,
    parse_iso_date,
    run_confirmed,
)

blueprint = Blueprint("engagement", __name__, url_prefix="/engagement")


@blueprint.route("")
@permission_required(Action.VIEW_ENGAGEMENT)
def overview() -> str:
    """Counts by call type and month, by station and by member, with filters."""
    filters = _filters()
    counts = services.counts_by_type_month_and_station(filters)
    return render_template(
        "engagement/overview.html", filters=filters, months=counts.months, table=counts.by_type,
        by_station=counts.by_station,
        by_member=services.counts_by_member(filters), stations=visible_stations(),
        call_types=KNOWN_CALL_TYPES)


@blueprint.route("/records")
@permission_required(Action.VIEW_ENGAGEMENT)
def record_list() -> str:
    """The records themselves, newest first, with the same filters."""
    filters = _filters()
    return render_template("engagement/records.html", page=paginate(services.record_query(
        filters)), filters=filters, stations=visible_stations(), call_types=KNOWN_CALL_TYPES)


@blueprint.route("/export.csv")
@permission_required(Action.VIEW_ENGAGEMENT)
def export() -> Response:
    """The filtered records in the original five-column format."""
    return csv_download(services.export_csv(_filters()), "community-engagement.csv")


@blueprint.route("/import", methods=["GET", "POST"])
@permission_required(Action.IMPORT_ENGAGEMENT)
def import_upload() -> ResponseReturnValue:
    """Upload a Community Engagement export; show read, inserted, already present, rejected."""
    return upload_page("engagements", "engagement/import.html")


@blueprint.route("/unknown-shields", methods=["GET", "POST"])
@permission_required(Action.MANAGE_ENGAGEMENT_LINKS)
def unknown_shields() -> ResponseReturnValue:
    """Shield numbers that match no member; linking runs again after members are fixed."""
    if request.method == "POST":
        return run_confirmed(
            services.link_members, next_url=url_for("engagement.unknown_shields"),
            success=lambda linked: f"{linked} record{'' if linked == 1 else 's'} linked to "
                                   "members.")
    return render_template("engagement/unknown_shields.html", shields=services.unknown_shields())


@blueprint.route("/rules", methods=["GET", "POST"])
@permission_required(Action.MANAGE_ENGAGEMENT_RULES)
def rules() -> ResponseReturnValue:
    """Location rules (record → station) and problem rules (record → plan problem)."""
    if request.method == "POST":
        return run_confirmed(_save_rule, success="Rule saved and applied to the records.",
                             next_url=url_for("engagement.rules"))
    rules_in_reach = services.linking_rules(station_scope(current_user))
    return render_template(
        "engagement/rules.html", form=ConfirmForm(), stations=visible_stations(),
        problems=rules_in_reach.problems, call_types=KNOWN_CALL_TYPES,
        location_rules=rules_in_reach.location_rules,
        problem_rules=rules_in_reach.problem_rules,
        may_manage_locations=can(current_user, Action.MANAGE_ENGAGEMENT_LINKS))


@blueprint.route("/records/<int:record_id>/problem", methods=["POST"])
@permission_required(Action.MANAGE_ENGAGEMENT_RULES)
def link_problem(record_id: int) -> Response:
    """Link one record to a problem of its station's plan, by hand."""
    record = db.get_or_404(EngagementRecord, record_id)
    problem = db.session.get(Problem, optional_int(request.form.get("problem_id")) or 0)
    if problem is not None:
        require(Action.MANAGE_ENGAGEMENT_RULES, problem.plan.station_id)
    if record.station_id is not None:
        require(Action.MANAGE_ENGAGEMENT_RULES, record.station_id)
    return run_confirmed(lambda: services.link_to_problem(record, problem),
                         success="Record linked." if problem else "Link removed.",
                         next_url=request.referrer or url_for("engagement.record_list"))


def _save_rule() -> None:
    kind = request.form.get("rule")
    pattern = request.form.get("pattern", "")
    if kind == "location":
        if not can(current_user, Action.MANAGE_ENGAGEMENT_LINKS):
            abort(403)
        services.save_location_rule(pattern, optional_int(request.form.get("station_id")) or 0)
    elif kind == "problem":
        problem = db.session.get(Problem, optional_int(request.form.get("problem_id")) or 0)
        if problem is not None:
            require(Action.MANAGE_ENGAGEMENT_RULES, problem.plan.station_id)
        services.save_problem_rule(pattern, request.form.get("call_type", ""),
                                   problem.id if problem else 0)
    else:
        abort(400)


def _filters() -> services.EngagementFilter:
    call_type = request.args.get("call_type", "")
    return services.EngagementFilter(
        station_id=scoped_station_id(),
        call_type=call_type[:80],
        date_from=parse_iso_date(request.args.get("from")),
        date_to=parse_iso_date(request.args.get("to")))
