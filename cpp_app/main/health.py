"""The health check's look at the database: whether it answers, and whether it takes a write.

A database that answers reads but refuses writes (a read-only file, a full disk) loses every
survey response sent to it, so it counts as unhealthy. The probe writes a little inside a
transaction that is always rolled back, and leaves nothing behind.
"""

from __future__ import annotations

import os
import secrets
import shutil
from pathlib import Path

from flask import current_app
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from cpp_app.database import is_sqlite, writing
from cpp_app.extensions import db

UNAVAILABLE = "database unavailable"
NOT_WRITABLE = "database not writable"
DISK_NEARLY_FULL = "database disk nearly full"
#: The probe writes this much, so that it needs new pages (a full database refuses them).
PROBE_CHARACTERS = 8192


def database_problem() -> str | None:
    """None when the database answers and takes a write, else what is wrong (no details)."""
    try:
        db.session.execute(text("SELECT 1"))
        db.session.rollback()
    except DBAPIError:
        db.session.rollback()
        return UNAVAILABLE
    if is_sqlite(db.engine):
        problem = _sqlite_file_problem()
        if problem:
            return problem
    return None if _takes_a_write() else NOT_WRITABLE


def _sqlite_file_problem() -> str | None:
    """Why a SQLite file cannot take writes, if it cannot.

    The file or its folder (where the journal goes) is not writable, or the disk has less
    room than CPP_HEALTH_MIN_FREE_MB.
    """
    database = db.engine.url.database or ""
    if database in ("", ":memory:") or database.startswith("file:"):
        return None
    path = Path(database)
    if not (os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)):
        return NOT_WRITABLE
    free_mb = shutil.disk_usage(path.parent).free / (1024 * 1024)
    if free_mb < current_app.config["CPP_HEALTH_MIN_FREE_MB"]:
        return DISK_NEARLY_FULL
    return None


def _takes_a_write() -> bool:
    """Create a table and write into it in a transaction, then roll it back."""
    table = f"cpp_health_probe_{secrets.token_hex(4)}"
    try:
        with writing(), db.engine.connect() as connection:
            transaction = connection.begin()
            try:
                connection.execute(text(f"CREATE TABLE {table} (probe TEXT)"))
                # The table's name is made here, never taken from a request.
                connection.execute(text(f"INSERT INTO {table} (probe) VALUES (:probe)"),  # noqa: S608
                                   {"probe": "x" * PROBE_CHARACTERS})
            finally:
                transaction.rollback()
    except DBAPIError:
        return False
    return True
