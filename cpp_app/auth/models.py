"""User accounts: login, role, station scope and the link to a department member."""

from __future__ import annotations

import secrets
from datetime import datetime
from typing import TYPE_CHECKING

from flask import current_app
from flask_login import UserMixin
from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from cpp_app.extensions import db
from cpp_app.models import IdMixin, TimestampMixin, UTCDateTime, utcnow
from cpp_app.roles import Role

if TYPE_CHECKING:
    from cpp_app.stations.models import Member, Station


def new_session_version() -> str:
    """A fresh random token; changing it invalidates every session of the user."""
    return secrets.token_urlsafe(16)


class User(UserMixin, IdMixin, TimestampMixin, db.Model):
    """Someone who logs in to manage the department's community policing."""

    __tablename__ = "users"
    __audit_exclude__ = frozenset(
        {"password_hash", "session_version", "created_at", "updated_at", "last_login_at",
         "password_changed_at", "totp_secret", "totp_last_counter"}
    )

    email: Mapped[str] = mapped_column(String(254), unique=True, index=True)
    name: Mapped[str] = mapped_column(String(120))
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(20), index=True)
    station_id: Mapped[int | None] = mapped_column(ForeignKey("stations.id"), index=True)
    member_id: Mapped[int | None] = mapped_column(ForeignKey("members.id"), unique=True)
    active: Mapped[bool] = mapped_column(default=True)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    session_version: Mapped[str] = mapped_column(String(40), default=new_session_version)
    #: When the password was last set; API tokens issued before it no longer count.
    password_changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    #: The TOTP secret (base32), kept while enrolment waits for its first code too.
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    totp_enabled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    #: The last TOTP time step accepted, so that no code is accepted twice.
    totp_last_counter: Mapped[int | None] = mapped_column()

    station: Mapped[Station | None] = relationship(foreign_keys=[station_id])
    member: Mapped[Member | None] = relationship(foreign_keys=[member_id])

    def __repr__(self) -> str:
        return f"<User {self.email} {self.role}>"

    @property
    def role_enum(self) -> Role:
        """The role as a `Role` member."""
        return Role(self.role)

    @property
    def is_active(self) -> bool:
        """Whether the account may log in; Flask-Login refuses inactive users."""
        return self.active

    def get_id(self) -> str:
        """The session identity: id plus a version that changes on logout or password change."""
        return f"{self.id}:{self.session_version}"

    def set_password(self, password: str) -> None:
        """Hash and store a new password (scrypt by default)."""
        method = current_app.config.get("PASSWORD_HASH_METHOD", "scrypt")
        self.password_hash = generate_password_hash(password, method=method)

    def check_password(self, password: str) -> bool:
        """Whether `password` matches the stored hash."""
        return check_password_hash(self.password_hash, password)

    def rotate_session_version(self) -> None:
        """End every existing session of this user."""
        self.session_version = new_session_version()

    @property
    def has_two_factor(self) -> bool:
        """Whether logging in asks for a code from an authenticator app after the password."""
        return self.totp_enabled_at is not None and bool(self.totp_secret)


class LoginThrottle(IdMixin, db.Model):
    """Failed logins counted against one account or one client address, shared by every worker.

    The key is `account:<email>` or `client:<address>`; after a few free failures each one
    more doubles how long that key must wait before the next attempt is even checked.
    """

    __tablename__ = "login_throttles"

    key: Mapped[str] = mapped_column(String(300), unique=True)
    failures: Mapped[int] = mapped_column(default=0)
    last_failure_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    blocked_until: Mapped[datetime | None] = mapped_column(UTCDateTime())


class RecoveryCode(IdMixin, db.Model):
    """One single-use two-factor recovery code, stored hashed."""

    __tablename__ = "recovery_codes"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class PasswordResetToken(IdMixin, db.Model):
    """A forgot-password link sent by email: single use, expiring, stored hashed."""

    __tablename__ = "password_reset_tokens"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    user: Mapped[User] = relationship()

    def is_usable(self, now: datetime) -> bool:
        """Whether the link may still set a password (not used, not expired)."""
        return self.used_at is None and self.expires_at > now
