"""Outreach pages: the coverage dashboard, the outreach log, stakeholders, language access."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, Response, abort, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from cpp_app.choices import select_choices
from cpp_app.clock import today_local
from cpp_app.extensions import db
from cpp_app.importing.pages import upload_page
from cpp_app.meetings.services import interpreter_gaps
from cpp_app.outreach import language_access as language_access_services
from cpp_app.outreach import services
from cpp_app.outreach.forms import OutreachForm, StakeholderForm, VolunteerForm
from cpp_app.outreach.models import OutreachContact, Stakeholder, StakeholderKind, Volunteer
from cpp_app.permissions import (
    Action,
    can_manage_volunteer,
    permission_required,
    require,
    station_scope,
)
from cpp_app.stations.languages import language_code_for
from cpp_app.stations.scoping import scoped_station_id, station_choices, visible_stations
from cpp_app.viewhelpers import optional_int, paginate, run_confirmed, submit_form

blueprint = Blueprint("outreach", __name__)


@blueprint.route("/outreach")
@permission_required(Action.VIEW_OUTREACH)
def dashboard() -> str:
    """Coverage of stakeholder kinds by month, gaps, overdue follow-ups and recent outreach."""
    station_id = scoped_station_id()
    months = 12 if request.args.get("months") == "12" else 6
    today = today_local()
    return render_template(
        "outreach/dashboard.html", coverage=services.coverage(today, months, station_id),
        overdue=services.overdue_follow_ups(today, station_id),
        gaps=interpreter_gaps(station_id), kinds=StakeholderKind.labels(), months=months,
        station_id=station_id, stations=visible_stations(), today=today,
    )


@blueprint.route("/outreach/log")
@permission_required(Action.VIEW_OUTREACH)
def outreach_list() -> str:
    """The outreach log, newest first."""
    station_id = scoped_station_id()
    page = paginate(services.outreach_query(station_id))
    return render_template("outreach/log.html", page=page, stations=visible_stations(),
                           station_id=station_id, today=today_local())


@blueprint.route("/outreach/new", methods=["GET", "POST"])
@permission_required(Action.LOG_OUTREACH)
def outreach_new() -> ResponseReturnValue:
    """Log an outreach to one of the station's stakeholders."""
    form = OutreachForm()
    scope = station_scope(current_user)
    stakeholders = db.session.scalars(services.stakeholder_query(scope)).all()
    form.stakeholder_id.choices = select_choices(
        (str(s.id), f"{s.name} ({s.kind_label}, {s.station.code})") for s in stakeholders)
    if request.method == "GET":
        form.contacted_on.data = today_local()
        form.stakeholder_id.data = request.args.get("stakeholder", "")
    done = submit_form(form, lambda: services.log_outreach(_outreach_details(form),
                                                            current_user.id),
                       success=lambda contact: f"Outreach to {contact.stakeholder.name} logged.",
                       next_url=url_for("outreach.outreach_list"))
    return done or render_template("outreach/outreach_form.html", form=form,
                                   has_stakeholders=bool(stakeholders))


@blueprint.route("/outreach/<int:outreach_id>/follow-up-done", methods=["POST"])
@permission_required(Action.LOG_OUTREACH)
def follow_up_done(outreach_id: int) -> Response:
    """Mark a follow-up as done."""
    contact = db.get_or_404(OutreachContact, outreach_id)
    require(Action.LOG_OUTREACH, contact.station_id)
    return run_confirmed(lambda: services.complete_follow_up(contact),
                         success="Follow-up marked as done.",
                         next_url=request.referrer if _is_local(request.referrer)
                         else url_for("outreach.outreach_list"))


