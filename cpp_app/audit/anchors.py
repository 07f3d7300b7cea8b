"""Anchors of the audit chain: its length and last hash, published outside the database.

Each verify appends an anchor to the anchor file (CPP_AUDIT_ANCHOR_FILE) and writes it to the
log; the next verify checks the chain against the last one, so removing the newest events, or
rewriting the chain from some event on, is caught even by someone who can write to the
database. Anchors are signed with the audit key, so the file cannot be rewritten to match.
"""

from __future__ import annotations

import json
import logging
import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from flask import current_app

from cpp_app.audit.keys import digests_match, keyed_digest

ANCHOR_FILE_NAME = "audit-anchors.jsonl"
#: How much of the file's end is read to find the last anchor (one is about 250 bytes).
TAIL_BYTES = 4096



class AnchorError(RuntimeError):
    """The last anchor cannot be read or trusted; the message says why."""


@dataclass(frozen=True)
class Anchor:
    """The chain as a verify found it: its events, its last hash, and how many are unkeyed."""

    events: int
    last_hash: str
    unkeyed_events: int
    written_at: datetime

    @property
    def described(self) -> str:
        """The anchor as messages name it: 'the anchor of 2026-05-01 06:30:00 UTC'."""
        return f"the anchor of {self.written_at.astimezone(UTC):%Y-%m-%d %H:%M:%S} UTC"

    def content(self) -> dict:
        """What the anchor states, as it is signed and stored."""
        return {"events": self.events, "last_hash": self.last_hash,
                "unkeyed_events": self.unkeyed_events,
                "written_at": self.written_at.isoformat()}

    def signature(self) -> str:
        """The HMAC of the anchor's content with the audit key."""
        canonical = json.dumps(self.content(), sort_keys=True, separators=(",", ":"))
        return keyed_digest(canonical.encode("utf-8"))

    def line(self) -> str:
        """The anchor as one line of the anchor file (and of the log)."""
        return json.dumps({**self.content(), "mac": self.signature()}, sort_keys=True)


def anchor_file() -> Path:
    """Where anchors are kept: CPP_AUDIT_ANCHOR_FILE, else a file in the instance folder."""
    configured = current_app.config.get("CPP_AUDIT_ANCHOR_FILE")
    return Path(configured) if configured else Path(current_app.instance_path) / ANCHOR_FILE_NAME


def last_anchor(path: Path | None = None) -> Anchor | None:
    """The newest anchor in the file, checked against its signature; None when there is none."""
    path = path or anchor_file()
    try:
        lines = [line for line in _tail(path).splitlines() if line.strip()]
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as error:
        raise AnchorError(f"The anchor file {path} cannot be read: {error}.") from error
    return read_anchor(lines[-1], path) if lines else None


def _tail(path: Path) -> str:
    """The end of the file, long enough to hold its last anchor (the file grows every day)."""
    with path.open("rb") as handle:
        size = handle.seek(0, os.SEEK_END)
        handle.seek(max(0, size - TAIL_BYTES))
        return handle.read().decode("utf-8")


def read_anchor(line: str, path: Path) -> Anchor:
    """One line of the anchor file, refused unless its signature matches its content."""
    try:
        record = json.loads(line)
        anchor = Anchor(events=int(record["events"]), last_hash=str(record["last_hash"]),
                        unkeyed_events=int(record["unkeyed_events"]),
                        written_at=datetime.fromisoformat(record["written_at"]))
        signature = str(record["mac"])
    except (ValueError, KeyError, TypeError) as error:
        raise AnchorError(f"The last anchor in {path} cannot be read ({error}).") from error
    if not digests_match(anchor.signature(), signature):
        raise AnchorError(f"The last anchor in {path} does not match its signature: it was "
                          "altered, or signed with another CPP_AUDIT_KEY.")
    return anchor


def publish_anchor(anchor: Anchor, path: Path | None = None) -> Path:
    """Append the anchor to the anchor file and write it to the log; the file's path."""
    path = path or anchor_file()
    line = anchor.line()
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as handle:
        handle.write(line + "\n")
    _anchor_log().info("audit anchor %s", line)
    return path


def _anchor_log() -> logging.Logger:
    """The app's logger for anchors, at INFO whatever the root level: the log keeps a copy.

    Going through `current_app.logger` has Flask install its stderr handler when logging is
    not configured otherwise.
    """
    anchor_log = current_app.logger.getChild("audit.anchors")
    anchor_log.setLevel(logging.INFO)
    return anchor_log
