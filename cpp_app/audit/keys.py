"""The audit key, read from the configuration (the environment), never from the database."""

from __future__ import annotations

import hashlib
import hmac

from flask import current_app


def audit_key() -> bytes:
    """The key the audit chain and its anchors are signed with (CPP_AUDIT_KEY)."""
    key = current_app.config.get("CPP_AUDIT_KEY")
    if not key:
        raise RuntimeError("CPP_AUDIT_KEY is not set: the audit log cannot be signed.")
    return key.encode("utf-8")


def keyed_digest(message: bytes) -> str:
    """HMAC-SHA-256 of `message` with the audit key, as hex."""
    return hmac.new(audit_key(), message, hashlib.sha256).hexdigest()


def digests_match(expected: str, actual: str) -> bool:
    """Whether two hex digests are equal, compared in constant time."""
    return hmac.compare_digest(expected.encode("utf-8"), actual.encode("utf-8"))
