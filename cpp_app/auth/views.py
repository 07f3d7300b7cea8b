"""Logging in and out, and user administration."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required, login_user, logout_user

from cpp_app.auth import services
from cpp_app.auth.forms import LoginForm, NewUserForm, PasswordResetForm, UserFilterForm, UserForm
from cpp_app.auth.loader import mark_session_start
from cpp_app.auth.models import User
from cpp_app.extensions import db, limiter
from cpp_app.forms import ConfirmForm
from cpp_app.permissions import Action, permission_required
from cpp_app.stations.services import all_stations, find_member
from cpp_app.viewhelpers import form_errors_to_field, optional_int, paginate, station_choices

blueprint = Blueprint("auth", __name__)

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
def login():
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
def logout():
    """End the session everywhere this login was used."""
    services.end_sessions(current_user._get_current_object())
    logout_user()
    _clear_session()
    flash("You have logged out.", "info")
    return redirect(url_for("auth.login"))


@blueprint.route("/admin/users")
@permission_required(Action.MANAGE_USERS)
def user_list():
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
def user_new():
    """Create a user account."""
    form = NewUserForm()
    _fill_user_choices(form)
    if form.validate_on_submit():
        details = _user_details(form)
        if details is not None:
            try:
                user = services.create_user(details, form.password.data)
            except services.AccountError as error:
                db.session.rollback()
                form_errors_to_field(form, error)
            else:
                flash(f"User {user.email} created.", "success")
                return redirect(url_for("auth.user_list"))
    return render_template("auth/user_form.html", form=form, user=None)


@blueprint.route("/admin/users/<int:user_id>/edit", methods=["GET", "POST"])
@permission_required(Action.MANAGE_USERS)
def user_edit(user_id: int):
    """Edit a user account."""
    user = db.get_or_404(User, user_id)
    form = UserForm(obj=user)
    _fill_user_choices(form)
    if request.method == "GET":
        form.station_id.data = str(user.station_id or "")
        form.member_shield.data = user.member.shield_number if user.member else ""
    if form.validate_on_submit():
        details = _user_details(form)
        if details is not None:
            try:
                services.update_user(user, details)
            except services.AccountError as error:
                db.session.rollback()
                form_errors_to_field(form, error)
            else:
                flash(f"User {user.email} saved.", "success")
                return redirect(url_for("auth.user_list"))
    return render_template("auth/user_form.html", form=form, user=user)


@blueprint.route("/admin/users/<int:user_id>/active", methods=["GET", "POST"])
@permission_required(Action.MANAGE_USERS)
def user_toggle_active(user_id: int):
    """Confirm, then deactivate (or reactivate) a user account."""
    user = db.get_or_404(User, user_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        try:
            services.set_active(user, not user.active, acting_user=current_user)
        except services.AccountError as error:
            db.session.rollback()
            flash(str(error), "danger")
        else:
            flash(f"User {user.email} is now {'active' if user.active else 'deactivated'}.",
                  "success")
        return redirect(url_for("auth.user_list"))
    return render_template("auth/user_confirm_active.html", form=form, user=user)


@blueprint.route("/admin/users/<int:user_id>/password", methods=["GET", "POST"])
@permission_required(Action.MANAGE_USERS)
def user_reset_password(user_id: int):
    """Set a new password for a user."""
    user = db.get_or_404(User, user_id)
    form = PasswordResetForm()
    if form.validate_on_submit():
        try:
            services.reset_password(user, form.password.data)
        except services.AccountError as error:
            db.session.rollback()
            form_errors_to_field(form, error)
        else:
            flash(f"Password reset for {user.email}; their sessions have ended.", "success")
            return redirect(url_for("auth.user_list"))
    return render_template("auth/user_password.html", form=form, user=user)


def _fill_user_choices(form: UserForm) -> None:
    form.station_id.choices = station_choices(all_stations(), "No station")


def _user_details(form: UserForm) -> services.UserDetails | None:
    """The form's values as details, or None after marking an unknown shield number."""
    member_id = None
    shield = (form.member_shield.data or "").strip()
    if shield:
        member = find_member(shield)
        if member is None:
            form.member_shield.errors.append(f"No member has shield number {shield}.")
            return None
        member_id = member.id
    return services.UserDetails(
        email=form.email.data,
        name=form.name.data,
        role=form.role.data,
        station_id=optional_int(form.station_id.data),
        member_id=member_id,
        active=form.active.data,
    )


def _start_session(user: User) -> None:
    _clear_session()
    login_user(user)
    mark_session_start()


def _clear_session() -> None:
    from flask import session

    session.clear()


def _safe_next(target: str | None) -> str | None:
    """Only local paths are followed after login, never another site."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    if "\\" in target:
        abort(400)
    return target
