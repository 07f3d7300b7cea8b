"""Record changes in the audit log, browse it, and verify its keyed hash chain.

Each event's hash is an HMAC (SHA-256, with CPP_AUDIT_KEY) over its content and the previous
event's hash, so whoever can write to the database still cannot forge or rewrite events.
Events recorded before the chain was keyed keep their plain SHA-256 hashes and stay valid as
long as they all come first (the switch-over point: the first keyed event). Verifying also
checks the chain against the last anchor published outside the database (`anchors`), which
catches the newest events being removed.
"""

from __future__ import annotations

import contextvars
import hashlib
import json
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from flask import has_request_context, request
from flask_login import current_user
from sqlalchemy import Select, func, select, text

from cpp_app.audit.anchors import Anchor, anchor_file, last_anchor, publish_anchor
from cpp_app.audit.keys import digests_match, keyed_digest
from cpp_app.audit.models import AuditEvent
from cpp_app.extensions import db
from cpp_app.models import utcnow

GENESIS_HASH = "0" * 64
#: Key of the PostgreSQL advisory lock that serialises appends to the chain.
AUDIT_CHAIN_LOCK_KEY = 7_203_114_001
#: Longest client address kept (an IPv6 address with an IPv4 tail is 45 characters).
CLIENT_ADDRESS_LENGTH = 45

logger = logging.getLogger(__name__)

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
    address = client_address()
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
            client_address=address,
            previous_hash=previous_hash,
            keyed=True,
        )
        audit_event.event_hash = compute_hash(audit_event)
        previous_hash = audit_event.event_hash
        events.append(audit_event)
    db.session.add_all(events)
    db.session.flush()
    return events


def compute_hash(audit_event: AuditEvent) -> str:
    """The event's hash over its content and the previous event's hash.

    That is HMAC-SHA-256 with the audit key, or plain SHA-256 for an event recorded before
    the chain was keyed (whose content had no client address).
    """
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
    if not audit_event.keyed:
        return hashlib.sha256(_canonical(payload)).hexdigest()
    payload.update(client_address=audit_event.client_address, keyed=True)
    return keyed_digest(_canonical(payload))


@dataclass(frozen=True)
class ChainReport:
    """The outcome of checking the chain: how far it holds, and the first break if any."""

    checked: int
    broken_at: int | None = None
    reason: str = ""
    last_hash: str = GENESIS_HASH
    unkeyed: int = 0

    @property
    def intact(self) -> bool:
        """Whether every event matched its hash, its predecessor and the anchor."""
        return self.broken_at is None


class _ChainWalk:
    """The chain read in sequence order: what the next event must match."""

    def __init__(self, anchor: Anchor | None) -> None:
        self.anchor = anchor
        self.previous_hash = GENESIS_HASH
        self.checked = 0
        self.unkeyed = 0
        self.keyed_from: int | None = None

    def problem_with(self, audit_event: AuditEvent) -> tuple[int, str] | None:
        """(where, why) the chain breaks at this event, or None when the event holds."""
        expected = self.checked + 1
        if audit_event.sequence != expected:
            return expected, f"event {expected} is missing"
        if audit_event.previous_hash != self.previous_hash:
            return expected, "its previous-hash does not match the event before"
        if not digests_match(compute_hash(audit_event), audit_event.event_hash):
            return expected, "its content does not match its hash"
        reason = self._keying_problem(audit_event) or self._anchor_problem(audit_event)
        return (expected, reason) if reason else None

    def _keying_problem(self, audit_event: AuditEvent) -> str:
        if audit_event.keyed:
            return ""
        if self.keyed_from is not None:
            return f"it is unkeyed, but the chain is keyed from event {self.keyed_from} on"
        if self.anchor is not None and audit_event.sequence > self.anchor.unkeyed_events:
            return (f"it is unkeyed, but {self.anchor.described} counted only "
                    f"{self.anchor.unkeyed_events} unkeyed events")
        return ""

    def _anchor_problem(self, audit_event: AuditEvent) -> str:
        if self.anchor is None or audit_event.sequence != self.anchor.events:
            return ""
        if digests_match(self.anchor.last_hash, audit_event.event_hash):
            return ""
        return (f"its hash does not match {self.anchor.described}: the chain was rewritten at "
                "or before this event")

    def accept(self, audit_event: AuditEvent) -> None:
        """Move past an event that holds."""
        self.previous_hash = audit_event.event_hash
        self.checked += 1
        if audit_event.keyed:
            self.keyed_from = self.keyed_from or audit_event.sequence
        else:
            self.unkeyed += 1

    def broken(self, where: int, reason: str) -> ChainReport:
        """The report of a break at event `where`."""
        return ChainReport(self.checked, where, reason, self.previous_hash, self.unkeyed)

    def finish(self) -> ChainReport:
        """The report once every event is read: short of the anchor means events were removed."""
        if self.anchor is not None and self.checked < self.anchor.events:
            first, last = self.checked + 1, self.anchor.events
            missing = f"event {first} is" if first == last else f"events {first} to {last} are"
            return self.broken(first, f"{missing} missing: {self.anchor.described} counted "
                                      f"{last} events")
        return ChainReport(self.checked, last_hash=self.previous_hash, unkeyed=self.unkeyed)


