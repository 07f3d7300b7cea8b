"""The semi-annual update pages: the four elements, the checklist and the workflow."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from cpp_app.choices import select_choices
from cpp_app.clock import today_local
from cpp_app.engagement.services import problem_activity
from cpp_app.extensions import db
from cpp_app.forms import ConfirmForm
from cpp_app.permissions import Action, can, permission_required, require
from cpp_app.plans import updates
from cpp_app.plans.feedback_sources import period_candidates
from cpp_app.plans.forms import (
    AssessmentForm,
    ChangeForm,
    FeedbackSourceForm,
    FeedbackSummaryForm,
    ImplementationForm,
    ReturnForm,
    SharingForm,
)
from cpp_app.plans.models import PlanUpdate, ResponseChange
from cpp_app.plans.services import PlanError
from cpp_app.plans.views import blueprint, owner_from_shield
from cpp_app.stations.models import Station
from cpp_app.viewhelpers import form_errors_to_field, optional_int

NEW_RESPONSE = "new"


@blueprint.route("/manage/stations/<int:station_id>/updates/new", methods=["POST"])
@permission_required(Action.WRITE_UPDATES)
def start_update(station_id: int):
    """Open the update for the station's next due date."""
    station = db.get_or_404(Station, station_id)
    require(Action.WRITE_UPDATES, station.id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        update = updates.start_update(station.id)
    except PlanError as error:
        db.session.rollback()
        flash(str(error), "danger")
        return redirect(url_for("plans.station_plan", station_id=station.id))
    return redirect(url_for("plans.update_detail", update_id=update.id))


@blueprint.route("/updates/<int:update_id>")
@permission_required(Action.VIEW_PLANS)
def update_detail(update_id: int):
    """The update: a checklist of what is missing, and a section per policy element."""
    update = _update_or_404(update_id, Action.VIEW_PLANS)
    return render_update(update)


def render_update(update: PlanUpdate, status: int = 200, **forms):
    """The update page, with any forms that carry errors in place of empty ones."""
    assessments = {a.response_id: a for a in update.assessments}
    assessment_forms = {
        response.id: forms.get(f"assessment_{response.id}")
        or AssessmentForm(obj=assessments.get(response.id), prefix=f"r{response.id}")
        for response in update.plan.responses
    }
    implementation = forms.get("implementation") or ImplementationForm(
        modified={True: "yes", False: "no"}.get(update.implementation_modified),
        reason=update.implementation_reason)
    page = render_template(
        "plans/update.html", update=update, missing=updates.missing_elements(update),
        candidates=period_candidates(update),
        activity=problem_activity([p.id for p in update.plan.problems], today_local()),
        assessments=assessments, assessment_forms=assessment_forms,
        summary_form=forms.get("summary") or FeedbackSummaryForm(obj=update),
        source_form=forms.get("source") or FeedbackSourceForm(),
        implementation_form=implementation,
        change_form=forms.get("change") or _change_form(update),
        sharing_form=forms.get("sharing") or SharingForm(),
        return_form=forms.get("return_form") or ReturnForm(),
        confirm_form=ConfirmForm(),
        can_write=update.is_editable and can(current_user, Action.WRITE_UPDATES,
                                             update.station_id),
        can_review=can(current_user, Action.REVIEW_UPDATES),
    )
    return page, status


@blueprint.route("/updates/<int:update_id>/feedback", methods=["POST"])
@permission_required(Action.WRITE_UPDATES)
def update_feedback(update_id: int):
    """Element 1: save the feedback summary."""
    update = _update_or_404(update_id, Action.WRITE_UPDATES)
    form = FeedbackSummaryForm()
    return _handle(update, form, "summary",
                   lambda: updates.save_feedback_summary(update, form.feedback_summary.data))


@blueprint.route("/updates/<int:update_id>/sources", methods=["POST"])
@permission_required(Action.WRITE_UPDATES)
def update_source(update_id: int):
    """Element 1: add a survey or meeting the feedback rests on."""
    update = _update_or_404(update_id, Action.WRITE_UPDATES)
    form = FeedbackSourceForm()
    return _handle(update, form, "source", lambda: updates.add_feedback_source(
        update, form.kind.data, form.reference.data, form.held_on.data,
        form.headline.data or ""))


@blueprint.route("/updates/<int:update_id>/linked-sources", methods=["POST"])
@permission_required(Action.WRITE_UPDATES)
def update_linked_source(update_id: int):
    """Element 1: cite a survey or meeting of the period, with its headline results."""
    update = _update_or_404(update_id, Action.WRITE_UPDATES)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    kind, object_id = request.form.get("kind"), optional_int(request.form.get("object_id"))
    candidate = next((c for c in period_candidates(update)
                      if c.kind == kind and c.object_id == object_id), None)
    if candidate is None:
        abort(404)
    try:
        updates.add_linked_source(
            update, kind, candidate.reference, candidate.held_on, candidate.headline,
            survey_id=object_id if kind == "survey" else None,
            meeting_id=object_id if kind == "meeting" else None)
    except PlanError as error:
        db.session.rollback()
        flash(str(error), "danger")
    else:
        flash(f"{candidate.reference} added as a source.", "success")
    return redirect(url_for("plans.update_detail", update_id=update.id) + "#element-1")


@blueprint.route("/updates/<int:update_id>/assessments/<int:response_id>", methods=["POST"])
@permission_required(Action.WRITE_UPDATES)
def update_assessment(update_id: int, response_id: int):
    """Element 2: assess one current response."""
    update = _update_or_404(update_id, Action.WRITE_UPDATES)
    form = AssessmentForm(prefix=f"r{response_id}")
    return _handle(update, form, f"assessment_{response_id}", lambda: updates.save_assessment(
        update, response_id, form.assessment.data, form.evidence.data, form.decision.data))


@blueprint.route("/updates/<int:update_id>/implementation", methods=["POST"])
@permission_required(Action.WRITE_UPDATES)
def update_implementation(update_id: int):
    """Element 2: whether the implementation plan will be modified, and why."""
    update = _update_or_404(update_id, Action.WRITE_UPDATES)
    form = ImplementationForm()
    return _handle(update, form, "implementation", lambda: updates.save_implementation_decision(
        update, form.modified.data == "yes", form.reason.data))


@blueprint.route("/updates/<int:update_id>/changes", methods=["POST"])
@permission_required(Action.WRITE_UPDATES)
def update_change(update_id: int):
    """Element 3: add a new or modified response."""
    update = _update_or_404(update_id, Action.WRITE_UPDATES)
    form = _change_form(update)
    if not form.validate_on_submit():
        return render_update(update, 400, change=form)
    owner_id = owner_from_shield(form)
    if owner_id is False:
        return render_update(update, 400, change=form)
    target = form.target.data
    details = updates.ChangeDetails(
        problem_id=optional_int(form.problem_id.data),
        modifies_response_id=None if target == NEW_RESPONSE else optional_int(target),
        description=form.description.data, kind=form.kind.data, basis=form.basis.data,
        rationale=form.rationale.data, owner_member_id=owner_id, start_on=form.start_on.data,
        due_on=form.due_on.data)
    return _handle(update, form, "change", lambda: updates.add_change(update, details),
                   validated=True)


@blueprint.route("/updates/<int:update_id>/changes/<int:change_id>/delete", methods=["POST"])
@permission_required(Action.WRITE_UPDATES)
def update_change_delete(update_id: int, change_id: int):
    """Element 3: take a change back out."""
    update = _update_or_404(update_id, Action.WRITE_UPDATES)
    change = db.session.get(ResponseChange, change_id)
    if change is None or change.update_id != update.id:
        abort(404)
    return _handle(update, ConfirmForm(), "confirm",
                   lambda: updates.remove_change(update, change))


@blueprint.route("/updates/<int:update_id>/sharing", methods=["POST"])
@permission_required(Action.WRITE_UPDATES)
def update_sharing(update_id: int):
    """Element 4: record how the update is shared."""
    update = _update_or_404(update_id, Action.WRITE_UPDATES)
    form = SharingForm()
    return _handle(update, form, "sharing", lambda: updates.add_sharing(
        update, form.channel.data, form.shared_on.data, form.details.data or ""))


@blueprint.route("/updates/<int:update_id>/submit", methods=["POST"])
@permission_required(Action.WRITE_UPDATES)
def update_submit(update_id: int):
    """Commander: submit the update for approval."""
    update = _update_or_404(update_id, Action.WRITE_UPDATES)
    return _transition(update, lambda: updates.submit(update), "Update submitted for approval.")


@blueprint.route("/updates/<int:update_id>/return", methods=["POST"])
@permission_required(Action.REVIEW_UPDATES)
def update_return(update_id: int):
    """Admin: return the update with comments."""
    update = _update_or_404(update_id, Action.REVIEW_UPDATES)
    form = ReturnForm()
    if not form.validate_on_submit():
        return render_update(update, 400, return_form=form)
    return _transition(update, lambda: updates.return_with_comments(update, form.comments.data),
                       "Update returned to the commander.")


@blueprint.route("/updates/<int:update_id>/approve", methods=["POST"])
@permission_required(Action.REVIEW_UPDATES)
def update_approve(update_id: int):
    """Admin: approve the update, creating the plan's next version."""
    update = _update_or_404(update_id, Action.REVIEW_UPDATES)
    return _transition(update, lambda: updates.approve(update, today_local()),
                       "Update approved; the plan's new version is in force.")


@blueprint.route("/updates/<int:update_id>/publish", methods=["POST"])
@permission_required(Action.REVIEW_UPDATES)
def update_publish(update_id: int):
    """Admin: publish the update on the station's public page."""
    update = _update_or_404(update_id, Action.REVIEW_UPDATES)
    return _transition(update, lambda: updates.publish(update, today_local()),
                       "Update published on the public page.")


def _update_or_404(update_id: int, action: Action) -> PlanUpdate:
    update = updates.update_with_elements(update_id)
    if update is None:
        abort(404)
    require(action, update.station_id)
    return update


def _change_form(update: PlanUpdate) -> ChangeForm:
    form = ChangeForm()
    form.target.choices = select_choices(
        [(NEW_RESPONSE, "A new response")]
        + [(str(r.id), f"Modify: {r.description[:70]}") for r in update.plan.responses])
    form.problem_id.choices = select_choices(
        [("", "—")] + [(str(p.id), p.title) for p in update.plan.problems])
    return form


def _handle(update: PlanUpdate, form, form_name: str, action, validated: bool = False):
    """Validate, run the service, and come back to the update page (errors stay in place)."""
    if not validated and not form.validate_on_submit():
        return render_update(update, 400, **{form_name: form})
    try:
        action()
    except PlanError as error:
        db.session.rollback()
        form_errors_to_field(form, error)
        return render_update(updates.update_with_elements(update.id), 400, **{form_name: form})
    flash("Saved.", "success")
    anchor = request.form.get("section", "")
    return redirect(url_for("plans.update_detail", update_id=update.id) +
                    (f"#{anchor}" if anchor.isidentifier() else ""))


def _transition(update: PlanUpdate, action, message: str):
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        action()
    except PlanError as error:
        db.session.rollback()
        flash(str(error), "danger")
    else:
        flash(message, "success")
    return redirect(url_for("plans.update_detail", update_id=update.id))