@blueprint.route("/stakeholders")
@permission_required(Action.VIEW_OUTREACH)
def stakeholder_list() -> str:
    """The stakeholder directory, filtered and paginated."""
    station_id = scoped_station_id()
    kind = request.args.get("kind") if StakeholderKind.has_value(request.args.get("kind")) else ""
    search = request.args.get("q", "")[:100]
    page = paginate(services.stakeholder_query(station_id, kind, search))
    return render_template("outreach/stakeholders.html", page=page,
                           kinds=StakeholderKind.labels(), stations=visible_stations(),
                           station_id=station_id, kind=kind, search=search)


@blueprint.route("/stakeholders/new", methods=["GET", "POST"])
@blueprint.route("/stakeholders/<int:stakeholder_id>/edit", methods=["GET", "POST"])
@permission_required(Action.LOG_OUTREACH)
def stakeholder_edit(stakeholder_id: int | None = None) -> ResponseReturnValue:
    """Add an organisation to the directory, or change one."""
    stakeholder = _stakeholder_or_404(stakeholder_id, Action.LOG_OUTREACH) \
        if stakeholder_id else None
    form = StakeholderForm(obj=stakeholder)
    form.station_id.choices = station_choices(visible_stations())
    if request.method == "GET":
        _fill_stakeholder_form(form, stakeholder)
    done = submit_form(
        form, lambda: services.save_stakeholder(_stakeholder_details(form), stakeholder),
        success=lambda saved: f"{saved.name} saved.",
        next_url=lambda saved: url_for("outreach.stakeholder_detail", stakeholder_id=saved.id))
    return done or render_template("outreach/stakeholder_form.html", form=form,
                                   stakeholder=stakeholder)


@blueprint.route("/stakeholders/<int:stakeholder_id>")
@permission_required(Action.VIEW_OUTREACH)
def stakeholder_detail(stakeholder_id: int) -> str:
    """A stakeholder, its contacts and its outreach history."""
    stakeholder = _stakeholder_or_404(stakeholder_id, Action.VIEW_OUTREACH)
    history = db.session.scalars(services.outreach_query(stakeholder_id=stakeholder.id)).all()
    return render_template("outreach/stakeholder_detail.html", stakeholder=stakeholder,
                           history=history, today=today_local())


@blueprint.route("/stakeholders/import", methods=["GET", "POST"])
@permission_required(Action.IMPORT_STAKEHOLDERS)
def stakeholder_import() -> ResponseReturnValue:
    """Upload a stakeholder directory (CSV or Excel) through the shared import pipeline."""
    return upload_page("stakeholders", "outreach/stakeholder_import.html")


@blueprint.route("/language-access")
@permission_required(Action.VIEW_LANGUAGE_ACCESS)
def language_access() -> str:
    """Who speaks what, people for a chosen language, and meetings that lacked interpreters."""
    scope = station_scope(current_user)
    language = language_code_for(request.args.get("language", "")) or ""
    found = language_access_services.speakers(
        language, scope or current_user.station_id, scope) if language else []
    return render_template(
        "outreach/language_access.html", registry=language_access_services.language_registry(
            scope), sought=language, speakers=found, gaps=interpreter_gaps(scope),
        volunteers=paginate(language_access_services.volunteer_query(scope)),
        may_add=bool(_volunteer_station_choices()),
        may_manage=lambda volunteer: can_manage_volunteer(current_user, volunteer.station_id))


@blueprint.route("/language-access/volunteers/new", methods=["GET", "POST"])
@blueprint.route("/language-access/volunteers/<int:volunteer_id>", methods=["GET", "POST"])
@permission_required(Action.MANAGE_VOLUNTEERS)
def volunteer_edit(volunteer_id: int | None = None) -> ResponseReturnValue:
    """Add a volunteer to the language registry, or change one (within the user's reach)."""
    volunteer = _volunteer_to_manage(volunteer_id) if volunteer_id else None
    form = VolunteerForm(obj=volunteer)
    form.station_id.choices = _volunteer_station_choices()
    if request.method == "GET":
        form.station_id.data = str((volunteer.station_id if volunteer else
                                    current_user.station_id) or "")
        form.languages.show(volunteer.language_codes if volunteer else [])
    done = submit_form(form, lambda: language_access_services.save_volunteer(
        _volunteer_details(form), volunteer),
        success="Volunteer saved.", next_url=url_for("outreach.language_access"))
    return done or render_template("outreach/volunteer_form.html", form=form,
                                   volunteer=volunteer)


