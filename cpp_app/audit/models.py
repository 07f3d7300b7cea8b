"""The append-only audit log, each event chained to the last by a keyed hash."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Connection, ForeignKey, String, event
from sqlalchemy.orm import Mapped, Mapper, mapped_column, relationship

from cpp_app.audit.labels import FieldChange, entity_label, field_changes
from cpp_app.auth.models import User
from cpp_app.extensions import db
from cpp_app.models import UTCDateTime, utcnow


class AuditEvent(db.Model):
    """One recorded change: who, when, what, before and after, chained to the previous event."""

    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    sequence: Mapped[int] = mapped_column(unique=True)
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    actor_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    actor_label: Mapped[str] = mapped_column(String(254))
    action: Mapped[str] = mapped_column(String(60), index=True)
    entity_type: Mapped[str] = mapped_column(String(60), index=True)
    entity_id: Mapped[str | None] = mapped_column(String(60), index=True)
    station_id: Mapped[int | None] = mapped_column(index=True)
    summary: Mapped[str] = mapped_column(String(255), default="")
    before: Mapped[dict | None] = mapped_column(JSON)
    after: Mapped[dict | None] = mapped_column(JSON)
    #: The address the request came from (behind CPP_PROXY_COUNT proxies, the client's);
    #: None outside a request (commands, the scheduler).
    client_address: Mapped[str | None] = mapped_column(String(45))
    previous_hash: Mapped[str] = mapped_column(String(64))
    event_hash: Mapped[str] = mapped_column(String(64))
    #: Whether `event_hash` is an HMAC with the audit key. Events recorded before the chain
    #: was keyed keep their plain SHA-256 hashes; they may only come before every keyed one.
    keyed: Mapped[bool] = mapped_column(default=True)

    actor: Mapped[User | None] = relationship()

    def __repr__(self) -> str:
        return f"<AuditEvent {self.sequence} {self.action}>"

    @property
    def changed_fields(self) -> list[str]:
        """Names of the fields whose value differs between before and after."""
        before, after = self.before or {}, self.after or {}
        keys = sorted(set(before) | set(after))
        return [key for key in keys if before.get(key) != after.get(key)]

    @property
    def entity_label(self) -> str:
        """The kind of record the event is about, as people say it."""
        return entity_label(self.entity_type)

    @property
    def field_changes(self) -> list[FieldChange]:
        """Each field before and after the change, as shown on the event's page."""
        return field_changes(self.before, self.after)


@event.listens_for(AuditEvent, "before_update")
def _refuse_update(_mapper: Mapper[AuditEvent], _connection: Connection, target: AuditEvent
                   ) -> None:
    raise PermissionError(f"audit event {target.sequence} is append-only")


@event.listens_for(AuditEvent, "before_delete")
def _refuse_delete(_mapper: Mapper[AuditEvent], _connection: Connection, target: AuditEvent
                   ) -> None:
    raise PermissionError(f"audit event {target.sequence} is append-only")
