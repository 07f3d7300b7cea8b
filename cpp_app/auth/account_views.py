"""A user's own account: their password, and their two-factor set-up and recovery codes."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required

from cpp_app.auth import services, two_factor
from cpp_app.auth.forms import ChangePasswordForm, EnrolForm, PasswordConfirmForm
from cpp_app.auth.loader import start_session
from cpp_app.forms import ConfirmForm
from cpp_app.viewhelpers import call_service, submit_form

blueprint = Blueprint("account", __name__, url_prefix="/account")


@blueprint.route("")
@login_required
def account() -> ResponseReturnValue:
    """The user's own account: details, password and two-factor status."""
    user = current_user._get_current_object()
    return render_template("auth/account.html", user=user,
                           two_factor_required=two_factor.is_required(user),
                           recovery_left=two_factor.unused_recovery_codes(user))


@blueprint.route("/password", methods=["GET", "POST"])
@login_required
def change_password() -> ResponseReturnValue:
    """Change one's own password (the current one is asked); other sessions end."""
    user = current_user._get_current_object()
    form = ChangePasswordForm()
    if form.validate_on_submit():
        done, _ = call_service(form, lambda: services.change_own_password(
            user, form.current_password.data, form.password.data))
        if done:
            start_session(user)  # this session goes on; every other one has ended
            flash("Your password has been changed; your other sessions have ended.", "success")
            return redirect(url_for("account.account"))
    return render_template("auth/change_password.html", form=form), \
        (400 if form.errors else 200)


@blueprint.route("/recovery-codes", methods=["POST"])
@login_required
def new_recovery_codes() -> ResponseReturnValue:
    """Replace one's recovery codes with ten new ones, shown once."""
    user = current_user._get_current_object()
    if not ConfirmForm().validate_on_submit() or not user.has_two_factor:
        flash("Recovery codes can only be made once two-factor authentication is on.", "danger")
        return redirect(url_for("account.account"))
    codes = two_factor.new_recovery_codes(user)
    return render_template("auth/recovery_codes.html", codes=codes, first_time=False,
                           next_url=url_for("account.account"))


@blueprint.route("/two-factor/start", methods=["POST"])
@login_required
def two_factor_start() -> ResponseReturnValue:
    """Begin setting up an authenticator app for one's own account."""
    user = current_user._get_current_object()
    if ConfirmForm().validate_on_submit() and not user.has_two_factor:
        two_factor.pending_secret(user)
        return redirect(url_for("account.two_factor_setup"))
    return redirect(url_for("account.account"))


@blueprint.route("/two-factor", methods=["GET", "POST"])
@login_required
def two_factor_setup() -> ResponseReturnValue:
    """Scan the QR code (or type the key), then confirm with a first code."""
    user = current_user._get_current_object()
    if user.has_two_factor or not user.totp_secret:
        return redirect(url_for("account.account"))
    form = EnrolForm()
    if form.validate_on_submit():
        done, codes = call_service(form, lambda: two_factor.confirm_enrolment(user, form.code.data))
        if done:
            return render_template("auth/recovery_codes.html", codes=codes, first_time=True,
                                   next_url=url_for("account.account"))
    uri = two_factor.provisioning_uri(user, user.totp_secret)
    return render_template("auth/two_factor_setup.html", form=form, user=user,
                           required=two_factor.is_required(user),
                           qr_svg=two_factor.qr_svg(uri),
                           secret=two_factor.grouped_secret(user.totp_secret)), \
        (400 if form.errors else 200)


@blueprint.route("/two-factor/off", methods=["GET", "POST"])
@login_required
def two_factor_off() -> ResponseReturnValue:
    """Turn two-factor off, where one's role allows it (the password is asked)."""
    user = current_user._get_current_object()
    form = PasswordConfirmForm()
    done = submit_form(form, lambda: two_factor.turn_off(user, form.current_password.data),
                       success="Two-factor authentication is off.",
                       next_url=url_for("account.account"))
    return done or render_template("auth/two_factor_off.html", form=form)