def _outreach_details(form: OutreachForm) -> services.OutreachDetails:
    """The outreach form's values, for a stakeholder the user may log outreach to."""
    stakeholder = db.get_or_404(Stakeholder, int(form.stakeholder_id.data))
    require(Action.LOG_OUTREACH, stakeholder.station_id)
    return services.OutreachDetails(
        stakeholder_id=stakeholder.id, contacted_on=form.contacted_on.data,
        method=form.method.data, purpose=form.purpose.data,
        member_ids=form.member_shields.member_ids,
        outcome=form.outcome.data or "", critical_comments=form.critical_comments.data or "",
        critical_response=form.critical_response.data or "",
        follow_up_on=form.follow_up_on.data)


def _stakeholder_or_404(stakeholder_id: int, action: Action) -> Stakeholder:
    stakeholder = db.session.scalar(services.stakeholder_query(active=None).where(
        Stakeholder.id == stakeholder_id)) or abort(404)
    require(action, stakeholder.station_id)
    return stakeholder


def _fill_stakeholder_form(form: StakeholderForm, stakeholder: Stakeholder | None) -> None:
    if stakeholder is None:
        form.station_id.data = str(current_user.station_id or "")
        return
    form.station_id.data = str(stakeholder.station_id)
    form.languages.show(stakeholder.languages or [])
    for row, contact in zip(form.contacts, stakeholder.contacts, strict=False):
        row.form.name.data, row.form.role.data = contact.name, contact.role
        row.form.email.data, row.form.phone.data = contact.email, contact.phone


def _stakeholder_details(form: StakeholderForm) -> services.StakeholderDetails:
    """The form's values, for a station the user may keep the directory of."""
    station_id = int(form.station_id.data)
    require(Action.LOG_OUTREACH, station_id)
    contacts = [services.ContactDetails(row.form.name.data or "", row.form.role.data or "",
                                        row.form.email.data or "", row.form.phone.data or "")
                for row in form.contacts
                if any((row.form.name.data, row.form.email.data, row.form.phone.data))]
    return services.StakeholderDetails(
        station_id=station_id, name=form.name.data, kind=form.kind.data,
        languages=form.languages.codes, may_distrust_police=form.may_distrust_police.data,
        notes=form.notes.data or "", active=form.active.data, contacts=contacts)


def _volunteer_to_manage(volunteer_id: int) -> Volunteer:
    """The volunteer, when the current user may keep them (403 otherwise)."""
    volunteer = db.get_or_404(Volunteer, volunteer_id)
    if not can_manage_volunteer(current_user, volunteer.station_id):
        abort(403)
    return volunteer


def _volunteer_station_choices() -> list:
    """Where the current user may place a volunteer: their stations, department-wide if theirs."""
    wide = station_scope(current_user) is None
    return station_choices(visible_stations(), "Department-wide" if wide else None)


def _volunteer_details(form: VolunteerForm) -> language_access_services.VolunteerDetails:
    """The form's values, for a station (or department-wide) the user may place volunteers at."""
    station_id = optional_int(form.station_id.data)
    if not can_manage_volunteer(current_user, station_id):
        abort(403)
    return language_access_services.VolunteerDetails(
        name=form.name.data, station_id=station_id,
        languages=form.languages.codes, email=form.email.data or "",
        phone=form.phone.data or "", notes=form.notes.data or "", active=form.active.data)


def _is_local(target: str | None) -> bool:
    if not target:
        return False
    parts = urlsplit(target)
    return parts.netloc in ("", request.host) and parts.scheme in ("", request.scheme)


