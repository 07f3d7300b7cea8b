"""Flask-Login wiring: load users by id and session version; idle and absolute timeouts."""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import Flask, current_app, flash, redirect, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_user, logout_user

from cpp_app.auth.models import User
from cpp_app.extensions import db, login_manager
from cpp_app.inputs import bounded_int
from cpp_app.models import utcnow

LOGIN_AT_KEY = "login_at"
#: The login waiting for its second step: who passed the password, when, and where to go next.
PENDING_KEY = "pending_login"
PENDING_MINUTES = 10


def configure_login(app: Flask) -> None:
    """Set up Flask-Login and the session timeout check."""
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Please log in to see that page."
    login_manager.login_message_category = "info"
    login_manager.session_protection = "strong"
    login_manager.user_loader(load_user)
    app.before_request(enforce_session_timeouts)


def load_user(session_identity: str) -> User | None:
    """The active user whose id and session version match the cookie, else None."""
    user_id, _, version = session_identity.partition(":")
    user_id_number = bounded_int(user_id)
    if user_id_number is None or not version:
        return None
    user = db.session.get(User, user_id_number)
    if user is None or not user.active or user.session_version != version:
        return None
    return user


def enforce_session_timeouts() -> ResponseReturnValue | None:
    """Log out a session older than the absolute limit; keep the idle timer rolling."""
    if request.endpoint == "static" or not current_user.is_authenticated:
        return None
    session.permanent = True
    started = session.get(LOGIN_AT_KEY)
    limit = timedelta(hours=_absolute_hours())
    if started is None or utcnow() - datetime.fromisoformat(started) > limit:
        logout_user()
        session.clear()
        flash("Your session has ended. Please log in again.", "info")
        return redirect(url_for("auth.login", next=request.full_path))
    return None


def start_session(user: User) -> None:
    """Log `user` in on a fresh session (nothing of the previous one is kept)."""
    session.clear()
    login_user(user)
    mark_session_start()


def begin_pending_login(user: User, next_url: str | None) -> None:
    """Remember, on a fresh session, that `user` passed the password and needs a second step."""
    session.clear()
    session[PENDING_KEY] = {"user_id": user.id, "version": user.session_version,
                            "next": next_url or "", "at": utcnow().isoformat()}


def pending_login() -> tuple[User | None, str | None]:
    """The user half-way through logging in on this session (and where to go next), if any."""
    pending = session.get(PENDING_KEY)
    if not isinstance(pending, dict):
        return None, None
    started = datetime.fromisoformat(pending["at"])
    user = db.session.get(User, pending["user_id"])
    if utcnow() - started > timedelta(minutes=PENDING_MINUTES) or user is None \
            or not user.active or user.session_version != pending["version"]:
        session.pop(PENDING_KEY, None)
        return None, None
    return user, pending["next"] or None


def mark_session_start() -> None:
    """Record when this login began (for the absolute timeout)."""
    session[LOGIN_AT_KEY] = utcnow().isoformat()
    session.permanent = True


def _absolute_hours() -> int:
    return current_app.config["CPP_SESSION_ABSOLUTE_HOURS"]
