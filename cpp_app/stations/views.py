"""Station and member pages."""

from __future__ import annotations

from flask import Blueprint, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from cpp_app.clock import today_local
from cpp_app.extensions import db
from cpp_app.importing.pages import upload_page
from cpp_app.permissions import Action, permission_required, require, station_scope
from cpp_app.stations import services
from cpp_app.stations.forms import MemberFilterForm, MemberForm, StationFilterForm, StationForm
from cpp_app.stations.models import Member, Station
from cpp_app.stations.scoping import station_choices
from cpp_app.viewhelpers import optional_int, paginate, submit_form, tri_state

blueprint = Blueprint("stations", __name__)

#: The station form names the commander by shield number.
STATION_FIELDS = {"commander_member_id": "commander_shield"}


@blueprint.route("/manage/stations")
@permission_required(Action.VIEW_STATIONS)
def station_list() -> ResponseReturnValue:
    """Stations with their commanders and active member counts."""
    form = StationFilterForm(request.args)
    page = paginate(services.station_query(search=form.q.data or ""))
    return render_template("stations/station_list.html", page=page, form=form,
                           member_counts=services.station_member_counts())


@blueprint.route("/manage/stations/new", methods=["GET", "POST"])
@permission_required(Action.MANAGE_STATIONS)
def station_new() -> ResponseReturnValue:
    """Create a station."""
    form = StationForm()
    done = submit_form(form, lambda: services.create_station(_station_details(form)),
                       success=lambda station: f"Station {station.code} created.",
                       next_url=_station_page, field_names=STATION_FIELDS)
    return done or render_template("stations/station_form.html", form=form, station=None)


@blueprint.route("/manage/stations/<int:station_id>")
@permission_required(Action.VIEW_STATIONS)
def station_detail(station_id: int) -> ResponseReturnValue:
    """One station: its details and a summary of its members."""
    station = db.get_or_404(Station, station_id)
    counts = services.station_member_counts()
    return render_template("stations/station_detail.html", station=station,
                           member_count=counts.get(station.id, 0),
                           today=today_local())


@blueprint.route("/manage/stations/<int:station_id>/edit", methods=["GET", "POST"])
@permission_required(Action.MANAGE_STATIONS)
def station_edit(station_id: int) -> ResponseReturnValue:
    """Edit a station."""
    station = db.get_or_404(Station, station_id)
    form = StationForm(obj=station)
    if request.method == "GET":
        form.commander_shield.show(station.commander)
    done = submit_form(form, lambda: services.update_station(station, _station_details(form)),
                       success=f"Station {station.code} saved.",
                       next_url=_station_page(station), field_names=STATION_FIELDS)
    return done or render_template("stations/station_form.html", form=form, station=station)


@blueprint.route("/members")
@permission_required(Action.VIEW_MEMBERS)
def member_list() -> ResponseReturnValue:
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
def member_new() -> ResponseReturnValue:
    """Add a member."""
    form = MemberForm()
    form.station_id.choices = station_choices(services.all_stations(), "No station")
    if request.method == "GET" and request.args.get("station"):
        form.station_id.data = request.args["station"]
    done = submit_form(form, lambda: services.create_member(_member_details(form)),
                       success=lambda member: f"Member {member.label} added.",
                       next_url=url_for("stations.member_list"))
    return done or render_template("stations/member_form.html", form=form, member=None)


@blueprint.route("/members/<int:member_id>")
@permission_required(Action.VIEW_MEMBERS)
def member_detail(member_id: int) -> ResponseReturnValue:
    """One member's details."""
    member = db.get_or_404(Member, member_id)
    require(Action.VIEW_MEMBERS, member.station_id or -1)
    return render_template("stations/member_detail.html", member=member)


@blueprint.route("/members/<int:member_id>/edit", methods=["GET", "POST"])
@permission_required(Action.MANAGE_MEMBERS)
def member_edit(member_id: int) -> ResponseReturnValue:
    """Edit a member."""
    member = db.get_or_404(Member, member_id)
    form = MemberForm(obj=member)
    form.station_id.choices = station_choices(services.all_stations(), "No station")
    if request.method == "GET":
        form.station_id.data = str(member.station_id or "")
        form.languages.show(member.language_codes)
    done = submit_form(form, lambda: services.update_member(member, _member_details(form)),
                       success=lambda saved: f"Member {saved.label} saved.",
                       next_url=url_for("stations.member_detail", member_id=member.id))
    return done or render_template("stations/member_form.html", form=form, member=member)


@blueprint.route("/imports/members", methods=["GET", "POST"])
@permission_required(Action.IMPORT_MEMBERS)
def member_import() -> ResponseReturnValue:
    """Upload a member roster; show the summary and the rejected rows."""
    return upload_page("members", "stations/member_import.html")


def _station_details(form: StationForm) -> services.StationDetails:
    return services.StationDetails(
        code=form.code.data, name=form.name.data, area_served=form.area_served.data or "",
        commander_member_id=form.commander_shield.member_id,
    )


def _station_page(station: Station) -> str:
    return url_for("stations.station_detail", station_id=station.id)


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
        language_codes=form.languages.codes,
    )
