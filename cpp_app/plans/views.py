"""Plan pages: the department overview, a station's plan and its versions, drafting, adoption."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from cpp_app.choices import select_choices
from cpp_app.clock import today_local
from cpp_app.extensions import db
from cpp_app.permissions import (
    Action,
    can_move_response_status,
    permission_required,
    require,
)
from cpp_app.plans import services
from cpp_app.plans.forms import (
    AdoptForm,
    PlanSummaryForm,
    PriorityForm,
    ProblemForm,
    ResponseForm,
    ResponseStatusForm,
)
from cpp_app.plans.models import Plan, PlannedResponse, Priority, Problem
from cpp_app.plans.services import response_kinds_chart
from cpp_app.stations.models import Station
from cpp_app.viewhelpers import optional_int, run_confirmed, submit_form

blueprint = Blueprint("plans", __name__)

ITEM_MODELS = {"priorities": Priority, "problems": Problem, "responses": PlannedResponse}
ITEM_SAVERS = {"priorities": services.save_priority, "problems": services.save_problem,
               "responses": services.save_response}
ITEM_NOUNS = {"priorities": "priority", "problems": "problem", "responses": "response"}

PlanItem = Priority | Problem | PlannedResponse
PlanItemForm = PriorityForm | ProblemForm | ResponseForm
PlanItemDetails = services.PriorityDetails | services.ProblemDetails | services.ResponseDetails


@blueprint.route("/manage/stations/<int:station_id>/plan")
@permission_required(Action.VIEW_PLANS)
def station_plan(station_id: int) -> ResponseReturnValue:
    """The station's current plan (or draft), its schedule, versions and updates."""
    station = db.get_or_404(Station, station_id)
    require(Action.VIEW_PLANS, station.id)
    current = services.draft_plan(station.id) or services.active_plan(station.id)
    plan = services.plan_with_items(current.id) if current else None
    return render_template(
        "plans/station_plan.html", station=station, plan=plan, today=today_local(),
        kinds_chart=response_kinds_chart(plan) if plan else "",
        versions=services.plan_versions(station.id),
        status_form=ResponseStatusForm(),
    )


@blueprint.route("/manage/stations/<int:station_id>/plan/start", methods=["POST"])
@permission_required(Action.EDIT_PLANS)
def start_plan(station_id: int) -> ResponseReturnValue:
    """Open a first draft plan for the station."""
    station = db.get_or_404(Station, station_id)
    require(Action.EDIT_PLANS, station.id)
    return run_confirmed(lambda: services.start_plan(station, created_by_id=current_user.id),
                         success="Draft plan started. Add priorities, problems and responses.",
                         next_url=url_for("plans.station_plan", station_id=station.id))


@blueprint.route("/plans/<int:plan_id>")
@permission_required(Action.VIEW_PLANS)
def plan_version(plan_id: int) -> ResponseReturnValue:
    """One version of a plan, read-only unless it is the draft."""
    plan = _plan_or_404(plan_id, Action.VIEW_PLANS)
    return render_template("plans/plan_version.html", plan=services.plan_with_items(plan.id),
                           versions=services.plan_versions(plan.station_id))


@blueprint.route("/plans/<int:plan_id>/compare")
@permission_required(Action.VIEW_PLANS)
def compare(plan_id: int) -> ResponseReturnValue:
    """What changed between this version and another (by default the one before it)."""
    plan = _plan_or_404(plan_id, Action.VIEW_PLANS)
    other_id = optional_int(request.args.get("with")) or plan.previous_plan_id
    if other_id is None:
        flash("This is the first version; there is nothing to compare it with.", "info")
        return redirect(url_for("plans.plan_version", plan_id=plan.id))
    other = db.get_or_404(Plan, other_id)
    if other.station_id != plan.station_id:
        abort(404)
    older, newer = sorted([plan, other], key=lambda p: p.version)
    comparison = services.compare_versions(services.plan_with_items(older.id),
                                           services.plan_with_items(newer.id))
    return render_template("plans/compare.html", comparison=comparison,
                           versions=services.plan_versions(plan.station_id))


@blueprint.route("/plans/<int:plan_id>/summary", methods=["GET", "POST"])
@permission_required(Action.EDIT_PLANS)
def edit_summary(plan_id: int) -> ResponseReturnValue:
    """Edit a draft plan's summary."""
    plan = _plan_or_404(plan_id, Action.EDIT_PLANS)
    form = PlanSummaryForm(obj=plan)
    done = submit_form(form, lambda: services.update_plan_summary(plan, form.summary.data or ""),
                       success="Saved.", next_url=_plan_page(plan))
    return done or render_template("plans/item_form.html", form=form, plan=plan,
                                   title="Plan summary")


@blueprint.route("/plans/<int:plan_id>/<kind>/new", methods=["GET", "POST"])
@blueprint.route("/plans/<int:plan_id>/<kind>/<int:item_id>/edit", methods=["GET", "POST"])
@permission_required(Action.EDIT_PLANS)
def edit_item(plan_id: int, kind: str, item_id: int | None = None) -> ResponseReturnValue:
    """Add or edit a priority, problem or response of a draft plan."""
    plan = _plan_or_404(plan_id, Action.EDIT_PLANS)
    item = _item_or_404(plan, kind, item_id) if item_id else None
    form = _item_form(kind, plan, item)
    saver = ITEM_SAVERS[kind]
    done = submit_form(form, lambda: saver(plan, _item_details(kind, form), item),
                       success="Saved.", next_url=_plan_page(plan))
    title = f"{'Edit' if item else 'Add a'} {ITEM_NOUNS[kind]}"
    return done or render_template("plans/item_form.html", form=form, plan=plan, title=title)


