"""Meeting pages: the log, a meeting with its languages and feedback, and promotion."""

from __future__ import annotations

from flask import Blueprint, Response, abort, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from cpp_app.clock import department_zone
from cpp_app.extensions import db
from cpp_app.meetings import services
from cpp_app.meetings.forms import FeedbackForm, MeetingForm
from cpp_app.meetings.models import (
    FeedbackTone,
    InterpreterStatus,
    Meeting,
    MeetingFeedback,
    MeetingKind,
)
from cpp_app.outreach.language_access import suggestions_for
from cpp_app.permissions import Action, can, permission_required, require, station_scope
from cpp_app.stations.scoping import scoped_station_id, station_choices, visible_stations
from cpp_app.viewhelpers import paginate, post_to_page, run_confirmed, submit_form

blueprint = Blueprint("meetings", __name__, url_prefix="/meetings")
blueprint.add_app_template_global(FeedbackTone, "FeedbackTone")


@blueprint.route("")
@permission_required(Action.VIEW_MEETINGS)
def meeting_list() -> str:
    """Meetings newest first, filtered by station and kind; interpreter gaps flagged."""
    station_id = scoped_station_id()
    kind = request.args.get("kind") if MeetingKind.has_value(request.args.get("kind")) else ""
    page = paginate(services.meeting_query(station_id, kind))
    return render_template("meetings/list.html", page=page, stations=visible_stations(),
                           kinds=MeetingKind.labels(),
                           station_id=station_id, kind=kind)


@blueprint.route("/new", methods=["GET", "POST"])
@blueprint.route("/<int:meeting_id>/edit", methods=["GET", "POST"])
@permission_required(Action.LOG_MEETINGS)
def meeting_edit(meeting_id: int | None = None) -> ResponseReturnValue:
    """Log a meeting, or correct one."""
    meeting = _meeting_or_404(meeting_id, Action.LOG_MEETINGS) if meeting_id else None
    form = MeetingForm(obj=meeting)
    form.station_id.choices = station_choices(visible_stations())
    if request.method == "GET":
        _fill_form(form, meeting)
    done = submit_form(form, lambda: services.save_meeting(_details(form), meeting),
                       success="Meeting saved.", next_url=lambda saved: url_for(
                           "meetings.meeting_detail", meeting_id=saved.id))
    return done or render_template("meetings/form.html", form=form, meeting=meeting)


@blueprint.route("/<int:meeting_id>", methods=["GET", "POST"])
@permission_required(Action.VIEW_MEETINGS)
def meeting_detail(meeting_id: int) -> ResponseReturnValue:
    """A meeting, its languages and interpreters, and the feedback heard.

    The feedback form posts here (see `post_to_page`), so sent back with errors it keeps the
    page's address.
    """
    if request.method == "POST":
        return post_to_page({"meetings.feedback_add"})
    meeting = _meeting_or_404(meeting_id, Action.VIEW_MEETINGS)
    return render_meeting(meeting)


def render_meeting(meeting: Meeting, feedback_form: FeedbackForm | None = None,
                   status: int = 200) -> tuple[str, int]:
    """The meeting page, with a feedback form that may carry errors."""
    return render_template(
        "meetings/detail.html", meeting=meeting, feedback_form=feedback_form or FeedbackForm(),
        may_log=can(current_user, Action.LOG_MEETINGS, meeting.station_id),
        may_promote=can(current_user, Action.EDIT_PLANS, meeting.station_id),
        suggestions=suggestions_for([n.language_code for n in meeting.languages],
                                    meeting.station_id, station_scope(current_user)),
    ), status


@blueprint.route("/<int:meeting_id>/feedback", methods=["POST"])
@permission_required(Action.LOG_MEETINGS)
def feedback_add(meeting_id: int) -> ResponseReturnValue:
    """Record feedback heard at the meeting."""
    meeting = _meeting_or_404(meeting_id, Action.LOG_MEETINGS)
    form = FeedbackForm()
    done = submit_form(form, lambda: services.add_feedback(
        meeting, form.topic.data, form.text.data or "", form.tone.data),
        success="Feedback added.", next_url=_feedback_section(meeting))
    return done or render_meeting(meeting, form, 400)


@blueprint.route("/<int:meeting_id>/feedback/<int:item_id>/delete", methods=["POST"])
@permission_required(Action.LOG_MEETINGS)
def feedback_delete(meeting_id: int, item_id: int) -> Response:
    """Remove a feedback item."""
    meeting = _meeting_or_404(meeting_id, Action.LOG_MEETINGS)
    item = _item_or_404(meeting, item_id)
    return run_confirmed(lambda: services.remove_feedback(meeting, item),
                         success="Feedback removed.", next_url=_feedback_section(meeting))


def _meeting_or_404(meeting_id: int, action: Action) -> Meeting:
    meeting = db.session.scalar(services.meeting_query().where(Meeting.id == meeting_id))
    if meeting is None:
        abort(404)
    require(action, meeting.station_id)
    return meeting


def _item_or_404(meeting: Meeting, item_id: int) -> MeetingFeedback:
    item = next((i for i in meeting.feedback if i.id == item_id), None)
    return item or abort(404)


def _fill_form(form: MeetingForm, meeting: Meeting | None) -> None:
    if meeting is None:
        if current_user.station_id:
            form.station_id.data = str(current_user.station_id)
        return
    form.station_id.data = str(meeting.station_id)
    if meeting.starts_at is not None:
        form.start_time.data = meeting.starts_at.astimezone(department_zone()).time()
    for row, need in zip(form.languages, meeting.languages, strict=False):
        row.language.show(need.language_code)
        row.status.data = need.status
        row.interpreter_shield.show(need.interpreter_member)
        row.interpreter_name.data = need.interpreter_name


def _details(form: MeetingForm) -> services.MeetingDetails:
    """The form's values, for a station the user may log meetings at."""
    station_id = int(form.station_id.data)
    require(Action.LOG_MEETINGS, station_id)
    needs = [services.LanguageNeed(row.language.code,
                                   row.status.data or InterpreterStatus.NOT_REQUESTED,
                                   row.interpreter_shield.member_id,
                                   row.interpreter_name.data or "")
             for row in form.languages if row.language.code]
    return services.MeetingDetails(
        station_id=station_id, held_on=form.held_on.data, title=form.title.data,
        kind=form.kind.data, place=form.place.data or "", attendance=form.attendance.data,
        notes=form.notes.data or "", languages=needs, starts_at=form.start_time.data,
        is_public=form.is_public.data)


def _feedback_section(meeting: Meeting) -> str:
    return url_for("meetings.meeting_detail", meeting_id=meeting.id) + "#feedback"
