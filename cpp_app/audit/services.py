"""Record changes in the audit log, browse it, and verify its hash chain."""

from __future__ import annotations

import contextvars
import hashlib
import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask import has_request_context
from flask_login import current_user
from sqlalchemy import Select, func, select, text

from cpp_app.audit.models import AuditEvent
from cpp_app.extensions import db
from cpp_app.models import utcnow

GENESIS_HASH = "0" * 64
#: Key of the PostgreSQL advisory lock that serialises appends to the chain.
AUDIT_CHAIN_LOCK_KEY = 7_203_114_001

_system_actor: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "audit_system_actor", default=None
)


@contextmanager
def acting_as(label: str) -> Iterator[None]:
    """Attribute changes made outside a web request (CLI, scheduler) to `label`."""
    token = _system_actor.set(label)
    try:
        yield
    finally:
        _system_actor.reset(token)


@dataclass(frozen=True)
class Change:
    """One change to record: an action on an entity, with its state before and after."""

    action: str
    entity_type: str
    entity_id: Any
    before: dict | None = None
    after: dict | None = None
    station_id: int | None = None
    summary: str = ""


def record(
    action: str,
    entity: Any = None,
    *,
    before: dict | None = None,
    after: dict | None = None,
    entity_type: str | None = None,
    entity_id: Any = None,
    station_id: int | None = None,
    summary: str = "",
) -> AuditEvent:
    """Append one audit event in the current transaction (the caller commits)."""
    if entity is not None:
        db.session.flush()
        entity_type = entity_type or entity.__tablename__
        entity_id = entity_id if entity_id is not None else getattr(entity, "id", None)
        if after is None and action.split(".")[-1] != "delete":
            after = entity.audit_snapshot()
    change = Change(
        action=action,
        entity_type=entity_type or "system",
        entity_id=entity_id,
        before=before,
        after=after,
        station_id=station_id,
        summary=summary,
    )
    return record_many([change])[0]


def record_many(changes: list[Change]) -> list[AuditEvent]:
    """Append several audit events at once, chained in order (the caller commits)."""
    if not changes:
        return []
    _lock_chain()
    last = db.session.execute(
        select(AuditEvent.sequence, AuditEvent.event_hash)
        .order_by(AuditEvent.sequence.desc())
        .limit(1)
    ).first()
    sequence, previous_hash = (last.sequence, last.event_hash) if last else (0, GENESIS_HASH)
    actor_id, actor_label = current_actor()
    events = []
    for change in changes:
        sequence += 1
        audit_event = AuditEvent(
            sequence=sequence,
            occurred_at=utcnow(),
            actor_user_id=actor_id,
            actor_label=actor_label,
            action=change.action,
            entity_type=change.entity_type,
            entity_id=None if change.entity_id is None else str(change.entity_id),
            station_id=change.station_id,
            summary=change.summary[:255],
            before=_json_ready(change.before),
            after=_json_ready(change.after),
            previous_hash=previous_hash,
        )
        audit_event.event_hash = compute_hash(audit_event)
        previous_hash = audit_event.event_hash
        events.append(audit_event)
    db.session.add_all(events)
    db.session.flush()
    return events


def compute_hash(audit_event: AuditEvent) -> str:
    """SHA-256 over the event's content and the previous event's hash."""
    payload = {
        "sequence": audit_event.sequence,
        "occurred_at": _instant_text(audit_event.occurred_at),
        "actor_user_id": audit_event.actor_user_id,
        "actor_label": audit_event.actor_label,
        "action": audit_event.action,
        "entity_type": audit_event.entity_type,
        "entity_id": audit_event.entity_id,
        "station_id": audit_event.station_id,
        "summary": audit_event.summary,
        "before": audit_event.before,
        "after": audit_event.after,
        "previous_hash": audit_event.previous_hash,
    }
    canonical = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=True)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class ChainReport:
    """The outcome of checking the chain: how many events, and the first break if any."""

    checked: int
    broken_at: int | None = None
    reason: str = ""

    @property
    def intact(self) -> bool:
        """Whether every event matched its hash and its predecessor."""
        return self.broken_at is None


def verify_chain(batch_size: int = 5000) -> ChainReport:
    """Recompute every hash in sequence order; report the first event that does not match."""
    previous_hash, expected_sequence, checked = GENESIS_HASH, 1, 0
    query = select(AuditEvent).order_by(AuditEvent.sequence).execution_options(yield_per=batch_size)
    for audit_event in db.session.scalars(query):
        if audit_event.sequence != expected_sequence:
            return ChainReport(
                checked, expected_sequence, f"event {expected_sequence} is missing"
            )
        if audit_event.previous_hash != previous_hash:
            return ChainReport(
                checked, audit_event.sequence, "its previous-hash does not match the event before"
            )
        if compute_hash(audit_event) != audit_event.event_hash:
            return ChainReport(checked, audit_event.sequence, "its content does not match its hash")
        previous_hash, expected_sequence = audit_event.event_hash, expected_sequence + 1
        checked += 1
        db.session.expunge(audit_event)
    return ChainReport(checked)


@dataclass
class AuditFilter:
    """Filters for browsing the audit log."""

    action: str = ""
    entity_type: str = ""
    actor: str = ""
    station_id: int | None = None
    date_from: datetime | None = None
    date_to: datetime | None = None


def audit_query(filters: AuditFilter) -> Select:
    """Events matching the filters, newest first."""
    query = select(AuditEvent).order_by(AuditEvent.sequence.desc())
    if filters.action:
        query = query.where(AuditEvent.action.startswith(filters.action))
    if filters.entity_type:
        query = query.where(AuditEvent.entity_type == filters.entity_type)
    if filters.actor:
        query = query.where(func.lower(AuditEvent.actor_label).contains(filters.actor.lower()))
    if filters.station_id:
        query = query.where(AuditEvent.station_id == filters.station_id)
    if filters.date_from:
        query = query.where(AuditEvent.occurred_at >= filters.date_from)
    if filters.date_to:
        query = query.where(AuditEvent.occurred_at < filters.date_to)
    return query


def known_entity_types() -> list[str]:
    """Entity types present in the log, for the filter's choices."""
    return list(db.session.scalars(select(AuditEvent.entity_type).distinct().order_by(
        AuditEvent.entity_type)))


def _lock_chain() -> None:
    """Serialise appends so two writers never fork the chain.

    SQLite writers already hold the database lock (BEGIN IMMEDIATE); PostgreSQL takes a
    transaction-scoped advisory lock.
    """
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(
            text("SELECT pg_advisory_xact_lock(:key)"), {"key": AUDIT_CHAIN_LOCK_KEY}
        )


def current_actor() -> tuple[int | None, str]:
    """Who is making the change: (user id, label) from the CLI context or the logged-in user."""
    system_label = _system_actor.get()
    if system_label:
        return None, system_label
    if has_request_context() and current_user and current_user.is_authenticated:
        return current_user.id, current_user.email
    return None, "system"


def _instant_text(instant: datetime) -> str:
    """A stable text form of an instant, the same before storing and after reading back."""
    return instant.strftime("%Y-%m-%dT%H:%M:%S.%f")


def _json_ready(data: dict | None) -> dict | None:
    if data is None:
        return None
    return json.loads(json.dumps(data, default=str))
