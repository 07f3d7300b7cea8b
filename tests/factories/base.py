"""What every builder shares: a number to make names unique, and a fresh transaction."""

from __future__ import annotations

import itertools

from cpp_app.extensions import db

_numbers = itertools.count(1)


def next_number() -> int:
    """A number no other built object has had in this test session."""
    return next(_numbers)


def fresh_transaction() -> None:
    """End the test's open transaction so the next write starts from the latest data.

    A SQLite transaction that began by reading cannot write once another connection (a live
    server thread) has committed since; browser tests therefore start each write afresh.
    """
    db.session.commit()
