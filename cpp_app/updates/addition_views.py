"""Element 3 pages: adding new priorities and new SARA problems to an update, or taking them out."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from flask import Blueprint, abort, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_wtf import FlaskForm

from cpp_app.extensions import db
from cpp_app.permissions import Action, permission_required, require
from cpp_app.updates import additions, services
from cpp_app.updates.addition_forms import (
    NewPriorityForm,
    addition_forms,
    new_problem_form,
    split_choice,
)
from cpp_app.updates.models import PlanUpdate, ProposedPriority, ProposedProblem
from cpp_app.viewhelpers import run_confirmed, submit_form

T = TypeVar("T", ProposedPriority, ProposedProblem)

blueprint = Blueprint("update_additions", __name__)


@blueprint.route("/updates/<int:update_id>/additions")
@permission_required(Action.WRITE_UPDATES)
def additions_page(update_id: int) -> ResponseReturnValue:
    """Element 3: the forms for a new priority and a new SARA problem."""
    return render_additions(_update_or_404(update_id))


def render_additions(update: PlanUpdate, status: int = 200, **forms: FlaskForm
                     ) -> tuple[str, int]:
    """The additions page, with any form that carries errors in place of an empty one."""
    return render_template("updates/additions.html", update=update,
                           **addition_forms(update, forms)), status


@blueprint.route("/updates/<int:update_id>/new-priorities", methods=["POST"])
@permission_required(Action.WRITE_UPDATES)
def add_priority(update_id: int) -> ResponseReturnValue:
    """Element 3: add a priority typed by the commander."""
    update = _update_or_404(update_id)
    form = NewPriorityForm(prefix="npr")
    return _handle(update, form, "new_priority", lambda: additions.add_new_priority(
        update, additions.NewPriorityDetails(
            kind=form.kind.data, source=form.source.data, title=form.title.data,
            basis=form.basis.data, rationale=form.rationale.data,
            description=form.description.data or "")))


@blueprint.route("/updates/<int:update_id>/new-problems", methods=["POST"])
@permission_required(Action.WRITE_UPDATES)
def add_problem(update_id: int) -> ResponseReturnValue:
    """Element 3: add a new SARA problem (its responses are added as changes)."""
    update = _update_or_404(update_id)
    form = new_problem_form(update)
    priority_id, proposed_priority_id = split_choice(form.priority.data)
    return _handle(update, form, "new_problem", lambda: additions.add_new_problem(
        update, additions.NewProblemDetails(
            title=form.title.data, basis=form.basis.data, rationale=form.rationale.data,
            sara_stage=form.sara_stage.data, location=form.location.data or "",
            analysis_notes=form.analysis_notes.data or "", priority_id=priority_id,
            proposed_priority_id=proposed_priority_id)))


@blueprint.route("/updates/<int:update_id>/new-priorities/<int:item_id>/delete",
                 methods=["POST"])
@permission_required(Action.WRITE_UPDATES)
def remove_priority(update_id: int, item_id: int) -> ResponseReturnValue:
    """Element 3: take a new priority back out."""
    update = _update_or_404(update_id)
    item = _item_of_update_or_404(ProposedPriority, update, item_id)
    return run_confirmed(lambda: additions.remove_new_priority(update, item),
                         success="New priority removed.", next_url=_element_3(update))


@blueprint.route("/updates/<int:update_id>/new-problems/<int:item_id>/delete", methods=["POST"])
@permission_required(Action.WRITE_UPDATES)
def remove_problem(update_id: int, item_id: int) -> ResponseReturnValue:
    """Element 3: take a new problem, with its responses, back out."""
    update = _update_or_404(update_id)
    item = _item_of_update_or_404(ProposedProblem, update, item_id)
    return run_confirmed(lambda: additions.remove_new_problem(update, item),
                         success="New problem and its responses removed.",
                         next_url=_element_3(update))


def _item_of_update_or_404(model: type[T], update: PlanUpdate, item_id: int) -> T:
    """A new priority or problem of this update, or a 404 (never another update's)."""
    item = db.session.get(model, item_id)
    if item is None or item.update_id != update.id:
        abort(404)
    return item


def _update_or_404(update_id: int) -> PlanUpdate:
    update = services.update_with_elements(update_id)
    if update is None:
        abort(404)
    require(Action.WRITE_UPDATES, update.station_id)
    return update


def _handle(update: PlanUpdate, form: FlaskForm, form_name: str, action: Callable[[], object]
            ) -> ResponseReturnValue:
    """Validate, run the service, and come back to element 3 (errors stay on the form's page)."""
    done = submit_form(form, action, success="Saved.", next_url=_element_3(update),
                       field_names={"priority_id": "priority"})
    return done or render_additions(services.update_with_elements(update.id), 400,
                                    **{form_name: form})


def _element_3(update: PlanUpdate) -> str:
    return url_for("updates.update_detail", update_id=update.id) + "#element-3"
