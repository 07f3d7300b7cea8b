"""Notifications: the list, marking them read, and email preferences per kind of reminder."""

from __future__ import annotations

from flask import Blueprint, Response, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required

from cpp_app.forms import ConfirmForm
from cpp_app.reminders import services
from cpp_app.reminders.models import ReminderKind
from cpp_app.viewhelpers import optional_int, paginate, run_confirmed, submit_form

blueprint = Blueprint("notifications", __name__, url_prefix="/notifications")


@blueprint.route("")
@login_required
def notification_list() -> str:
    """The user's notifications, newest first."""
    return render_template("reminders/notifications.html",
                           page=paginate(services.notification_query(current_user.id)))


@blueprint.route("/read", methods=["POST"])
@login_required
def mark_read() -> Response:
    """Mark one notification (or all of them) as read."""
    notification_id = optional_int(request.form.get("notification_id"))
    return run_confirmed(lambda: services.mark_read(current_user.id, notification_id),
                         success="", next_url=url_for("notifications.notification_list"))


@blueprint.route("/preferences", methods=["GET", "POST"])
@login_required
def preferences() -> ResponseReturnValue:
    """Which kinds of reminder also come by email."""
    form = ConfirmForm()
    chosen = {kind for kind in request.form.getlist("email") if ReminderKind.has_value(kind)}
    done = submit_form(form, lambda: services.save_email_preferences(current_user.id, chosen),
                       success="Email preferences saved.",
                       next_url=url_for("notifications.preferences"))
    return done or render_template("reminders/preferences.html", form=form,
                                   kinds=ReminderKind.labels(),
                                   enabled=services.email_preferences(current_user.id))
