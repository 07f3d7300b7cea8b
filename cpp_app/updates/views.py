"""The semi-annual update pages.

The department overview, the four elements, the checklist, the workflow, and promoting community
findings to priorities.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from flask import Blueprint, Response, abort, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from flask_wtf import FlaskForm

from cpp_app.choices import select_choices
from cpp_app.clock import today_local
from cpp_app.extensions import db
from cpp_app.forms import ConfirmForm
from cpp_app.meetings.models import Meeting, MeetingFeedback
from cpp_app.permissions import (
    Action,
    can,
    can_view_survey,
    permission_required,
    require,
    station_scope,
)
from cpp_app.public.localized import month_year, public_label
from cpp_app.stations.models import Station
from cpp_app.surveys.services import survey_with_questions
from cpp_app.updates import notifications, overview, promotion, services
from cpp_app.updates.addition_forms import problem_choices, split_choice
from cpp_app.updates.figures import update_figures
from cpp_app.updates.forms import (
    AssessmentForm,
    ChangeForm,
    FeedbackSourceForm,
    FeedbackSummaryForm,
    ImplementationForm,
    PromoteForm,
    ReturnForm,
    SharingForm,
)
from cpp_app.updates.models import (
    FeedbackSourceKind,
    PlanUpdate,
    ResponseChange,
    UpdateStatus,
)
from cpp_app.updates.review import public_preview
from cpp_app.updates.sources import period_candidates
from cpp_app.viewhelpers import optional_int, post_to_page, run_confirmed, submit_form

blueprint = Blueprint("updates", __name__)
blueprint.add_app_template_global(overview.update_panel, "update_panel")
blueprint.add_app_template_global(PromoteForm, "promote_form")
blueprint.add_app_template_global(UpdateStatus, "UpdateStatus")

NEW_RESPONSE = "new"
#: A section of the page a saved form returns to (an element id such as "element-1").
SECTION_ID = re.compile(r"[A-Za-z][\w-]{0,40}")


@blueprint.route("/plans")
@permission_required(Action.VIEW_PLANS)
def department_overview() -> ResponseReturnValue:
    """Every station's plan status, last update and next due date, overdue first."""
    scope = station_scope(current_user)
    today = today_local()
    rows = overview.overview_order(
        overview.station_statuses(None if scope is None else [scope]), today)
    return render_template("updates/overview.html", rows=rows, today=today)


@blueprint.route("/manage/stations/<int:station_id>/updates/new", methods=["POST"])
@permission_required(Action.WRITE_UPDATES)
def start_update(station_id: int) -> ResponseReturnValue:
    """Open the update for the station's next due date."""
    station = db.get_or_404(Station, station_id)
    require(Action.WRITE_UPDATES, station.id)
    return run_confirmed(
        lambda: services.start_update(station.id), success="",
        next_url=lambda update: url_for("updates.update_detail", update_id=update.id) if update
        else url_for("plans.station_plan", station_id=station.id))


#: The update page's forms, which post to the page itself (see `post_to_page`).
PAGE_FORMS = frozenset({
    "updates.update_feedback", "updates.update_source", "updates.update_assessment",
    "updates.update_implementation", "updates.update_change", "updates.update_sharing",
    "updates.update_return",
})


@blueprint.route("/updates/<int:update_id>", methods=["GET", "POST"])
@permission_required(Action.VIEW_PLANS)
def update_detail(update_id: int) -> ResponseReturnValue:
    """The update: a checklist of what is missing, and a section per policy element."""
    if request.method == "POST":
        return post_to_page(PAGE_FORMS)
    update = _update_or_404(update_id, Action.VIEW_PLANS)
    return render_update(update)


def render_update(update: PlanUpdate, status: int = 200, **forms: FlaskForm) -> tuple[str, int]:
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
        "updates/update.html", update=update, missing=services.missing_elements(update),
        figures=update_figures(update, today_local()),
        assessments=assessments, assessment_forms=assessment_forms,
        summary_form=forms.get("summary") or FeedbackSummaryForm(obj=update),
        source_form=forms.get("source") or FeedbackSourceForm(),
        implementation_form=implementation,
        change_form=forms.get("change") or _change_form(update),
        sharing_form=forms.get("sharing") or SharingForm(),
        return_form=forms.get("return_form") or ReturnForm(),
        can_write=update.is_editable and can(current_user, Action.WRITE_UPDATES,
                                             update.station_id),
        can_review=can(current_user, Action.REVIEW_UPDATES),
    )
    return page, status


@blueprint.route("/updates/<int:update_id>/feedback", methods=["POST"])
@permission_required(Action.WRITE_UPDATES)
def update_feedback(update_id: int) -> ResponseReturnValue:
    """Element 1: save the feedback summary."""
    update = _update_or_404(update_id, Action.WRITE_UPDATES)
    form = FeedbackSummaryForm()
    return _handle(update, form, "summary",
                   lambda: services.save_feedback_summary(update, form.feedback_summary.data))


