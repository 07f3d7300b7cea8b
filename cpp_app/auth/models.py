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
         "password_changed_at"}
    )

    email: Mapped[str] = mapped_column(String(254), unique=True, index=True)
    name: Mapped[str] = mapped_column(String(120))
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(20), index=True)
    station_id: Mapped[int | None] = mapped_column(ForeignKey("stations.id"), index=True)
    member_id: Mapped[int | None] = mapped_column(ForeignKey("members.id"), unique=True)
    active: Mapped[bool] = mapped_column(default=True)
    failed_logins: Mapped[int] = mapped_column(default=0)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    session_version: Mapped[str] = mapped_column(String(40), default=new_session_version)
    #: When the password was last set; API tokens created before it stop working.
    password_changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

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

    def is_locked(self, now: datetime | None = None) -> bool:
        """Whether login is refused for now because of repeated failures."""
        return self.locked_until is not None and self.locked_until > (now or utcnow())