@blueprint.route("/plans/<int:plan_id>/<kind>/<int:item_id>/delete", methods=["GET", "POST"])
@permission_required(Action.EDIT_PLANS)
def delete_item(plan_id: int, kind: str, item_id: int) -> ResponseReturnValue:
    """Confirm, then remove an item from a draft plan."""
    plan = _plan_or_404(plan_id, Action.EDIT_PLANS)
    item = _item_or_404(plan, kind, item_id)
    if request.method == "POST":
        return run_confirmed(lambda: services.remove_item(plan, item), success="Removed.",
                             next_url=_plan_page(plan))
    return render_template("plans/confirm_delete.html", plan=plan,
                           item=item, kind=kind)


@blueprint.route("/plans/<int:plan_id>/adopt", methods=["GET", "POST"])
@permission_required(Action.EDIT_PLANS)
def adopt(plan_id: int) -> ResponseReturnValue:
    """Confirm and adopt a draft plan; the semi-annual schedule starts from this date."""
    plan = _plan_or_404(plan_id, Action.EDIT_PLANS)
    form = AdoptForm()
    if request.method == "GET":
        form.adopted_on.data = today_local()
    done = submit_form(
        form, lambda: services.adopt_plan(plan, form.adopted_on.data), next_url=_plan_page(plan),
        success=lambda adopted: f"Plan v{adopted.version} adopted. The first update is due "
                                f"{services.first_update_due(adopted):%d %B %Y}.")
    return done or render_template("plans/adopt.html", form=form,
                           plan=services.plan_with_items(plan.id),
                           gaps=services.adoption_gaps(plan))


@blueprint.route("/responses/<int:response_id>/status", methods=["POST"])
@permission_required(Action.MOVE_RESPONSE_STATUS)
def response_status(response_id: int) -> ResponseReturnValue:
    """Move a response to another status (staff: only responses they own)."""
    response = db.get_or_404(PlannedResponse, response_id)
    if not can_move_response_status(current_user, response):
        abort(403)
    form = ResponseStatusForm()
    return run_confirmed(lambda: services.set_response_status(response, form.status.data),
                         form=form, invalid="Choose a valid status.", success="Status updated.",
                         next_url=_plan_page(response.plan))


def _plan_or_404(plan_id: int, action: Action) -> Plan:
    plan = db.get_or_404(Plan, plan_id)
    require(action, plan.station_id)
    return plan


def _item_or_404(plan: Plan, kind: str, item_id: int) -> PlanItem:
    model = ITEM_MODELS.get(kind) or abort(404)
    item = db.session.get(model, item_id)
    if item is None or item.plan_id != plan.id:
        abort(404)
    return item


def _item_form(kind: str, plan: Plan, item: PlanItem | None) -> PlanItemForm:
    if kind == "priorities":
        return PriorityForm(obj=item)
    if kind == "problems":
        return _problem_form(plan, item)
    if kind != "responses":
        abort(404)
    return _response_form(plan, item)


def _problem_form(plan: Plan, problem: Problem | None) -> ProblemForm:
    form = ProblemForm(obj=problem)
    form.priority_id.choices = select_choices(
        [("", "None")] + [(str(p.id), p.title) for p in plan.priorities])
    if request.method == "GET" and problem is not None:
        form.priority_id.data = str(problem.priority_id or "")
    return form


def _response_form(plan: Plan, response: PlannedResponse | None) -> ResponseForm:
    form = ResponseForm(obj=response)
    form.problem_id.choices = select_choices((str(p.id), p.title) for p in plan.problems)
    if request.method == "GET":
        form.problem_id.data = str(response.problem_id if response else
                                   request.args.get("problem", ""))
        form.owner_shield.show(response.owner if response else None)
    return form


def _item_details(kind: str, form: PlanItemForm) -> PlanItemDetails:
    """Form values as the service takes them."""
    if kind == "priorities":
        return services.PriorityDetails(
            kind=form.kind.data, source=form.source.data, title=form.title.data,
            description=form.description.data or "", evidence=form.evidence.data or "",
            internal_notes=form.internal_notes.data or "")
    if kind == "problems":
        return services.ProblemDetails(
            title=form.title.data, priority_id=optional_int(form.priority_id.data),
            sara_stage=form.sara_stage.data, location=form.location.data or "",
            scanning_notes=form.scanning_notes.data or "",
            analysis_notes=form.analysis_notes.data or "",
            response_notes=form.response_notes.data or "",
            assessment_notes=form.assessment_notes.data or "",
            is_internal=form.is_internal.data, internal_notes=form.internal_notes.data or "")
    return services.ResponseDetails(
        problem_id=optional_int(form.problem_id.data), description=form.description.data,
        kind=form.kind.data, owner_member_id=form.owner_shield.member_id,
        start_on=form.start_on.data, due_on=form.due_on.data, status=form.status.data,
        internal_notes=form.internal_notes.data or "")


def _plan_page(plan: Plan) -> str:
    return url_for("plans.station_plan", station_id=plan.station_id)