def verify_chain(anchor: Anchor | None = None, batch_size: int = 5000) -> ChainReport:
    """Recompute every hash in sequence order; report the first event that does not hold.

    With an anchor, the chain must also reach its count and pass through its last hash.
    """
    walk = _ChainWalk(anchor)
    query = select(AuditEvent).order_by(AuditEvent.sequence).execution_options(yield_per=batch_size)
    for audit_event in db.session.scalars(query):
        problem = walk.problem_with(audit_event)
        if problem is not None:
            return walk.broken(*problem)
        walk.accept(audit_event)
        db.session.expunge(audit_event)
    return walk.finish()


@dataclass(frozen=True)
class Verification:
    """One verify: the chain's report, the anchor it was checked against, the one written."""

    report: ChainReport
    anchor_path: Path
    previous: Anchor | None
    written: Anchor | None


def verify_and_anchor() -> Verification:
    """Verify the chain against the last anchor and, when it holds, publish a new anchor.

    Raises AnchorError, writing nothing, when the last anchor cannot be read or trusted.
    """
    path = anchor_file()
    previous = last_anchor(path)
    report = verify_chain(previous)
    if not report.intact:
        logger.error("audit chain broken at event %s: %s", report.broken_at, report.reason)
        return Verification(report, path, previous, None)
    written = Anchor(report.checked, report.last_hash, report.unkeyed, utcnow())
    publish_anchor(written, path)
    return Verification(report, path, previous, written)


@dataclass
class AuditFilter:
    """Filters for browsing the audit log."""

    action: str = ""
    entity_type: str = ""
    actor: str = ""
    station_id: int | None = None
    client_address: str = ""
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
    if filters.client_address:
        query = query.where(AuditEvent.client_address.startswith(filters.client_address))
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


def client_address() -> str | None:
    """The address of the request being served (the client's, behind ProxyFix), or None."""
    if not has_request_context():
        return None
    return (request.remote_addr or "")[:CLIENT_ADDRESS_LENGTH] or None


def _canonical(payload: dict) -> bytes:
    """The one byte form of a payload that is hashed."""
    return json.dumps(payload, sort_keys=True, separators=(",", ":"),
                      ensure_ascii=True).encode("utf-8")


def _instant_text(instant: datetime) -> str:
    """A stable text form of an instant, the same before storing and after reading back."""
    return instant.strftime("%Y-%m-%dT%H:%M:%S.%f")


def _json_ready(data: dict | None) -> dict | None:
    if data is None:
        return None
    return json.loads(json.dumps(data, default=str))
