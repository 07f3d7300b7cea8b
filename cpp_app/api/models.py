"""Personal API tokens: stored only as a hash, with scopes, revocable."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cpp_app.auth.models import User
from cpp_app.extensions import db
from cpp_app.models import IdMixin, UTCDateTime, utcnow

SCOPES = {
    "engagement:read": "Read engagement records",
    "engagement:write": "Push engagement records",
}


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
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    user: Mapped[User] = relationship()

    @property
    def active(self) -> bool:
        """Whether the token still works."""
        return self.revoked_at is None
