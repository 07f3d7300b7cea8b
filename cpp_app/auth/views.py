"""Logging in and out, and user administration."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required, login_user, logout_user

from cpp_app.auth import services
from cpp_app.auth.forms import LoginForm, NewUserForm, PasswordResetForm, UserFilterForm, UserForm
from cpp_app.auth.loader import mark_session_start
from cpp_app.auth.models import User
from cpp_app.extensions import db, limiter
from cpp_app.permissions import Action, permission_required
from cpp_app.stations.scoping import station_choices
from cpp_app.stations.services import all_stations
from cpp_app.viewhelpers import optional_int, paginate, run_confirmed, submit_form

blueprint = Blueprint("auth", __name__)

#: The user form names the linked member by shield number.
USER_FIELDS = {"member_id": "member_shield"}

LOGIN_MESSAGES = {
    services.LoginOutcome.BAD_CREDENTIALS: "That email and password do not match an account.",
    services.LoginOutcome.LOCKED: "Too many failed attempts: this account is locked for a while. "
    "Try again later or ask an administrator to reset the password.",
    services.LoginOutcome.INACTIVE: "This account has been deactivated.",
}


def _login_rate_limit() -> str:
    return current_app.config["CPP_LOGIN_RATE_LIMIT"]


@blueprint.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_rate_limit, methods=["POST"])
def login() -> ResponseReturnValue:
    """Show the login form and log the user in."""
    if current_user.is_authenticated:
        return redirect(url_for("main.dashboard"))
    form = LoginForm()
    if form.validate_on_submit():
        outcome, user = services.authenticate(form.email.data, form.password.data)
        if outcome is services.LoginOutcome.OK:
            next_url = _safe_next(request.args.get("next"))
            _start_session(user)
            return redirect(next_url or url_for("main.dashboard"))
        form.form_errors.append(LOGIN_MESSAGES[outcome])
    return render_template("auth/login.html", form=form), (400 if form.errors else 200)


@blueprint.route("/logout", methods=["POST"])
@login_required
def logout() -> ResponseReturnValue:
    """End the session everywhere this login was used."""
    services.end_sessions(current_user._get_current_object())
    logout_user()
    _clear_session()
    flash("You have logged out.", "info")
    return redirect(url_for("auth.login"))


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


def _start_session(user: User) -> None:
    _clear_session()
    login_user(user)
    mark_session_start()


def _clear_session() -> None:
    session.clear()


def _safe_next(target: str | None) -> str | None:
    """Only local paths are followed after login: never another site, a line break or a control."""
    if not target or not target.startswith("/") or target.startswith(("//", "/\\")):
        return None
    if "\\" in target or any(ord(character) < 0x20 or ord(character) == 0x7F
                              for character in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    return target
