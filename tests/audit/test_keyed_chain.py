"""The keyed chain and its anchors: forging, rewriting and removing the newest events are caught.

The attacker in these tests can write to the database but does not hold CPP_AUDIT_KEY: the
best they can do is hash events with plain SHA-256, as the unkeyed chain did.
"""

from __future__ import annotations

import hashlib
import json
import logging

from sqlalchemy import select, update

from cpp_app.audit import services as audit
from cpp_app.audit.anchors import TAIL_BYTES, Anchor, anchor_file, last_anchor, publish_anchor
from cpp_app.audit.models import AuditEvent
from cpp_app.extensions import db
from cpp_app.models import utcnow
from cpp_app.reminders.scheduler import check_audit_chain
from cpp_app.stations import services as stations

EVENTS = AuditEvent.__table__


def make_history(events: int = 5) -> None:
    """`events` audited changes: a station created, then renamed again and again."""
    with audit.acting_as("test"):
        station = stations.create_station(stations.StationDetails(code="A", name="Alpha 1"))
        for number in range(2, events + 1):
            stations.update_station(station, stations.StationDetails(
                code="A", name=f"Alpha {number}"))


def plain_sha256(event: AuditEvent, previous_hash: str) -> str:
    """The unkeyed hash of an event's content after `previous_hash` (no key needed)."""
    payload = {
        "sequence": event.sequence,
        "occurred_at": event.occurred_at.strftime("%Y-%m-%dT%H:%M:%S.%f"),
        "actor_user_id": event.actor_user_id, "actor_label": event.actor_label,
        "action": event.action, "entity_type": event.entity_type, "entity_id": event.entity_id,
        "station_id": event.station_id, "summary": event.summary, "before": event.before,
        "after": event.after, "previous_hash": previous_hash,
    }
    canonical = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=True)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def rehash_from(sequence: int, *, summary: str | None = None, **columns) -> None:
    """Rewrite the chain from `sequence` on with plain SHA-256, as a keyless attacker would.

    The event at `sequence` gets `summary` if given; every rewritten event gets `columns`.
    """
    events = list(db.session.scalars(select(AuditEvent).order_by(AuditEvent.sequence)))
    previous_hash = audit.GENESIS_HASH
    for event in events:
        db.session.expunge(event)
        if event.sequence >= sequence:
            if summary is not None and event.sequence == sequence:
                event.summary = summary
            event_hash = plain_sha256(event, previous_hash)
            db.session.execute(update(EVENTS).where(EVENTS.c.sequence == event.sequence).values(
                summary=event.summary, previous_hash=previous_hash, event_hash=event_hash,
                **columns))
            previous_hash = event_hash
        else:
            previous_hash = event.event_hash
    db.session.commit()


def remove_newest(count: int) -> None:
    """Delete the newest `count` events straight from the table."""
    newest = db.session.scalar(select(EVENTS.c.sequence).order_by(EVENTS.c.sequence.desc()))
    db.session.execute(EVENTS.delete().where(EVENTS.c.sequence > newest - count))
    db.session.commit()


def test_forging_an_event_and_rehashing_every_later_one_is_caught(verify):
    make_history()
    rehash_from(3, summary="nothing happened here")
    broken = verify()
    assert broken.exit_code == 1
    assert ("Audit chain BROKEN at event 3: its content does not match its hash. "
            "2 events before it are intact." in broken.stderr)


def test_forged_events_marked_unkeyed_after_keyed_ones_are_caught():
    make_history()
    rehash_from(3, summary="nothing happened here", keyed=False)
    report = audit.verify_chain()
    assert report.broken_at == 3
    assert report.reason == "it is unkeyed, but the chain is keyed from event 1 on"


def test_rewriting_the_whole_chain_unkeyed_is_caught_by_the_anchor(verify):
    make_history()
    assert verify().exit_code == 0
    rehash_from(1, summary="nothing happened here", keyed=False)
    broken = verify()
    assert broken.exit_code == 1
    assert "BROKEN at event 1: it is unkeyed, but the anchor of " in broken.stderr
    assert "counted only 0 unkeyed events" in broken.stderr


def test_deleting_the_newest_events_is_caught(verify):
    make_history()
    assert verify().exit_code == 0
    remove_newest(2)
    broken = verify()
    assert broken.exit_code == 1
    assert "Audit chain BROKEN at event 4: events 4 to 5 are missing: the anchor of " in \
        broken.stderr
    assert "counted 5 events" in broken.stderr


