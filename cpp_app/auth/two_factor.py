"""Two-factor authentication: TOTP enrolment and codes, single-use recovery codes, resets."""

from __future__ import annotations

import hashlib
import hmac
import secrets

import pyotp
import segno
from flask import current_app
from sqlalchemy import delete, func, select

from cpp_app.audit import services as audit
from cpp_app.auth.models import RecoveryCode, User
from cpp_app.errors import ServiceError
from cpp_app.extensions import db
from cpp_app.models import utcnow

RECOVERY_CODE_COUNT = 10
#: Letters and digits that cannot be mistaken for one another when read aloud or typed.
RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
#: Codes of the time step before and after the current one are accepted (clock drift).
TOTP_DRIFT_STEPS = 1


class TwoFactorError(ServiceError):
    """A two-factor change refused, with the reason."""


def is_required(user: User) -> bool:
    """Whether the user's role must use two-factor authentication."""
    return user.role in current_app.config["CPP_TWO_FACTOR_ROLES"]


def needs_enrolment(user: User) -> bool:
    """Whether the user must set up an authenticator app before going any further."""
    return is_required(user) and not user.has_two_factor


def pending_secret(user: User) -> str:
    """The secret an enrolment shows; made (and kept until confirmed) on first call."""
    if user.has_two_factor:
        raise TwoFactorError("Two-factor authentication is already set up for this account.")
    if not user.totp_secret:
        user.totp_secret = pyotp.random_base32()
        db.session.commit()
    return user.totp_secret


def provisioning_uri(user: User, secret: str) -> str:
    """The otpauth:// address an authenticator app reads from the QR code."""
    return pyotp.TOTP(secret).provisioning_uri(
        name=user.email, issuer_name=current_app.config["CPP_TOTP_ISSUER"])


def qr_svg(uri: str) -> str:
    """The QR code of `uri` as inline SVG markup (no image file, no script)."""
    return segno.make(uri, error="m").svg_inline(
        scale=5, title="QR code for your authenticator app")


def grouped_secret(secret: str) -> str:
    """The secret in groups of four letters, easier to type and to read aloud."""
    return " ".join(secret[index:index + 4] for index in range(0, len(secret), 4))


def confirm_enrolment(user: User, code: str) -> list[str]:
    """Switch two-factor on once a first code proves the app is set up; the recovery codes."""
    db.session.refresh(user, with_for_update=True)
    if user.has_two_factor or not user.totp_secret:
        raise TwoFactorError("Start the set-up again: no enrolment is waiting.", "code")
    if not _accept_totp(user, code):
        raise TwoFactorError(
            "That code does not match. Check the time on your phone and type the newest code.",
            "code")
    user.totp_enabled_at = utcnow()
    audit.record("user.two_factor_enable", user, before=None, station_id=user.station_id,
                 summary=user.email)
    return new_recovery_codes(user)


def check_code(user: User, code: str) -> str | None:
    """Accept a current TOTP code or an unused recovery code: 'app', 'recovery', or None.

    A TOTP code is accepted once (its time step is remembered); a recovery code is spent.
    The caller commits.
    """
    if not user.has_two_factor:
        return None
    db.session.refresh(user, with_for_update=True)  # two requests cannot both use one code
    if _accept_totp(user, code):
        return "app"
    if _spend_recovery_code(user, code):
        return "recovery"
    return None


def new_recovery_codes(user: User) -> list[str]:
    """Replace the user's recovery codes with ten new ones, returned once in plain text."""
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = [_random_recovery_code() for _ in range(RECOVERY_CODE_COUNT)]
    db.session.add_all(RecoveryCode(user_id=user.id, code_hash=_recovery_hash(user, code))
                       for code in codes)
    audit.record("user.recovery_codes_new", entity_type="users", entity_id=user.id,
                 station_id=user.station_id, summary=f"{len(codes)} recovery codes made")
    db.session.commit()
    return codes


def unused_recovery_codes(user: User) -> int:
    """How many recovery codes the user has left."""
    return db.session.scalar(select(func.count()).select_from(RecoveryCode).where(
        RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None)))


def turn_off(user: User, current_password: str) -> User:
    """A user turns their own two-factor off, where their role does not require it."""
    if is_required(user):
        raise TwoFactorError("Your role requires two-factor authentication.")
    if not user.check_password(current_password):
        raise TwoFactorError("That is not your current password.", "current_password")
    return reset_two_factor(user, action="user.two_factor_disable", end_sessions=False)


def reset_two_factor(user: User, action: str = "user.two_factor_reset",
                     end_sessions: bool = True) -> User:
    """Clear a user's two-factor set-up (an administrator's act: their sessions end)."""
    if not user.totp_secret and not user.has_two_factor:
        raise TwoFactorError(f"{user.email} has no two-factor set-up to reset.")
    user.totp_secret = None
    user.totp_enabled_at = None
    user.totp_last_counter = None
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    if end_sessions:
        user.rotate_session_version()
    audit.record(action, entity_type="users", entity_id=user.id,
                 station_id=user.station_id, summary=user.email)
    db.session.commit()
    return user


def _accept_totp(user: User, code: str) -> bool:
    """Whether `code` is the TOTP of a recent time step not used before (and remember it)."""
    digits = "".join(code.split())
    if not user.totp_secret or len(digits) != 6 or not (digits.isascii() and digits.isdigit()):
        return False
    totp = pyotp.TOTP(user.totp_secret)
    current = totp.timecode(utcnow())
    last_used = user.totp_last_counter if user.totp_last_counter is not None else -1
    for step in range(current - TOTP_DRIFT_STEPS, current + TOTP_DRIFT_STEPS + 1):
        if step > last_used and hmac.compare_digest(totp.generate_otp(step), digits):
            user.totp_last_counter = step
            return True
    return False


def _spend_recovery_code(user: User, code: str) -> bool:
    found = db.session.scalar(select(RecoveryCode).where(
        RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None),
        RecoveryCode.code_hash == _recovery_hash(user, code)).with_for_update())
    if found is None:
        return False
    found.used_at = utcnow()
    return True


def _random_recovery_code() -> str:
    letters = "".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(12))
    return "-".join(letters[index:index + 4] for index in range(0, 12, 4))


def _recovery_hash(user: User, code: str) -> str:
    """SHA-256 of the code without spaces or dashes, in lower case, salted with the user id."""
    cleaned = "".join(character for character in code.lower() if character.isalnum())
    return hashlib.sha256(f"{user.id}:{cleaned}".encode()).hexdigest()
