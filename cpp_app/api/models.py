"""Personal API tokens: stored only as a hash, with scopes and an expiry, revocable."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cpp_app.auth.models import User
from cpp_app.extensions import db
from cpp_app.models import IdMixin, UTCDateTime, utcnow

SCOPES = {
    "engagement:read": "Read engagement records",
    "engagement:write": "Push engagement records",
}
#: Days a new token lasts unless its creator chooses otherwise, and the most they may choose.
DEFAULT_TOKEN_DAYS = 90
MAX_TOKEN_DAYS = 365


class ApiToken(IdMixin, db.Model):
    """A token a records system uses to call the API on behalf of a user."""

    __tablename__ = "api_tokens"
    __audit_exclude__ = frozenset({"token_hash"})

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(80))
    prefix: Mapped[str] = mapped_column(String(12))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    scopes: Mapped[list] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(
        UTCDateTime(), default=lambda: utcnow() + timedelta(days=DEFAULT_TOKEN_DAYS))
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    user: Mapped[User] = relationship()

    @property
    def active(self) -> bool:
        """Whether the token has not been revoked."""
        return self.revoked_at is None

    def is_expired(self, now: datetime | None = None) -> bool:
        """Whether the token's lifetime is over."""
        return self.expires_at <= (now or utcnow())
