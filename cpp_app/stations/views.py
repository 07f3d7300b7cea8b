"""Station and member pages."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user

from cpp_app.clock import today_local
from cpp_app.extensions import db
from cpp_app.importing.views import upload_page
from cpp_app.permissions import Action, permission_required, require, station_scope
from cpp_app.plans.updates import next_update_due
from cpp_app.stations import services
from cpp_app.stations.forms import MemberFilterForm, MemberForm, StationFilterForm, StationForm
from cpp_app.stations.models import Member, Station
from cpp_app.viewhelpers import (
    form_errors_to_field,
    optional_int,
    paginate,
    station_choices,
    tri_state,
)

blueprint = Blueprint("stations", __name__)


@blueprint.route("/manage/stations")
@permission_required(Action.VIEW_STATIONS)
def station_list():
    """Stations with their commanders and active member counts."""
    form = StationFilterForm(request.args)
    page = paginate(services.station_query(search=form.q.data or ""))
    return render_template("stations/station_list.html", page=page, form=form,
                           member_counts=services.station_member_counts())


@blueprint.route("/manage/stations/new", methods=["GET", "POST"])
@permission_required(Action.MANAGE_STATIONS)
def station_new():
    """Create a station."""
    form = StationForm()
    if form.validate_on_submit():
        details = _station_details(form)
        if details is not None:
            try:
                station = services.create_station(details)
            except services.StationDataError as error:
                db.session.rollback()
                form_errors_to_field(form, _station_field(error))
            else:
                flash(f"Station {station.code} created.", "success")
                return redirect(url_for("stations.station_detail", station_id=station.id))
    return render_template("stations/station_form.html", form=form, station=None)


@blueprint.route("/manage/stations/<int:station_id>")
@permission_required(Action.VIEW_STATIONS)
def station_detail(station_id: int):
    """One station: its details and a summary of its members."""
    station = db.get_or_404(Station, station_id)
    counts = services.station_member_counts()
    return render_template("stations/station_detail.html", station=station,
                           member_count=counts.get(station.id, 0),
                           next_due=next_update_due(station.id), today=today_local())


@blueprint.route("/manage/stations/<int:station_id>/edit", methods=["GET", "POST"])
@permission_required(Action.MANAGE_STATIONS)
def station_edit(station_id: int):
    """Edit a station."""
    station = db.get_or_404(Station, station_id)
    form = StationForm(obj=station)
    if request.method == "GET":
        form.commander_shield.data = station.commander.shield_number if station.commander else ""
    if form.validate_on_submit():
        details = _station_details(form)
        if details is not None:
            try:
                services.update_station(station, details)
            except services.StationDataError as error:
                db.session.rollback()
                form_errors_to_field(form, _station_field(error))
            else:
                flash(f"Station {station.code} saved.", "success")
                return redirect(url_for("stations.station_detail", station_id=station.id))
    return render_template("stations/station_form.html", form=form, station=station)


@blueprint.route("/members")
@permission_required(Action.VIEW_MEMBERS)
def member_list():
    """Members, filtered and paginated; commanders and staff see their own station."""
    scope = station_scope(current_user)
    stations = services.all_stations()
    form = MemberFilterForm(request.args)
    form.station.choices = station_choices(
        [s for s in stations if scope is None or s.id == scope], "Any station"
    )
    filters = services.MemberFilter(
        search=form.q.data or "",
        station_id=optional_int(form.station.data),
        employment_type=form.type.data or "",
        assigned_to_patrol=tri_state(form.patrol.data),
        active={"active": True, "inactive": False}.get(form.status.data or "active"),
        language_code=form.language.data or "",
    )
    page = paginate(services.member_query(filters, scope_station_id=scope))
    return render_template("stations/member_list.html", page=page, form=form)


@blueprint.route("/members/new", methods=["GET", "POST"])
@permission_required(Action.MANAGE_MEMBERS)
def member_new():
    """Add a member."""
    form = MemberForm()
    form.station_id.choices = station_choices(services.all_stations(), "No station")
    if request.method == "GET" and request.args.get("station"):
        form.station_id.data = request.args["station"]
    if form.validate_on_submit():
        try:
            member = services.create_member(_member_details(form))
        except services.StationDataError as error:
            db.session.rollback()
            form_errors_to_field(form, error)
        else:
            flash(f"Member {member.label} added.", "success")
            return redirect(url_for("stations.member_list"))
    return render_template("stations/member_form.html", form=form, member=None)


@blueprint.route("/members/<int:member_id>")
@permission_required(Action.VIEW_MEMBERS)
def member_detail(member_id: int):
    """One member's details."""
    member = db.get_or_404(Member, member_id)
    require(Action.VIEW_MEMBERS, member.station_id or -1)
    return render_template("stations/member_detail.html", member=member)


@blueprint.route("/members/<int:member_id>/edit", methods=["GET", "POST"])
@permission_required(Action.MANAGE_MEMBERS)
def member_edit(member_id: int):
    """Edit a member."""
    member = db.get_or_404(Member, member_id)
    form = MemberForm(obj=member)
    form.station_id.choices = station_choices(services.all_stations(), "No station")
    if request.method == "GET":
        form.station_id.data = str(member.station_id or "")
        form.languages.data = member.language_codes
    if form.validate_on_submit():
        try:
            services.update_member(member, _member_details(form))
        except services.StationDataError as error:
            db.session.rollback()
            form_errors_to_field(form, error)
        else:
            flash(f"Member {member.label} saved.", "success")
            return redirect(url_for("stations.member_detail", member_id=member.id))
    return render_template("stations/member_form.html", form=form, member=member)


@blueprint.route("/imports/members", methods=["GET", "POST"])
@permission_required(Action.IMPORT_MEMBERS)
def member_import():
    """Upload a member roster; show the summary and the rejected rows."""
    return upload_page("members", "stations/member_import.html")


def _station_details(form: StationForm) -> services.StationDetails | None:
    commander_id = None
    shield = (form.commander_shield.data or "").strip()
    if shield:
        commander = services.find_member(shield)
        if commander is None:
            form.commander_shield.errors.append(f"No member has shield number {shield}.")
            return None
        commander_id = commander.id
    return services.StationDetails(
        code=form.code.data, name=form.name.data, area_served=form.area_served.data or "",
        commander_member_id=commander_id,
    )


def _station_field(error: services.StationDataError) -> services.StationDataError:
    if error.field == "commander_member_id":
        error.field = "commander_shield"
    return error


def _member_details(form: MemberForm) -> services.MemberDetails:
    return services.MemberDetails(
        shield_number=form.shield_number.data,
        first_name=form.first_name.data,
        last_name=form.last_name.data,
        station_id=optional_int(form.station_id.data),
        employment_type=form.employment_type.data,
        assigned_to_patrol=form.assigned_to_patrol.data,
        start_date=form.start_date.data,
        active=form.active.data,
        language_codes=list(form.languages.data or []),
    )