def test_deleting_the_newest_events_and_recording_new_ones_is_caught(verify):
    make_history()
    assert verify().exit_code == 0
    remove_newest(2)
    with audit.acting_as("test"):
        for number in range(2):
            stations.create_station(stations.StationDetails(code=f"N{number}", name="New"))
    broken = verify()
    assert broken.exit_code == 1
    assert "BROKEN at event 5: its hash does not match the anchor of " in broken.stderr
    assert "the chain was rewritten at or before this event" in broken.stderr


def test_a_broken_chain_writes_no_anchor_so_the_break_is_reported_again(verify):
    make_history()
    assert verify().exit_code == 0
    anchors_before = anchor_file().read_text()
    remove_newest(1)
    assert verify().exit_code == 1
    assert verify().exit_code == 1
    assert anchor_file().read_text() == anchors_before


def test_verify_writes_the_anchor_to_the_file_and_the_log(verify, caplog):
    make_history(3)
    with caplog.at_level(logging.INFO, logger="cpp_app.audit.anchors"):
        first = verify()
    assert first.exit_code == 0
    last_hash = db.session.scalar(select(AuditEvent.event_hash).where(AuditEvent.sequence == 3))
    assert "Audit chain intact: 3 events checked." in first.stdout
    assert "No earlier anchor in " in first.stdout
    assert f"Anchor written to {anchor_file()}: 3 events, last hash {last_hash}." in first.stdout
    anchor = json.loads(anchor_file().read_text().splitlines()[-1])
    assert (anchor["events"], anchor["last_hash"], anchor["unkeyed_events"]) == (3, last_hash, 0)
    assert len(anchor["mac"]) == 64
    logged = [record.getMessage() for record in caplog.records
              if record.name == "cpp_app.audit.anchors"]
    assert logged == [f"audit anchor {anchor_file().read_text().splitlines()[-1]}"]

    with audit.acting_as("test"):
        stations.create_station(stations.StationDetails(code="B", name="Bravo"))
    second = verify()
    assert second.exit_code == 0
    assert "It agrees with the anchor of " in second.stdout
    assert "(3 events)." in second.stdout
    assert len(anchor_file().read_text().splitlines()) == 2


def test_the_anchor_file_lives_where_it_is_configured(app, verify, tmp_path, monkeypatch):
    elsewhere = tmp_path / "write-once" / "cpp-audit-anchors.jsonl"
    monkeypatch.setitem(app.config, "CPP_AUDIT_ANCHOR_FILE", str(elsewhere))
    make_history(2)
    assert verify().exit_code == 0
    assert json.loads(elsewhere.read_text())["events"] == 2


def test_an_altered_anchor_file_is_refused(verify):
    make_history()
    assert verify().exit_code == 0
    remove_newest(2)
    anchor = json.loads(anchor_file().read_text())
    anchor["events"] = 3  # lowered to hide the removal, without the key to sign it
    anchor["last_hash"] = db.session.scalar(select(AuditEvent.event_hash).where(
        AuditEvent.sequence == 3))
    anchor_file().write_text(json.dumps(anchor) + "\n")
    refused = verify()
    assert refused.exit_code == 1
    assert "Audit anchor UNUSABLE: The last anchor in " in refused.stderr
    assert "does not match its signature" in refused.stderr
    anchor_file().write_text("not json\n")
    assert "cannot be read" in verify().stderr


def test_events_recorded_before_keying_still_verify_and_must_come_first(verify):
    make_history(3)
    rehash_from(1, keyed=False)  # what the chain held before it was keyed
    with audit.acting_as("test"):
        stations.create_station(stations.StationDetails(code="B", name="Bravo"))
    intact = verify()
    assert intact.exit_code == 0, intact.stderr
    assert "Audit chain intact: 4 events checked." in intact.stdout
    assert json.loads(anchor_file().read_text())["unkeyed_events"] == 3
    assert [event.keyed for event in db.session.scalars(
        select(AuditEvent).order_by(AuditEvent.sequence))] == [False, False, False, True]


def test_the_schedulers_daily_check_anchors_the_chain_and_reports_a_break(caplog):
    make_history(3)
    assert check_audit_chain()
    assert json.loads(anchor_file().read_text())["events"] == 3
    remove_newest(1)
    with caplog.at_level(logging.ERROR, logger="cpp_app.audit.services"):
        assert not check_audit_chain()
    assert "audit chain broken at event 3: event 3 is missing: the anchor of " in caplog.text


def test_the_newest_anchor_is_read_from_the_end_of_a_long_file():
    for events in range(1, 41):  # forty days of anchors, well past the part read
        publish_anchor(Anchor(events, audit.GENESIS_HASH, 0, utcnow()))
    assert anchor_file().stat().st_size > TAIL_BYTES
    assert last_anchor().events == 40
