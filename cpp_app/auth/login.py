"""Logging in: the password, then a second factor where one is set up or required.

Each step is throttled per account and per client address (`throttle`), and every outcome is
recorded: successes and failures in the audit log, refusals while throttled in the app log.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from enum import StrEnum

from werkzeug.security import check_password_hash, generate_password_hash

from cpp_app.audit import services as audit
from cpp_app.auth import throttle, two_factor
from cpp_app.auth.models import User
from cpp_app.auth.throttle import ThrottleKeys
from cpp_app.extensions import db
from cpp_app.models import utcnow

logger = logging.getLogger("cpp_app.auth")

#: Checked against when the email is unknown, so that the answer takes as long either way.
_NO_ONE_HASH = generate_password_hash("no account has this password", method="scrypt")


class LoginOutcome(StrEnum):
    """Where a login attempt stands after a step."""

    OK = "ok"
    BAD_CREDENTIALS = "bad_credentials"
    BAD_CODE = "bad_code"
    THROTTLED = "throttled"
    INACTIVE = "inactive"
    NEEDS_CODE = "needs_code"
    NEEDS_ENROLMENT = "needs_enrolment"


@dataclass(frozen=True)
class LoginResult:
    """The outcome of a step, the user it concerns, and how long to wait when throttled."""

    outcome: LoginOutcome
    user: User | None = None
    wait_seconds: int = 0


def normalise_email(email: str) -> str:
    """Emails are compared and stored in lower case without surrounding spaces."""
    return email.strip().lower()


def authenticate(email: str, password: str, client_address: str | None = None,
                 known_device: str | None = None) -> LoginResult:
    """Check the password step of a login, unless this account or client must wait first.

    `known_device` is the id a browser's signed cookie gives for a device that has logged in
    to this very account before (see `throttle`).
    """
    email = normalise_email(email)
    keys = ThrottleKeys.of(email, client_address, known_device)
    wait = throttle.wait_seconds(keys)
    if wait:
        logger.warning("login refused for %s s: %s from %s", wait, email, client_address)
        return LoginResult(LoginOutcome.THROTTLED, wait_seconds=wait)
    user = db.session.scalar(db.select(User).where(User.email == email))
    if user is None:
        check_password_hash(_NO_ONE_HASH, password)
        return _failed(keys, None, f"unknown email {email}")
    if not user.check_password(password):
        return _failed(keys, user, "wrong password")
    if not user.active:
        return LoginResult(LoginOutcome.INACTIVE, user)
    if user.has_two_factor:
        return LoginResult(LoginOutcome.NEEDS_CODE, user)
    if two_factor.needs_enrolment(user):
        two_factor.pending_secret(user)
        return LoginResult(LoginOutcome.NEEDS_ENROLMENT, user)
    return complete_login(user, keys=keys)


def verify_second_factor(user: User, code: str, client_address: str | None = None) -> LoginResult:
    """Check the code asked after the password: a TOTP code or a recovery code."""
    keys = ThrottleKeys.of(user.email, client_address)
    wait = throttle.wait_seconds(keys)
    if wait:
        logger.warning("two-factor code refused for %s s: %s from %s", wait, user.email,
                       client_address)
        return LoginResult(LoginOutcome.THROTTLED, user, wait_seconds=wait)
    if not user.active:
        return LoginResult(LoginOutcome.INACTIVE, user)
    used = two_factor.check_code(user, code)
    if used is None:
        return _failed(keys, user, "wrong two-factor code", LoginOutcome.BAD_CODE)
    return complete_login(user, "with a recovery code" if used == "recovery" else "", keys)


def complete_login(user: User, how: str = "", keys: ThrottleKeys | None = None) -> LoginResult:
    """Record a successful login and forget the account's failures (and the device's)."""
    throttle.forget_account(user.email, keys)
    user.last_login_at = utcnow()
    with audit.acting_as(user.email):
        audit.record("user.login", entity_type="users", entity_id=user.id,
                     station_id=user.station_id, summary=f"{user.email} {how}".strip())
    db.session.commit()
    return LoginResult(LoginOutcome.OK, user)


def record_logout(user: User) -> None:
    """End every session of the user and record the logout."""
    user.rotate_session_version()
    audit.record("user.logout", entity_type="users", entity_id=user.id,
                 station_id=user.station_id, summary=user.email)
    db.session.commit()


def _failed(keys: ThrottleKeys, user: User | None, reason: str,
            outcome: LoginOutcome = LoginOutcome.BAD_CREDENTIALS) -> LoginResult:
    wait = throttle.record_failure(keys)
    failures = throttle.failures_of(keys.account)
    with audit.acting_as(f"login:{user.email if user else keys.account.partition(':')[2]}"):
        audit.record("user.login_failed", entity_type="users",
                     entity_id=user.id if user else None,
                     station_id=user.station_id if user else None,
                     summary=f"{reason}; failure {failures} in a row")
    db.session.commit()
    logger.info("failed login (%s) for %s from %s; next attempt waits %s s", reason,
                keys.account, keys.client.removeprefix("client:"), wait)
    return LoginResult(outcome, user, wait_seconds=wait)
