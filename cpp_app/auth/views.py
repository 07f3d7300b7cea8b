"""User administration: accounts, roles, passwords and two-factor resets."""

from __future__ import annotations

from flask import Blueprint, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from cpp_app.auth import services, two_factor
from cpp_app.auth.forms import NewUserForm, PasswordResetForm, UserFilterForm, UserForm
from cpp_app.auth.models import User
from cpp_app.extensions import db
from cpp_app.permissions import Action, permission_required
from cpp_app.stations.scoping import station_choices
from cpp_app.stations.services import all_stations
from cpp_app.viewhelpers import optional_int, paginate, run_confirmed, submit_form

blueprint = Blueprint("auth", __name__)

#: The user form names the linked member by shield number.
USER_FIELDS = {"member_id": "member_shield"}


@blueprint.route("/admin/users")
@permission_required(Action.MANAGE_USERS)
def user_list() -> ResponseReturnValue:
    """Users, filtered and paginated."""
    stations = all_stations()
    form = UserFilterForm(request.args)
    form.station.choices = station_choices(stations, "Any station")
    filters = services.UserFilter(
        search=form.q.data or "",
        role=form.role.data or "",
        station_id=optional_int(form.station.data),
        active={"active": True, "inactive": False}.get(form.status.data or "active"),
    )
    page = paginate(services.user_query(filters))
    return render_template("auth/user_list.html", page=page, form=form)


@blueprint.route("/admin/users/new", methods=["GET", "POST"])
@permission_required(Action.MANAGE_USERS)
def user_new() -> ResponseReturnValue:
    """Create a user account."""
    form = NewUserForm()
    _fill_user_choices(form)
    done = submit_form(form, lambda: services.create_user(_user_details(form), form.password.data),
                       success=lambda user: f"User {user.email} created.",
                       next_url=url_for("auth.user_list"), field_names=USER_FIELDS)
    return done or render_template("auth/user_form.html", form=form, user=None)


@blueprint.route("/admin/users/<int:user_id>/edit", methods=["GET", "POST"])
@permission_required(Action.MANAGE_USERS)
def user_edit(user_id: int) -> ResponseReturnValue:
    """Edit a user account."""
    user = db.get_or_404(User, user_id)
    form = UserForm(obj=user)
    _fill_user_choices(form)
    if request.method == "GET":
        form.station_id.data = str(user.station_id or "")
        form.member_shield.show(user.member)
    done = submit_form(form, lambda: services.update_user(user, _user_details(form)),
                       success=lambda saved: f"User {saved.email} saved.",
                       next_url=url_for("auth.user_list"), field_names=USER_FIELDS)
    return done or render_template("auth/user_form.html", form=form, user=user)


@blueprint.route("/admin/users/<int:user_id>/active", methods=["GET", "POST"])
@permission_required(Action.MANAGE_USERS)
def user_toggle_active(user_id: int) -> ResponseReturnValue:
    """Confirm, then deactivate (or reactivate) a user account."""
    user = db.get_or_404(User, user_id)
    if request.method == "POST":
        return run_confirmed(
            lambda: services.set_active(user, not user.active, acting_user=current_user),
            success=lambda changed: f"User {changed.email} is now "
                                    f"{'active' if changed.active else 'deactivated'}.",
            next_url=url_for("auth.user_list"))
    return render_template("auth/user_confirm_active.html", user=user)


@blueprint.route("/admin/users/<int:user_id>/two-factor", methods=["GET", "POST"])
@permission_required(Action.MANAGE_USERS)
def user_reset_two_factor(user_id: int) -> ResponseReturnValue:
    """Confirm, then clear a user's two-factor set-up (they set it up again at next login)."""
    user = db.get_or_404(User, user_id)
    if request.method == "POST":
        return run_confirmed(
            lambda: two_factor.reset_two_factor(user),
            success=lambda reset: f"Two-factor authentication reset for {reset.email}; "
                                  "their sessions have ended.",
            next_url=url_for("auth.user_list"))
    return render_template("auth/user_confirm_two_factor.html", user=user)


@blueprint.route("/admin/users/<int:user_id>/password", methods=["GET", "POST"])
@permission_required(Action.MANAGE_USERS)
def user_reset_password(user_id: int) -> ResponseReturnValue:
    """Set a new password for a user."""
    user = db.get_or_404(User, user_id)
    form = PasswordResetForm()
    done = submit_form(form, lambda: services.reset_password(user, form.password.data),
                       success=f"Password reset for {user.email}; their sessions have ended.",
                       next_url=url_for("auth.user_list"))
    return done or render_template("auth/user_password.html", form=form, user=user)


def _fill_user_choices(form: UserForm) -> None:
    form.station_id.choices = station_choices(all_stations(), "No station")


def _user_details(form: UserForm) -> services.UserDetails:
    """The form's values as the account service takes them."""
    return services.UserDetails(
        email=form.email.data,
        name=form.name.data,
        role=form.role.data,
        station_id=optional_int(form.station_id.data),
        member_id=form.member_shield.member_id,
        active=form.active.data,
    )
