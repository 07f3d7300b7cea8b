"""Database engine set-up: SQLite pragmas and write transactions that take the lock up front."""

from __future__ import annotations

import contextvars
import logging
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager

from flask import has_request_context, request
from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.orm import Session
from sqlalchemy.pool import ConnectionPoolEntry

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
#: How long a SQLite write waits for another writer's lock before it gives up.
DEFAULT_BUSY_TIMEOUT_MS = 10_000

logger = logging.getLogger(__name__)

_writes_expected: contextvars.ContextVar[bool] = contextvars.ContextVar(
    "writes_expected", default=False
)
#: A BEGIN chosen for the block being run, whatever the request or command around it.
_begin_override: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "begin_override", default=None
)
#: Endpoints whose own transaction only reads, even on POST: they write through a short
#: transaction of their own (see `writing()`), so a held write lock never stops their reads.
_reading_endpoints: set[str] = set()


def expect_writes() -> None:
    """From now on in this context (a CLI command, a job), transactions take the write lock."""
    _writes_expected.set(True)


@contextmanager
def writing() -> Iterator[None]:
    """Within the block, transactions begin with the write lock (BEGIN IMMEDIATE on SQLite)."""
    token = _begin_override.set("BEGIN IMMEDIATE")
    try:
        yield
    finally:
        _begin_override.reset(token)


@contextmanager
def reading() -> Iterator[None]:
    """Within the block, transactions begin without the write lock, whatever the context.

    For long work that only reads (a report rendering, a command reading its data): it never
    holds the lock every writer, the public survey's included, waits for.
    """
    token = _begin_override.set("BEGIN")
    try:
        yield
    finally:
        _begin_override.reset(token)


def reads_only(endpoint: str) -> None:
    """Mark an endpoint whose session only reads, even on POST (its writes use `writing()`)."""
    _reading_endpoints.add(endpoint)


@contextmanager
def objects_kept_on_commit(session: Session) -> Iterator[None]:
    """Within the block, commits leave the session's objects loaded instead of expiring them.

    For work that commits often in short transactions (an import chunk by chunk, a survey
    response after its reads) and goes on using what it loaded, without reloading it.
    """
    expire_on_commit = session.expire_on_commit
    session.expire_on_commit = False
    try:
        yield
    finally:
        session.expire_on_commit = expire_on_commit


def is_sqlite(engine: Engine) -> bool:
    """Whether the engine talks to SQLite."""
    return engine.dialect.name == "sqlite"


def configure_engine(engine: Engine, busy_timeout_ms: int = DEFAULT_BUSY_TIMEOUT_MS) -> None:
    """Switch on WAL, foreign keys and a busy timeout, and choose how transactions begin.

    A database that cannot be switched to WAL (a read-only file) stays readable: the
    failure is logged, and the pages that only read keep working.
    """
    if not is_sqlite(engine):
        return

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: sqlite3.Connection, _record: ConnectionPoolEntry) -> None:
        # Let SQLAlchemy's "begin" event below emit BEGIN itself.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        if engine.url.database not in (None, "", ":memory:"):
            _switch_to_wal(cursor)
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Connection) -> None:
        connection.exec_driver_sql(_begin_statement())


def _switch_to_wal(cursor: sqlite3.Cursor) -> None:
    """Ask for WAL; a read-only database refuses (it is a write), and is read as it is."""
    try:
        cursor.execute("PRAGMA journal_mode=WAL")
    except sqlite3.OperationalError as error:
        logger.warning("SQLite database left in its journal mode (%s); it may be read-only",
                       error)


def _begin_statement() -> str:
    """BEGIN IMMEDIATE for work that will write, plain BEGIN otherwise.

    Unsafe HTTP methods and code marked with `writing()` / `expect_writes()` write.

    A deferred transaction that reads and then writes cannot upgrade its lock when another
    writer holds it, and fails at once regardless of busy_timeout; taking the write lock up
    front makes such writers wait their turn instead. `writing()` and `reading()` choose for
    their block, and endpoints marked with `reads_only` read on every method.
    """
    override = _begin_override.get()
    if override is not None:
        return override
    if has_request_context():
        reads = request.method in SAFE_METHODS or request.endpoint in _reading_endpoints
        return "BEGIN" if reads else "BEGIN IMMEDIATE"
    return "BEGIN IMMEDIATE" if _writes_expected.get() else "BEGIN"