@blueprint.route("/updates/<int:update_id>/sources", methods=["POST"])
@permission_required(Action.WRITE_UPDATES)
def update_source(update_id: int) -> ResponseReturnValue:
    """Element 1: add a survey or meeting the feedback rests on."""
    update = _update_or_404(update_id, Action.WRITE_UPDATES)
    form = FeedbackSourceForm()
    return _handle(update, form, "source", lambda: services.add_feedback_source(
        update, form.kind.data, form.reference.data, form.held_on.data,
        form.headline.data or ""))


@blueprint.route("/updates/<int:update_id>/linked-sources", methods=["POST"])
@permission_required(Action.WRITE_UPDATES)
def update_linked_source(update_id: int) -> ResponseReturnValue:
    """Element 1: cite a survey or meeting of the period, with its headline results."""
    update = _update_or_404(update_id, Action.WRITE_UPDATES)
    kind, object_id = request.form.get("kind"), optional_int(request.form.get("object_id"))
    candidate = next((c for c in period_candidates(update)
                      if c.kind == kind and c.object_id == object_id), None)
    if candidate is None:
        abort(404)
    return run_confirmed(lambda: services.add_linked_source(
        update, kind, candidate.reference, candidate.held_on, candidate.headline,
        survey_id=object_id if kind == FeedbackSourceKind.SURVEY else None,
        meeting_id=object_id if kind == FeedbackSourceKind.MEETING else None),
        success=f"{candidate.reference} added as a source.",
        next_url=_update_page(update, "element-1"))


@blueprint.route("/updates/<int:update_id>/assessments/<int:response_id>", methods=["POST"])
@permission_required(Action.WRITE_UPDATES)
def update_assessment(update_id: int, response_id: int) -> ResponseReturnValue:
    """Element 2: assess one current response."""
    update = _update_or_404(update_id, Action.WRITE_UPDATES)
    form = AssessmentForm(prefix=f"r{response_id}")
    return _handle(update, form, f"assessment_{response_id}", lambda: services.save_assessment(
        update, response_id, form.assessment.data, form.evidence.data, form.decision.data))


@blueprint.route("/updates/<int:update_id>/implementation", methods=["POST"])
@permission_required(Action.WRITE_UPDATES)
def update_implementation(update_id: int) -> ResponseReturnValue:
    """Element 2: whether the implementation plan will be modified, and why."""
    update = _update_or_404(update_id, Action.WRITE_UPDATES)
    form = ImplementationForm()
    return _handle(update, form, "implementation", lambda: services.save_implementation_decision(
        update, form.modified.data == "yes", form.reason.data))


@blueprint.route("/updates/<int:update_id>/changes", methods=["POST"])
@permission_required(Action.WRITE_UPDATES)
def update_change(update_id: int) -> ResponseReturnValue:
    """Element 3: add a new or modified response."""
    update = _update_or_404(update_id, Action.WRITE_UPDATES)
    form = _change_form(update)
    return _handle(update, form, "change",
                   lambda: services.add_change(update, _change_details(form)))


@blueprint.route("/updates/<int:update_id>/changes/<int:change_id>/delete", methods=["POST"])
@permission_required(Action.WRITE_UPDATES)
def update_change_delete(update_id: int, change_id: int) -> ResponseReturnValue:
    """Element 3: take a change back out."""
    update = _update_or_404(update_id, Action.WRITE_UPDATES)
    change = db.session.get(ResponseChange, change_id)
    if change is None or change.update_id != update.id:
        abort(404)
    return _handle(update, ConfirmForm(), "confirm",
                   lambda: services.remove_change(update, change))


@blueprint.route("/updates/<int:update_id>/sharing", methods=["POST"])
@permission_required(Action.WRITE_UPDATES)
def update_sharing(update_id: int) -> ResponseReturnValue:
    """Element 4: record how the update is shared."""
    update = _update_or_404(update_id, Action.WRITE_UPDATES)
    form = SharingForm()
    return _handle(update, form, "sharing", lambda: services.add_sharing(
        update, form.channel.data, form.shared_on.data, form.details.data or ""))


@blueprint.route("/updates/<int:update_id>/submit", methods=["POST"])
@permission_required(Action.WRITE_UPDATES)
def update_submit(update_id: int) -> ResponseReturnValue:
    """Commander: submit the update for approval."""
    update = _update_or_404(update_id, Action.WRITE_UPDATES)
    return _transition(update, lambda: services.submit(update), "Update submitted for approval.")


@blueprint.route("/updates/<int:update_id>/return", methods=["POST"])
@permission_required(Action.REVIEW_UPDATES)
def update_return(update_id: int) -> ResponseReturnValue:
    """Admin: return the update with comments."""
    update = _update_or_404(update_id, Action.REVIEW_UPDATES)
    form = ReturnForm()
    done = submit_form(form, notifications.locked(
        update, lambda: services.return_with_comments(update, form.comments.data)),
        success="Update returned to the commander.", next_url=_update_page(update))
    return done or render_update(update, 400, return_form=form)


