"""Logging in (password, then a second factor), logging out, and forgotten passwords.

These views hang off the `auth` blueprint of `views`, which this module re-exports.
"""

from __future__ import annotations

import secrets
from urllib.parse import urlsplit

from flask import (
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required, logout_user
from flask_wtf import FlaskForm
from itsdangerous import BadSignature, URLSafeTimedSerializer
from werkzeug.wrappers import Response

from cpp_app.auth import login as login_service
from cpp_app.auth import password_reset, two_factor
from cpp_app.auth.forms import (
    EnrolForm,
    ForgotPasswordForm,
    LoginCodeForm,
    LoginForm,
    NewPasswordForm,
)
from cpp_app.auth.loader import begin_pending_login, pending_login, start_session
from cpp_app.auth.login import LoginOutcome, LoginResult
from cpp_app.auth.models import User
from cpp_app.auth.throttle import describe_wait
from cpp_app.auth.views import blueprint
from cpp_app.extensions import limiter
from cpp_app.viewhelpers import call_service, submit_form

__all__ = ["blueprint"]

REFUSALS = {
    LoginOutcome.BAD_CREDENTIALS: "That email and password do not match an account.",
    LoginOutcome.BAD_CODE: "That code is not right. Type the newest code from your app, "
                           "or an unused recovery code.",
    LoginOutcome.THROTTLED: "Too many failed attempts.",
    LoginOutcome.INACTIVE: "This account has been deactivated.",
}
#: The signed cookie of a browser that has logged in to an account (see `throttle`).
DEVICE_COOKIE = "cpp_device"
DEVICE_DAYS = 90
SAME_ANSWER = ("If an account uses that email, a link to choose a new password is on its way. "
               "It works once, within the hour.")


def _login_rate_limit() -> str:
    return current_app.config["CPP_LOGIN_RATE_LIMIT"]


def _forgot_rate_limit() -> str:
    return current_app.config["CPP_FORGOT_PASSWORD_RATE_LIMIT"]


@blueprint.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_rate_limit, methods=["POST"])
def login() -> ResponseReturnValue:
    """Show the login form and check the password."""
    if current_user.is_authenticated:
        return redirect(url_for("main.dashboard"))
    form = LoginForm()
    result = None
    if form.validate_on_submit():
        result = login_service.authenticate(form.email.data, form.password.data,
                                            request.remote_addr, _known_device(form.email.data))
        done = _after_step(result, form, _safe_next(request.args.get("next")))
        if done:
            return done
    return _render_step("auth/login.html", form, result)


@blueprint.route("/login/code", methods=["GET", "POST"])
@limiter.limit(_login_rate_limit, methods=["POST"])
def login_code() -> ResponseReturnValue:
    """Ask for the second factor of a login whose password was right."""
    user, next_url = pending_login()
    if user is None or not user.has_two_factor:
        flash("Please log in again.", "info")
        return redirect(url_for("auth.login"))
    form = LoginCodeForm()
    result = None
    if form.validate_on_submit():
        result = login_service.verify_second_factor(user, form.code.data, request.remote_addr)
        done = _after_step(result, form, next_url)
        if done:
            return done
    return _render_step("auth/login_code.html", form, result)


@blueprint.route("/login/two-factor", methods=["GET", "POST"])
@limiter.limit(_login_rate_limit, methods=["POST"])
def two_factor_setup() -> ResponseReturnValue:
    """Set up an authenticator app, required for this role, before the first login completes."""
    user, next_url = pending_login()
    if user is None or user.has_two_factor or not user.totp_secret:
        flash("Please log in again.", "info")
        return redirect(url_for("auth.login"))
    form = EnrolForm()
    if form.validate_on_submit():
        done, codes = call_service(form, lambda: two_factor.confirm_enrolment(user, form.code.data))
        if done:
            login_service.complete_login(user, "after setting up two-factor")
            start_session(user)
            return _remember_device(current_app.make_response(render_template(
                "auth/recovery_codes.html", codes=codes, first_time=True,
                next_url=next_url or url_for("main.dashboard"))), user)
    uri = two_factor.provisioning_uri(user, user.totp_secret)
    return render_template("auth/two_factor_setup.html", form=form, user=user,
                           qr_svg=two_factor.qr_svg(uri),
                           secret=two_factor.grouped_secret(user.totp_secret)), \
        (400 if form.errors else 200)


