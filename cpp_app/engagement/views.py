"""Engagement pages: records, figures, imports, unknown shield numbers and linking rules."""

from __future__ import annotations

from pathlib import Path
from tempfile import NamedTemporaryFile

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
from sqlalchemy import select
from werkzeug.utils import secure_filename

from cpp_app.engagement import services
from cpp_app.engagement.importing import ENGAGEMENT_FIELDS
from cpp_app.engagement.models import (
    KNOWN_CALL_TYPES,
    EngagementRecord,
    LocationRule,
    ProblemLinkRule,
)
from cpp_app.extensions import db
from cpp_app.forms import ConfirmForm
from cpp_app.importing.forms import UploadForm
from cpp_app.importing.pipeline import ImportFileError
from cpp_app.importing.readers import CSV_SUFFIXES, EXCEL_SUFFIXES
from cpp_app.permissions import Action, can, permission_required, require, station_scope
from cpp_app.plans.models import Plan, PlanStatus, Problem
from cpp_app.viewhelpers import (
    optional_int,
    paginate,
    parse_iso_date,
    scoped_station_id,
    visible_stations,
)

blueprint = Blueprint("engagement", __name__, url_prefix="/engagement")


@blueprint.route("")
@permission_required(Action.VIEW_ENGAGEMENT)
def overview():
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
def record_list():
    """The records themselves, newest first, with the same filters."""
    filters = _filters()
    return render_template("engagement/records.html", page=paginate(services.record_query(
        filters)), filters=filters, stations=visible_stations(), call_types=KNOWN_CALL_TYPES)


@blueprint.route("/export.csv")
@permission_required(Action.VIEW_ENGAGEMENT)
def export():
    """The filtered records in the original five-column format."""
    return Response(services.export_csv(_filters()), mimetype="text/csv", headers={
        "Content-Disposition": 'attachment; filename="community-engagement.csv"'})


@blueprint.route("/import", methods=["GET", "POST"])
@permission_required(Action.IMPORT_ENGAGEMENT)
def import_upload():
    """Upload a Community Engagement export; show read, inserted, already present, rejected."""
    form = UploadForm()
    outcome, status = None, 200
    if form.validate_on_submit():
        upload = form.file.data
        filename = secure_filename(upload.filename or "") or "engagement.csv"
        suffix = Path(filename).suffix.lower()
        if suffix not in CSV_SUFFIXES | EXCEL_SUFFIXES:
            form.file.errors.append("Upload a .csv or .xlsx file.")
            status = 400
        else:
            folder = Path(current_app.instance_path) / "uploads"
            folder.mkdir(parents=True, exist_ok=True)
            with NamedTemporaryFile(suffix=suffix, dir=folder) as handle:
                upload.save(handle)
                handle.flush()
                try:
                    outcome = services.import_engagements(handle.name, filename=filename,
                                                          dry_run=form.dry_run.data)
                except ImportFileError as error:
                    form.file.errors.append(str(error))
                    status = 400
            if outcome is not None and not form.dry_run.data:
                services.link_members()
    elif form.errors:
        status = 400
    return render_template("engagement/import.html", form=form, outcome=outcome,
                           fields=ENGAGEMENT_FIELDS), status


@blueprint.route("/unknown-shields", methods=["GET", "POST"])
@permission_required(Action.IMPORT_ENGAGEMENT)
def unknown_shields():
    """Shield numbers that match no member; linking runs again after members are fixed."""
    form = ConfirmForm()
    if form.validate_on_submit():
        linked = services.link_members()
        flash(f"{linked} record{'' if linked == 1 else 's'} linked to members.", "success")
        return redirect(url_for("engagement.unknown_shields"))
    return render_template("engagement/unknown_shields.html", shields=services.unknown_shields(),
                           form=form)


@blueprint.route("/rules", methods=["GET", "POST"])
@permission_required(Action.MANAGE_ENGAGEMENT_RULES)
def rules():
    """Location rules (record → station) and problem rules (record → plan problem)."""
    scope = station_scope(current_user)
    form = ConfirmForm()
    if form.validate_on_submit():
        try:
            _save_rule(scope)
        except services.EngagementError as error:
            db.session.rollback()
            flash(str(error), "danger")
        else:
            flash("Rule saved and applied to the records.", "success")
        return redirect(url_for("engagement.rules"))
    problem_query = select(Problem).join(Plan).where(
        Plan.status.in_([PlanStatus.ACTIVE, PlanStatus.DRAFT]))
    if scope is not None:
        problem_query = problem_query.where(Plan.station_id == scope)
    problems = db.session.scalars(problem_query).all()
    return render_template(
        "engagement/rules.html", form=form, stations=visible_stations(), problems=problems,
        call_types=KNOWN_CALL_TYPES,
        location_rules=db.session.scalars(select(LocationRule)).all(),
        problem_rules=db.session.scalars(select(ProblemLinkRule)).all(),
        may_manage_locations=can(current_user, Action.IMPORT_ENGAGEMENT))


@blueprint.route("/records/<int:record_id>/problem", methods=["POST"])
@permission_required(Action.MANAGE_ENGAGEMENT_RULES)
def link_problem(record_id: int):
    """Link one record to a problem of its station's plan, by hand."""
    record = db.get_or_404(EngagementRecord, record_id)
    problem = db.session.get(Problem, optional_int(request.form.get("problem_id")) or 0)
    if problem is not None:
        require(Action.MANAGE_ENGAGEMENT_RULES, problem.plan.station_id)
    if record.station_id is not None:
        require(Action.MANAGE_ENGAGEMENT_RULES, record.station_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    services.link_to_problem(record, problem)
    flash("Record linked." if problem else "Link removed.", "success")
    return redirect(request.referrer or url_for("engagement.record_list"))


def _save_rule(scope: int | None) -> None:
    kind = request.form.get("rule")
    pattern = request.form.get("pattern", "")
    if kind == "location":
        if not can(current_user, Action.IMPORT_ENGAGEMENT):
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
