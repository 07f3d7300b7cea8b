"""Forgotten passwords: a single-use, expiring link by email, stored only as its hash.

Asking gives the same answer whether or not the email has an account; an account receives at
most `CPP_PASSWORD_RESET_PER_HOUR` links an hour. Using a link sets the password through the
one password service, which ends every session.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from collections.abc import Callable
from datetime import timedelta

from flask import current_app
from sqlalchemy import func, select, update

from cpp_app import mail
from cpp_app.audit import services as audit
from cpp_app.auth.models import PasswordResetToken, User
from cpp_app.auth.services import (
    AccountError,
    PasswordChange,
    find_user_by_email,
    reset_password,
)
from cpp_app.extensions import db
from cpp_app.models import utcnow

logger = logging.getLogger("cpp_app.auth")

EXPIRED_MESSAGE = ("This link has expired or has already been used. "
                   "Ask for a new one below.")


def token_hash(token: str) -> str:
    """The SHA-256 of a link's token, as stored (the token itself is never kept)."""
    return hashlib.sha256(token.encode()).hexdigest()


def request_reset(email: str, link_for: Callable[[str], str],
                  client_address: str | None = None) -> None:
    """Email a reset link to the account using `email`, if there is one (answer the same)."""
    user = find_user_by_email(email)
    if user is None or not user.active:
        logger.info("password reset asked for %s (no active account) from %s",
                    email.strip().lower()[:254], client_address)
        return
    if _links_in_last_hour(user) >= current_app.config["CPP_PASSWORD_RESET_PER_HOUR"]:
        logger.warning("password reset for %s refused from %s: too many links this hour",
                       user.email, client_address)
        return
    token = secrets.token_urlsafe(32)
    minutes = current_app.config["CPP_PASSWORD_RESET_MINUTES"]
    db.session.add(PasswordResetToken(user_id=user.id, token_hash=token_hash(token),
                                      expires_at=utcnow() + timedelta(minutes=minutes)))
    mail.queue_email(user.email, "Reset your CPP Manager password",
                     _email_body(user, link_for(token), minutes), secret=True)
    with audit.acting_as(f"password-reset:{user.email}"):
        audit.record("user.password_reset_requested", entity_type="users", entity_id=user.id,
                     station_id=user.station_id, summary=f"link emailed to {user.email}")
    db.session.commit()


def usable_token(token: str, for_update: bool = False) -> PasswordResetToken | None:
    """The stored link for `token`, if it is unused and has not expired."""
    query = select(PasswordResetToken).where(PasswordResetToken.token_hash == token_hash(token))
    found = db.session.scalar(query.with_for_update() if for_update else query)
    return found if found is not None and found.is_usable(utcnow()) else None


def reset_with_token(token: str, new_password: str) -> User:
    """Set a new password through an emailed link; the link and its siblings stop working."""
    found = usable_token(token, for_update=True)  # two submissions cannot both use it
    if found is None or not found.user.active:
        raise AccountError(EXPIRED_MESSAGE)
    user = found.user
    now = utcnow()
    db.session.execute(update(PasswordResetToken)
                       .where(PasswordResetToken.user_id == user.id,
                              PasswordResetToken.used_at.is_(None))
                       .values(used_at=now))
    with audit.acting_as(f"password-reset:{user.email}"):
        reset_password(user, new_password, reason=PasswordChange.FORGOTTEN)
    return user


def _links_in_last_hour(user: User) -> int:
    since = utcnow() - timedelta(hours=1)
    return db.session.scalar(select(func.count()).select_from(PasswordResetToken).where(
        PasswordResetToken.user_id == user.id, PasswordResetToken.created_at > since))


def _email_body(user: User, link: str, minutes: int) -> str:
    return (
        f"Hello {user.name},\n\n"
        f"Someone (we hope you) asked to reset the password of {user.email} in CPP Manager.\n"
        f"Open this link within {minutes} minutes to choose a new password:\n\n{link}\n\n"
        "The link works once. Choosing a new password logs this account out everywhere.\n"
        "If you did not ask for this, ignore this email: your password stays as it is.\n"
    )