@blueprint.route("/updates/<int:update_id>/approve", methods=["GET", "POST"])
@permission_required(Action.REVIEW_UPDATES)
def update_approve(update_id: int) -> ResponseReturnValue:
    """Admin: preview what the public will see, then approve (the plan's next version)."""
    update = _update_or_404(update_id, Action.REVIEW_UPDATES)
    if request.method == "GET":
        return _confirm_step(update, "approve")
    return _transition(update, lambda: services.approve(update, today_local()),
                       "Update approved; the plan's new version is in force.")


@blueprint.route("/updates/<int:update_id>/publish", methods=["GET", "POST"])
@permission_required(Action.REVIEW_UPDATES)
def update_publish(update_id: int) -> ResponseReturnValue:
    """Admin: preview the station's public page, then publish the update on it."""
    update = _update_or_404(update_id, Action.REVIEW_UPDATES)
    if request.method == "GET":
        return _confirm_step(update, "publish")
    return _transition(update, lambda: services.publish(update, today_local()),
                       "Update published on the public page.")


@blueprint.route("/surveys/<int:survey_id>/promote", methods=["POST"])
@permission_required(Action.EDIT_PLANS)
def promote_survey_finding(survey_id: int) -> ResponseReturnValue:
    """Make a finding of the survey a priority of the station's plan (or of its update)."""
    survey = survey_with_questions(survey_id=survey_id) or abort(404)
    if not can_view_survey(current_user, survey):
        abort(403)
    if survey.station_id is not None:
        require(Action.EDIT_PLANS, survey.station_id)
    form = PromoteForm()
    return run_confirmed(lambda: promotion.promote_survey_finding(
        survey, form.title.data, form.kind.data, form.evidence.data or "",
        optional_int(form.question_id.data)), form=form, success=_where_promoted,
        invalid="Choose the kind of priority and give it a title.",
        next_url=url_for("surveys.survey_results", survey_id=survey.id))


@blueprint.route("/meetings/<int:meeting_id>/feedback/<int:item_id>/promote", methods=["POST"])
@permission_required(Action.EDIT_PLANS)
def promote_meeting_feedback(meeting_id: int, item_id: int) -> ResponseReturnValue:
    """Make a feedback item a priority of the station's plan (or of its update)."""
    meeting = db.get_or_404(Meeting, meeting_id)
    require(Action.EDIT_PLANS, meeting.station_id)
    item = db.session.get(MeetingFeedback, item_id)
    if item is None or item.meeting_id != meeting.id:
        abort(404)
    form = PromoteForm()
    return run_confirmed(lambda: promotion.promote_meeting_feedback(item, form.kind.data),
                         form=form, success=_where_promoted, invalid="Choose the priority kind.",
                         next_url=url_for("meetings.meeting_detail", meeting_id=meeting.id)
                         + "#feedback")


def _update_or_404(update_id: int, action: Action) -> PlanUpdate:
    update = services.update_with_elements(update_id)
    if update is None:
        abort(404)
    require(action, update.station_id)
    return update


def _change_form(update: PlanUpdate) -> ChangeForm:
    form = ChangeForm()
    form.target.choices = select_choices(
        [(NEW_RESPONSE, "A new response")]
        + [(str(r.id), f"Modify: {r.description[:70]}") for r in update.plan.responses])
    form.problem_id.choices = select_choices(problem_choices(update))
    return form


def _change_details(form: ChangeForm) -> services.ChangeDetails:
    """The change form's values as the service takes them."""
    target = form.target.data
    problem_id, proposed_problem_id = split_choice(form.problem_id.data)
    return services.ChangeDetails(
        problem_id=problem_id, proposed_problem_id=proposed_problem_id,
        modifies_response_id=None if target == NEW_RESPONSE else optional_int(target),
        description=form.description.data, kind=form.kind.data, basis=form.basis.data,
        rationale=form.rationale.data, owner_member_id=form.owner_shield.member_id,
        start_on=form.start_on.data, due_on=form.due_on.data)


def _handle(update: PlanUpdate, form: FlaskForm, form_name: str, action: Callable[[], object]
            ) -> ResponseReturnValue:
    """Validate, run the service, and come back to the update page (errors stay in place)."""
    anchor = request.form.get("section", "")
    done = submit_form(form, action, success="Saved.",
                       next_url=_update_page(update, anchor if SECTION_ID.fullmatch(anchor)
                                             else ""))
    return done or render_update(services.update_with_elements(update.id), 400,
                                 **{form_name: form})


def _transition(update: PlanUpdate, action: Callable[[], object], message: str) -> Response:
    return run_confirmed(notifications.locked(update, action), success=message,
                         next_url=_update_page(update))


def _confirm_step(update: PlanUpdate, step: str) -> str:
    """The confirmation page of approving or publishing, with the public page's preview."""
    return render_template(
        "updates/confirm_step.html", update=update, step=step,
        allowed=update.status in services.TRANSITIONS[step][0],
        public_update=public_preview(update), public_label=public_label,
        month_year=month_year)


def _update_page(update: PlanUpdate, section: str = "") -> str:
    return url_for("updates.update_detail", update_id=update.id) + (f"#{section}" if section
                                                                    else "")


def _where_promoted(where: str) -> str:
    return ("Added to the draft plan's priorities." if where == "plan" else
            "Proposed as a new priority in the update in progress.")
