"""Database engine set-up: SQLite pragmas and write transactions that take the lock up front."""

from __future__ import annotations

import contextvars
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager

from flask import has_request_context, request
from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.pool import ConnectionPoolEntry

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

_writes_expected: contextvars.ContextVar[bool] = contextvars.ContextVar(
    "writes_expected", default=False
)


def expect_writes() -> None:
    """From now on in this context (a CLI command, a job), transactions take the write lock."""
    _writes_expected.set(True)


@contextmanager
def writing() -> Iterator[None]:
    """Within the block, transactions begin with the write lock (BEGIN IMMEDIATE on SQLite)."""
    token = _writes_expected.set(True)
    try:
        yield
    finally:
        _writes_expected.reset(token)


def is_sqlite(engine: Engine) -> bool:
    """Whether the engine talks to SQLite."""
    return engine.dialect.name == "sqlite"


def configure_engine(engine: Engine) -> None:
    """Switch on WAL, foreign keys and a busy timeout, and choose how transactions begin."""
    if not is_sqlite(engine):
        return

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: sqlite3.Connection, _record: ConnectionPoolEntry) -> None:
        # Let SQLAlchemy's "begin" event below emit BEGIN itself.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        if engine.url.database not in (None, "", ":memory:"):
            cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Connection) -> None:
        connection.exec_driver_sql(_begin_statement())


def _begin_statement() -> str:
    """BEGIN IMMEDIATE for work that will write, plain BEGIN otherwise.

    Unsafe HTTP methods and code marked with `writing()` / `expect_writes()` write.

    A deferred transaction that reads and then writes cannot upgrade its lock when another
    writer holds it, and fails at once regardless of busy_timeout; taking the write lock up
    front makes such writers wait their turn instead.
    """
    if has_request_context():
        return "BEGIN" if request.method in SAFE_METHODS else "BEGIN IMMEDIATE"
    return "BEGIN IMMEDIATE" if _writes_expected.get() else "BEGIN"