@blueprint.route("/logout", methods=["POST"])
@login_required
def logout() -> ResponseReturnValue:
    """End the session everywhere this login was used."""
    login_service.record_logout(current_user._get_current_object())
    logout_user()
    session.clear()
    flash("You have logged out.", "info")
    return redirect(url_for("auth.login"))


@blueprint.route("/login/forgot", methods=["GET", "POST"])
@limiter.limit(_forgot_rate_limit, methods=["POST"])
def forgot_password() -> ResponseReturnValue:
    """Ask for a link to choose a new password; the answer is the same for any email."""
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        password_reset.request_reset(form.email.data, _reset_link, request.remote_addr)
        flash(SAME_ANSWER, "info")
        return redirect(url_for("auth.login"))
    return render_template("auth/forgot_password.html", form=form), (400 if form.errors else 200)


@blueprint.route("/login/reset/<token>", methods=["GET", "POST"])
def reset_with_link(token: str) -> ResponseReturnValue:
    """Choose a new password through an emailed link."""
    if password_reset.usable_token(token) is None:
        flash(password_reset.EXPIRED_MESSAGE, "warning")
        return redirect(url_for("auth.forgot_password"))
    form = NewPasswordForm()
    done = submit_form(form, lambda: password_reset.reset_with_token(token, form.password.data),
                       success="Your password has been changed. Log in with the new one.",
                       next_url=url_for("auth.login"))
    return done or render_template("auth/reset_password.html", form=form)


def _after_step(result: LoginResult, form: FlaskForm, next_url: str | None) -> Response | None:
    """Where a login step leads: home (or `next`), the second step, or the form again."""
    if result.outcome is LoginOutcome.OK:
        start_session(result.user)
        return _remember_device(redirect(next_url or url_for("main.dashboard")), result.user)
    if result.outcome in (LoginOutcome.NEEDS_CODE, LoginOutcome.NEEDS_ENROLMENT):
        begin_pending_login(result.user, next_url)
        step = "auth.login_code" if result.outcome is LoginOutcome.NEEDS_CODE \
            else "auth.two_factor_setup"
        return redirect(url_for(step))
    wait = f" {describe_wait(result.wait_seconds)}" if result.wait_seconds else ""
    form.form_errors.append(REFUSALS[result.outcome] + wait)
    return None


def _render_step(template: str, form: FlaskForm, result: LoginResult | None) -> Response:
    """The form of a login step, with 429 and Retry-After when the attempt must wait."""
    response = current_app.make_response(render_template(template, form=form))
    if result is not None and result.outcome is LoginOutcome.THROTTLED:
        response.status_code = 429
        response.headers["Retry-After"] = str(result.wait_seconds)
    elif form.errors:
        response.status_code = 400
    return response


def _device_signer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key, salt="cpp-known-device")


def _known_device(email: str) -> str | None:
    """The id of this browser's device cookie, if it vouches for the account using `email`."""
    raw = request.cookies.get(DEVICE_COOKIE)
    if not raw:
        return None
    try:
        vouched = _device_signer().loads(raw, max_age=DEVICE_DAYS * 86400)
    except BadSignature:
        return None
    if not isinstance(vouched, dict) or vouched.get("e") != login_service.normalise_email(email):
        return None
    return vouched.get("d")


def _remember_device(response: Response, user: User) -> Response:
    """Mark this browser as a device that has logged in to `user`'s account."""
    device = _known_device(user.email) or secrets.token_urlsafe(16)
    response.set_cookie(
        DEVICE_COOKIE, _device_signer().dumps({"e": user.email, "d": device}),
        max_age=DEVICE_DAYS * 86400, httponly=True, samesite="Lax",
        secure=current_app.config["SESSION_COOKIE_SECURE"])
    return response


def _reset_link(token: str) -> str:
    """The emailed link: from CPP_PUBLIC_BASE_URL when set, else from this request's address."""
    path = url_for("auth.reset_with_link", token=token)[len(request.script_root):]
    base = current_app.config["CPP_PUBLIC_BASE_URL"] or request.url_root.rstrip("/")
    return f"{base}{path}"


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
